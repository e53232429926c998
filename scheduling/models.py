"""Peer-to-peer availability, slots and calls. Filled by the scheduling issue (#6)."""
