"""Review write services, one module per sub-domain (routing, nurse review, notes)."""
