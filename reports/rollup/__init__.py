"""Daily decision summaries: computed from the cases (facts), stored (build) and read back with
the days that changed since computed live again (read)."""
