"""The UM program's own records, one module per sub-domain: goals, IRR audits (and, later,
referrals and feedback)."""

from .goals import Goal

__all__ = ["Goal"]
