"""Printable PDFs of reports through WeasyPrint (the one module that talks to it).

The HTML is self-contained (print CSS inline in the template), so the fetcher refuses every
URL: a report never reaches the network or the file system while it renders.
"""

from django.template.loader import render_to_string
from weasyprint import HTML, URLFetcher


class _NoFetching(URLFetcher):
    def fetch(self, url, headers=None):
        raise ValueError("Reports render without external resources.")


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, url_fetcher=_NoFetching()).write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template_name, context))
