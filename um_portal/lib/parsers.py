"""Request parsers that refuse hostile JSON before parsing it.

Python's JSON decoder recurses once per nesting level: `[` repeated 5,000 times ends in a
RecursionError (a 500). The depth is measured on the raw bytes first, outside strings, and a
body nested deeper than any real request answers 400.
"""

import io
import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# FHIR bundles, the deepest bodies we accept, nest about a dozen levels.
MAX_JSON_DEPTH = 64

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_A_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_OPENING = frozenset(b"[{")


def json_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text (brackets in strings skipped)."""
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_A_BRACKET)
    depth = deepest = 0
    for byte in brackets:
        if byte in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def json_too_deep(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    # Cheap first: fewer opening brackets than the limit cannot nest deeper than it.
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    return json_depth(raw) > limit


class DepthLimitedJSONParser(JSONParser):
    """JSONParser that answers 400 for a body nested deeper than MAX_JSON_DEPTH."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read()
        if json_too_deep(raw):
            raise ParseError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels is not accepted.")
        return super().parse(io.BytesIO(raw), media_type, parser_context)
