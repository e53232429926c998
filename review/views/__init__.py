"""Review HTML views, one module per page family."""
