"""Demo faxes for the inbox: generated at seed time from the demo's own members and providers, so
that "Create request" works on them, and read at once (OCR needs tesseract-ocr; without it the
items show the one-line failure instead). One fax is left for manual entry, as a fax whose
reading kept stopping is."""

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from intake.models import Coverage, Provider

from . import ocr, samples
from .deskew import deskew
from .models import InboundDocument
from .services.processing import _store_image, inbound_document_read
from .services.receive import inbound_document_receive
from .services.stale import inbound_document_retry_stale

# (layout, how it arrives, hours ago, vertical dpi or None for a fillable PDF, cover+notes).
# Three OCR'd pages in all: seeding runs in several tests, and each page costs about a second of
# CPU.
DEMO_FAXES = [
    ("uniform", InboundDocument.Source.WATCHED_FOLDER, 3, 200, False),
    ("acroform", InboundDocument.Source.UPLOAD, 1, None, False),
    ("grid", InboundDocument.Source.API, 0.5, 200, True),
]


def seed_inbox(*, rng: random.Random, log=print) -> int:
    """A few faxes in the inbox, already read; none if the inbox has any."""
    if InboundDocument.objects.exists():
        return 0
    coverages = list(
        Coverage.objects.select_related("member").filter(member__birth_date__isnull=False)[:20]
    )
    providers = list(Provider.objects.order_by("npi")[:10])
    if not coverages or len(providers) < 2:
        return 0
    today = timezone.localdate()
    made = 0
    for layout, source, hours, dpi, extra_pages in DEMO_FAXES:
        request = _demo_request(rng, coverages, providers, today)
        if dpi is None:
            data, name = samples.acroform_pdf(request), "fillable-request.pdf"
        else:
            pdf = samples.request_pdf(request, layout, cover=extra_pages)
            data, name = samples.fax_tiff(pdf, vertical_dpi=dpi, seed=made), f"fax-{made + 1}.tif"
        document = inbound_document_receive(
            actor=None,
            name=name,
            data=data,
            source=source,
            arrived_at=timezone.now() - timedelta(hours=hours),
        )
        document = inbound_document_read(document_id=document.pk)
        log(f"  demo fax {name}: {document.get_status_display()}")
        made += 1
    request = _demo_request(rng, coverages, providers, today)
    document = fax_left_for_manual_entry(
        request, name="fax-unreadable.tif", arrived_at=timezone.now() - timedelta(hours=5)
    )
    log(f"  demo fax {document.original_name}: {document.get_status_display()}")
    return made + 1


def fax_left_for_manual_entry(
    request: samples.SampleRequest, *, name: str, arrived_at: datetime
) -> InboundDocument:
    """A received fax whose every reading stopped part-way (as when a page kills the worker):
    the worker had drawn and kept its pages, then showed no progress; the stale-item sweep, run
    here as the beat would run it, gives up after the last attempt and leaves it "Could not be
    read" for a person to type in from the page images. Only the dying is staged: the fax,
    its stored pages and the give-up are the product's own code."""
    tiff = samples.fax_tiff(samples.request_pdf(request, "simple"), vertical_dpi=200, seed=7)
    images = ocr.image_pages(tiff)
    # One transaction: the reading that receiving queues finds the fax already given up on.
    with transaction.atomic():
        document = inbound_document_receive(
            actor=None, name=name, data=tiff, source="folder", arrived_at=arrived_at
        )
        document.start_processing()
        document.attempts = settings.INBOX_READ_ATTEMPTS  # the earlier attempts died the same way
        document.page_count = len(images)
        document.save()
        for number, image in enumerate(images, start=1):
            _store_image(document, number, deskew(image))
        stopped = timezone.now() - timedelta(minutes=settings.INBOX_STALE_MINUTES + 1)
        InboundDocument.objects.filter(pk=document.pk).update(progress_at=stopped)
        inbound_document_retry_stale()
    return InboundDocument.objects.get(pk=document.pk)


def _demo_request(rng, coverages, providers, today):
    """A sample form filled in for a real demo member and two real demo providers."""
    coverage = rng.choice(coverages)
    requesting, servicing = rng.sample(providers, 2)
    request = samples.sample_request(
        rng, member_id=coverage.member_number, dob=coverage.member.birth_date, today=today
    )
    request.member_first = coverage.member.first_name
    request.member_last = coverage.member.last_name
    request.requesting_name, request.requesting_npi = requesting.name, requesting.npi
    request.servicing_name, request.servicing_npi = servicing.name, servicing.npi
    return request
