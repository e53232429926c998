"""The one place that talks HTTP to a subscriber's endpoint (a rest-hook POST)."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class PostResult:
    ok: bool
    error: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would send the payload to an address the subscription never named.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post_json(url: str, body: dict, *, headers: list[str], timeout: int) -> PostResult:
    """POST `body` as FHIR JSON; ok for a 2xx answer. Never raises for network errors."""
    if urlsplit(url).scheme not in ("http", "https"):  # checked at subscription too
        return PostResult(False, "Not delivered: the endpoint is not an http(s) URL.")
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")  # noqa: S310
    for header in headers:
        name, _, value = header.partition(":")
        if name.strip() and value.strip():
            request.add_header(name.strip(), value.strip())
    request.add_header("Content-Type", "application/fhir+json")
    try:
        with _opener.open(request, timeout=timeout) as response:
            if 200 <= response.status < 300:
                return PostResult(True)
            return PostResult(False, f"HTTP {response.status}")
    except urllib.error.HTTPError as exc:
        return PostResult(False, f"HTTP {exc.code}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return PostResult(False, f"Not delivered: {reason}"[:300])
