"""Determinations, line decisions and letters. Filled by the determinations issue (#5)."""
