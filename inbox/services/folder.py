"""The watched fax folder: a fax server drops files into INBOX_WATCH_DIR; a periodic task picks up
the complete ones and moves them out of the way once they are safely in the inbox.

A file is complete when it is not named *.part/*.tmp (the usual write-then-rename convention) and
its size and modification time have not changed since the previous scan: a fax server still
writing a file is never half-read.
"""

import json
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ..models import InboundDocument
from .receive import inbound_document_receive

logger = logging.getLogger(__name__)
IN_PROGRESS_SUFFIXES = (".part", ".tmp", ".partial", ".crdownload")
STATE_FILE = ".inbox-scan.json"
DONE_DIR = "received"


def _signature(path: Path) -> list[float]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime]


def watch_folder_scan(*, folder: Path | None = None) -> list[InboundDocument]:
    """Receive every complete file in the folder; returns what was received."""
    configured = folder or settings.INBOX_WATCH_DIR
    if not configured or not Path(configured).is_dir():
        return []
    folder = Path(configured)
    state_path = folder / STATE_FILE
    try:
        previous = json.loads(state_path.read_text())
    except (OSError, ValueError):
        previous = {}
    seen: dict[str, list[float]] = {}
    received = []
    done = folder / DONE_DIR
    for path in sorted(folder.iterdir()):
        if (
            not path.is_file()
            or path.name.startswith(".")
            or path.name.endswith(IN_PROGRESS_SUFFIXES)
        ):
            continue
        signature = _signature(path)
        if previous.get(path.name) != signature:
            seen[path.name] = signature  # new or still growing: look again next scan
            continue
        document = inbound_document_receive(
            actor=None,
            name=path.name,
            data=path.read_bytes(),
            source=InboundDocument.Source.WATCHED_FOLDER,
        )
        done.mkdir(exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
        path.rename(done / f"{stamp}-{document.pk}{path.suffix}")
        received.append(document)
    state_path.write_text(json.dumps(seen))
    return received
