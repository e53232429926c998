"""Provider portal views: requests (list, case page, actions), the guided submission flow and
code search."""
