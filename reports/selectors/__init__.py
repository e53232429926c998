"""Read-only aggregates for the reports. Every aggregate runs in the database; the selectors
return plain dataclasses and dicts that templates, CSV and PDF renderers share."""
