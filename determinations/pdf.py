"""PDF rendering: the one place that talks to WeasyPrint (STYLE: outside integrations).

Letters may load only our own static files (the print stylesheet); any other URL — a remote
image, a file path, a data: URI smuggled through a template — is refused, so a letter can never
make the worker fetch something from the network or read a file outside static/.
"""

import functools
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from determinations import fonts

log = logging.getLogger(__name__)

# Templates link "/static/..."; this base makes those absolute without naming a real host.
BASE_URL = "https://letters.invalid/"
# WeasyPrint logs every rendering step at INFO; one line per step per letter drowns the worker log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

MIME = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml", ".ttf": "font/ttf"}


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        path = static_path_for(url)
        if path is None:
            raise ValueError(f"Letters may load only our static files, not {url[:80]}")
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": MIME.get(path.suffix, "")}
        )


def static_path_for(url: str) -> Path | None:
    """The file under our static directories that `url` names, or None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        return None
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL):
        return None
    relative = path[len(settings.STATIC_URL) :]
    if not relative or ".." in Path(relative).parts or Path(relative).suffix not in MIME:
        return None
    found = finders.find(relative)
    if not found:
        collected = Path(settings.STATIC_ROOT) / relative
        found = str(collected) if collected.is_file() else None
    return Path(found) if found else None


class _MissingGlyphFilter(logging.Filter):
    """Drops WeasyPrint's one-warning-per-character ".notdef glyph" lines; the missing font has
    been reported once already (fonts.CJK_FONT_MISSING)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(".notdef glyph")


@functools.cache
def _report_missing_fonts_once() -> None:
    if fonts.cjk_font_installed():
        return
    logging.getLogger("weasyprint").addFilter(_MissingGlyphFilter())
    log.warning(fonts.CJK_FONT_MISSING)


def html_to_pdf(html: str) -> bytes:
    """Render a letter's HTML (with its print CSS) to PDF bytes."""
    _report_missing_fonts_once()
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()
