import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfWriter

from determinations.models import Letter
from tests.determinations.conftest import (  # noqa: F401 - fixtures reused
    criteria_set,
    make_md_case,
    md_case,
    outbox_env,
    reference_data,
)

__all__ = ["criteria_set", "make_md_case", "md_case", "outbox_env", "reference_data"]


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def make_printed(outbox_env, make_md_case):
    """A printed letter as the pipeline leaves it: sent to the print queue with its PDF, not
    delivered. Rendering real letters is tested in tests/determinations; blank pages will do."""

    def make(*, pages: int = 2, recipient: str = "member", queued_ago=timedelta(hours=1)):
        case = make_md_case(lines=1)
        queued = timezone.now() - queued_ago
        letter = Letter.objects.create(
            care_request=case,
            recipient=recipient,
            template="approval",
            status="sent",
            channel="mail",
            sent_at=queued,
            print_ready_at=queued,
        )
        letter.pdf.save(f"{letter.pk}.pdf", ContentFile(blank_pdf(pages)), save=False)
        letter.sha256 = "0" * 64
        letter.save(update_fields=["pdf", "sha256"])
        return letter

    return make
