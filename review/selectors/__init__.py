"""Review reads, always scoped to the asking user."""
