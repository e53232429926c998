"""Find active content in a PDF: JavaScript and launch actions, which a viewer may run when the
file is opened (OWASP file upload: reject what can execute). A small scanner of ours, no PDF
library: name tokens (with #xx escapes undone) in the file and in its compressed object streams.
"""

import re
import zlib

ACTIVE_NAMES = frozenset({b"JavaScript", b"JS", b"Launch"})
# A compressed object stream may hide the dictionaries; inflate at most this much of each.
MAX_INFLATED = 20 * 1024 * 1024

_NAME = re.compile(rb"/((?:[A-Za-z0-9_.+\-]|#[0-9A-Fa-f]{2})+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)


def _names(data: bytes) -> set[bytes]:
    return {_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), m[1]) for m in _NAME.finditer(data)}


def _object_streams(data: bytes):
    for match in _STREAM.finditer(data):
        header = data[max(0, match.start() - 400) : match.start()]
        if b"/ObjStm" not in header and b"/Obj#53tm" not in header:
            continue
        try:
            yield zlib.decompressobj().decompress(match[1], MAX_INFLATED)
        except zlib.error:
            continue


def pdf_active_content(data: bytes) -> list[str]:
    """The kinds of active content found ("JavaScript", "Launch"), empty for a plain PDF."""
    names = _names(data)
    for inflated in _object_streams(data):
        names |= _names(inflated)
    found = names & ACTIVE_NAMES
    kinds = []
    if found & {b"JavaScript", b"JS"}:
        kinds.append("JavaScript")
    if b"Launch" in found:
        kinds.append("Launch")
    return kinds
