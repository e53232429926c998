"""HTML views of the quality app, one module per sub-domain."""

from .setup import setup_page

__all__ = ["setup_page"]
