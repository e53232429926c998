"""Reading an inbound document, in a Celery worker (never in the web request): draw its pages,
OCR them (or read a fillable PDF's fields), extract the request's fields and check them.

Progress is written page by page (each its own short transaction) so the inbox can show it.
"""

import functools
import logging
import re
import time
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from intake.apis.coding import CATALOG
from intake.models import AuthRequirementRule, AutoApprovalRule, Coverage, Member, Provider
from um_portal.audit.services import audit_event
from um_portal.lib.codes import CodeSystem

from .. import extraction, ocr
from ..deskew import deskew
from ..models import ExtractedField, InboundDocument, InboundPage
from ..validation import Records, validate

logger = logging.getLogger(__name__)
S = InboundDocument.Status


def db_records() -> Records:
    def by_id(member_id: str, dob: date) -> bool:
        return Coverage.objects.filter(
            member_number=member_id.upper(), member__birth_date=dob
        ).exists()

    def by_name(name: str, dob: date) -> bool:
        parts = name.split()
        if len(parts) < 2:
            return False
        return Member.objects.filter(
            first_name__iexact=parts[0], last_name__iexact=parts[-1], birth_date=dob
        ).exists()

    # Validation asks about each NPI more than once (is it on file, whose name is it): one
    # query per NPI per document.
    @functools.cache
    def provider(npi: str) -> str | None:
        return Provider.objects.filter(npi=npi).values_list("name", flat=True).first()

    return Records(by_id, by_name, provider, known_service_codes)


CATALOG_CODES = frozenset(
    e.code for e in CATALOG if e.code_system in (CodeSystem.CPT, CodeSystem.HCPCS)
)


def known_service_codes(codes) -> set[str]:
    """The CPT/HCPCS codes among `codes` that the plan knows: its service catalogue (the codes
    the portal offers) and the codes its needs-assessment and auto-approval rules name one by
    one (a rule's range is not a list: every misread inside 70010-79999 would pass it)."""
    codes = set(codes)
    known = codes & CATALOG_CODES
    rest = codes - known
    if rest:
        known |= set(
            AuthRequirementRule.objects.filter(code_from__in=rest, code_to="").values_list(
                "code_from", flat=True
            )
        )
        for listed in AutoApprovalRule.objects.filter(
            service_codes__has_any_keys=sorted(rest)
        ).values_list("service_codes", flat=True):
            known |= rest & set(listed)
    return known


def _locked(document_id) -> InboundDocument:
    return InboundDocument.objects.select_for_update().get(pk=document_id)


def _still_mine(document: InboundDocument, attempt: int) -> bool:
    # A worker that was only slow, not dead, may finish after the stale-item task gave its
    # reading to another attempt: the newer attempt's result stands.
    return document.status == S.PROCESSING and document.attempts == attempt


def _fail(document_id, reason: str, *, attempt: int | None = None) -> None:
    with transaction.atomic():
        document = _locked(document_id)
        if document.status not in (S.RECEIVED, S.PROCESSING):
            return
        if attempt is not None and not _still_mine(document, attempt):
            return
        document.fail(reason=reason)
        document.save()
        audit_event(
            actor=None,
            action="inbox.failed",
            summary=f"Inbound document could not be read: {reason}",
            data={"inbound_document": str(document.pk)},
        )


def inbound_document_read(*, document_id) -> InboundDocument:
    """Read the document if it is waiting; a second delivery of the task finds it taken and does
    nothing. A file that cannot be read ends "failed" with a reason a person can act on; the
    original file stays."""
    with transaction.atomic():
        document = _locked(document_id)
        if document.status != S.RECEIVED:
            return document
        document.start_processing()
        document.save()
    attempt = document.attempts
    started = time.monotonic()
    try:
        read_method = _read(document)
    except (ocr.BadInput, ocr.OcrUnavailable) as error:
        _fail(document.pk, str(error), attempt=attempt)
    except Exception:  # a bug must leave a clear status, not an item stuck "reading"
        logger.exception("Reading inbound document %s failed", document.pk)
        _fail(
            document.pk,
            "The file could not be read (an unexpected error; it is logged).",
            attempt=attempt,
        )
    else:
        with transaction.atomic():
            document = _locked(document.pk)
            if not _still_mine(document, attempt):
                return document
            document.finish_reading(
                read_method=read_method, seconds=round(time.monotonic() - started, 2)
            )
            document.save()
            audit_event(
                actor=None,
                action="inbox.read",
                summary=f"Inbound document read ({document.get_read_method_display()}).",
                data={"inbound_document": str(document.pk)},
            )
    return InboundDocument.objects.get(pk=document.pk)


def _page_limit_check(pages: int) -> None:
    limit = settings.INBOX_MAX_PAGES
    if pages > limit:
        raise ocr.BadInput(
            f"The document has {pages} pages; the inbox reads at most {limit}. "
            "Ask the sender to split it."
        )


def _read(document: InboundDocument) -> str:
    with document.file.open("rb") as fh:
        data = fh.read()
    form_fields: dict[str, str] = {}
    if document.content_type == "application/pdf":
        info = ocr.pdf_inspect(data)
        _page_limit_check(info.pages)
        form_fields = info.form_fields
        images = ocr.pdf_rasterise(data)
    else:
        _page_limit_check(ocr.image_page_count(data))
        images = ocr.image_pages(data)
    InboundDocument.objects.filter(pk=document.pk).update(page_count=len(images))
    candidates = acroform_candidates(form_fields)
    read_method = InboundDocument.ReadMethod.ACROFORM if candidates else ""
    if not read_method:
        ocr.tesseract_check()  # one clear line before any page is drawn
        read_method = InboundDocument.ReadMethod.OCR
    pages: list[extraction.Page] = []
    InboundPage.objects.filter(document=document).delete()  # a retried reading starts afresh
    for number, image in enumerate(images, start=1):
        if read_method == InboundDocument.ReadMethod.OCR:
            # Straightened first: the stored image is the one the field regions refer to.
            image = deskew(image)
        # The image is kept before it is read: a page the OCR fails on can still be typed in.
        row = _store_image(document, number, image)
        words = ocr.ocr_words(image) if read_method == InboundDocument.ReadMethod.OCR else []
        page = extraction.Page(number, words, image)
        pages.append(page)
        _store_reading(row, page, form=bool(candidates) and number == 1)
        InboundDocument.objects.filter(pk=document.pk, attempts=document.attempts).update(
            pages_done=number, progress_at=timezone.now()
        )
    if not candidates:
        candidates = extraction.read_form(pages)
    reference = next(
        (
            extraction.find_reference(extraction.page_text(p))
            for p in pages
            if extraction.page_kind(p) != "request_form"
        ),
        "",
    )
    _store_fields(document, candidates, reference)
    return read_method


def _store_image(document: InboundDocument, number: int, image) -> InboundPage:
    row = InboundPage(document=document, number=number, width=image.width, height=image.height)
    row.image.save(f"page-{number}.png", ContentFile(ocr.png_bytes(image)), save=False)
    row.save()
    return row


def _store_reading(row: InboundPage, page: extraction.Page, *, form: bool) -> None:
    row.text = extraction.page_text(page)
    row.kind = "request_form" if form else extraction.page_kind(page)
    row.suggested_document_kind = (
        "request_form" if row.kind == "request_form" else extraction.suggest_document_kind(row.text)
    )
    row.mean_confidence = (
        round(sum(w.conf for w in page.words) / len(page.words), 1) if page.words else None
    )
    row.save(update_fields=["text", "kind", "suggested_document_kind", "mean_confidence"])


@transaction.atomic
def _store_fields(document: InboundDocument, candidates, reference: str) -> None:
    ExtractedField.objects.filter(document=document).delete()
    ExtractedField.objects.bulk_create(
        ExtractedField(
            document=document,
            name=candidate.name,
            value=candidate.value[:500],
            confidence=round(candidate.confidence, 1),
            page=candidate.page,
            bbox=candidate.bbox,
            valid=not message,
            validation_message=message[:300],
            sequence=i,
        )
        for i, (candidate, message) in enumerate(
            validate(candidates, db_records(), timezone.localdate(document.arrived_at))
        )
    )
    InboundDocument.objects.filter(pk=document.pk).update(answers_reference=reference)


# --- fillable PDFs ------------------------------------------------------------------------------

ACROFORM_ALIASES = {
    "patient_name": "member_name",
    "member_dob": "member_dob",
    "dob": "member_dob",
    "date_of_birth": "member_dob",
    "member_id": "member_id",
    "subscriber_id": "member_id",
    "requesting_provider_npi": "requesting_npi",
    "requesting_provider_name": "requesting_name",
    "servicing_provider_npi": "servicing_npi",
    "servicing_provider_name": "servicing_name",
    "phone": "contact_phone",
    "fax": "contact_fax",
}
KNOWN = re.compile(
    r"^(member_(name|id|dob)|(requesting|servicing)_(name|npi)|service_\d+_(code|units|start|end)"
    r"|diagnosis_\d+|urgency|setting|clinical_reason|contact_(phone|fax))$"
)


def acroform_candidates(form_fields: dict[str, str]) -> list[extraction.Candidate]:
    """A fillable PDF's values, read from its fields: exact, so confidence 100 and no region."""
    out = []
    for raw_name, value in form_fields.items():
        key = re.sub(r"[^a-z0-9]+", "_", raw_name.lower()).strip("_")
        key = ACROFORM_ALIASES.get(key, key)
        if not KNOWN.match(key) or not value or value == "Off":
            continue
        if key == "member_dob" or key.endswith(("_start", "_end")):
            value = extraction.parse_date(value) or value
        elif key.startswith("contact_"):
            value = extraction.parse_phone(value) or value
        elif key in ("urgency", "setting"):
            value = value.lower()
        elif key == "member_id" or key.endswith("_code") or key.startswith("diagnosis_"):
            value = value.strip().upper()
        out.append(extraction.Candidate(name=key, value=value.strip(), confidence=100.0))
    # Two or more of our fields: it is a request form we can read; otherwise OCR it.
    return out if len(out) >= 2 else []
