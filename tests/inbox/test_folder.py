"""The watched fax folder: complete files are received and moved; a file still being written is
left alone until it stops changing."""

import os

import pytest

from inbox.models import InboundDocument
from inbox.services.folder import watch_folder_scan

from .conftest import blank_png

pytestmark = pytest.mark.django_db


def test_a_file_is_received_once_its_size_is_stable_across_two_scans(tmp_path, settings):
    settings.INBOX_WATCH_DIR = str(tmp_path)
    (tmp_path / "fax1.png").write_bytes(blank_png())
    assert watch_folder_scan() == []  # first sight: could still be growing
    received = watch_folder_scan()
    assert [d.original_name for d in received] == ["fax1.png"]
    assert received[0].source == InboundDocument.Source.WATCHED_FOLDER
    assert not (tmp_path / "fax1.png").exists()
    moved = list((tmp_path / "received").iterdir())
    assert len(moved) == 1
    assert moved[0].read_bytes() == blank_png()
    assert watch_folder_scan() == []  # nothing twice


def test_a_half_written_file_is_not_picked_up(tmp_path, settings):
    settings.INBOX_WATCH_DIR = str(tmp_path)
    data = blank_png()
    path = tmp_path / "fax2.tif"
    path.write_bytes(data[:20])
    assert watch_folder_scan() == []
    with path.open("ab") as fh:  # the fax server is still writing
        fh.write(data[20:40])
    assert watch_folder_scan() == []
    assert InboundDocument.objects.count() == 0
    assert path.exists()


def test_a_part_file_is_never_picked_up_until_renamed(tmp_path, settings):
    settings.INBOX_WATCH_DIR = str(tmp_path)
    part = tmp_path / "fax3.png.part"
    part.write_bytes(blank_png())
    assert watch_folder_scan() == []
    assert watch_folder_scan() == []
    assert InboundDocument.objects.count() == 0
    os.rename(part, tmp_path / "fax3.png")
    watch_folder_scan()
    assert [d.original_name for d in watch_folder_scan()] == ["fax3.png"]


def test_no_folder_configured_does_nothing(settings):
    settings.INBOX_WATCH_DIR = ""
    assert watch_folder_scan() == []
