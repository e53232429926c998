"""Scheduling write services: one function per action (STYLE: where logic lives)."""
