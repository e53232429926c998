"""Fixtures for the intake tests: files of each format, a checklist, cases in any state."""

import pytest

from intake.models import CareRequest, ChecklistRequirement, DocumentKind
from intake.services.documents import document_upload
from intake.services.eligibility import eligibility_check_record
from tests.factories import category, make_case

# The smallest files each sniffer recognises, plus a little content.
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
TIFF_BYTES = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 20
TEXT_BYTES = b"Patient notes typed in a text editor, not a PDF at all.\n"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a per-test directory, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def imaging_checklist(db):
    """Advanced imaging needs clinical notes (required) and an order (optional)."""
    imaging = category("imaging")
    return [
        ChecklistRequirement.objects.create(
            key="imaging-notes",
            category=imaging,
            document_kind=DocumentKind.CLINICAL_NOTES,
            description="Clinical notes from the last 90 days",
            required=True,
        ),
        ChecklistRequirement.objects.create(
            key="imaging-order",
            category=imaging,
            document_kind=DocumentKind.ORDER,
            description="Physician order",
            required=False,
        ),
    ]


@pytest.fixture
def received_case(intake_specialist, organization):
    """A fax request received by intake for `organization`, not yet verified."""
    return make_case(actor=intake_specialist, organization=organization)


@pytest.fixture
def ready_case(intake_specialist, organization, imaging_checklist):
    """Eligibility verified and every required document received: ready for triage."""
    case = make_case(actor=intake_specialist, organization=organization)
    eligibility_check_record(care_request=case, actor=intake_specialist)
    document_upload(
        care_request=case,
        actor=intake_specialist,
        kind=DocumentKind.CLINICAL_NOTES,
        name="notes.pdf",
        data=PDF_BYTES,
        channel="fax",
    )
    return CareRequest.objects.get(pk=case.pk)


def force_status(case: CareRequest, status: str, *, pended_from: str = "") -> CareRequest:
    """Put a case straight into `status` for tests about what may happen from there.

    The field is protected, so this bypasses the state machine on purpose (a queryset update).
    """
    CareRequest.objects.filter(pk=case.pk).update(status=status, pended_from=pended_from)
    return CareRequest.objects.get(pk=case.pk)
