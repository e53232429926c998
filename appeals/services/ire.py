"""Medicare Advantage: forwarding to the independent review entity (IRE) and its decision."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from determinations import pdf
from determinations.services.appeal import determination_effectuate_ire_overturn
from um_portal.audit.services import audit_event
from um_portal.lib.errors import ValidationFailed

from ..models import FORWARDABLE_STATUSES, Appeal, AppealLine, is_medicare_advantage
from ..selectors import case_file_context
from .transitions import appeal_transition


def appeal_forward_to_ire(*, appeal_id) -> bool:
    """42 CFR 422.592: an MA reconsideration that affirms the denial in whole or in part goes to
    the IRE with its case file, automatically. Idempotent: the transition claims the appeal
    (a second run finds it forwarded and does nothing). The PDF is rendered before the
    transaction so a slow render holds no lock."""
    appeal = Appeal.objects.filter(pk=appeal_id).first()
    if (
        appeal is None
        or appeal.status not in FORWARDABLE_STATUSES
        or not is_medicare_advantage(appeal)
    ):
        return False
    data = pdf.html_to_pdf(
        render_to_string("appeals/ire_case_file.html", case_file_context(appeal))
    )
    with transaction.atomic():
        locked = appeal_transition(
            appeal=appeal,
            name="forward_to_ire",
            actor=None,
            system=True,
            note="Forwarded automatically with the case file.",
        )
        locked.ire_case_file.save(f"{locked.pk}.pdf", ContentFile(data), save=False)
        Appeal.objects.filter(pk=locked.pk).update(
            ire_case_file=locked.ire_case_file.name,
            ire_case_file_sha256=hashlib.sha256(data).hexdigest(),
            ire_forwarded_at=timezone.now(),
        )
        audit_event(
            actor=None,
            action="appeal.forwarded_to_ire",
            case_id=locked.care_request_id,
            summary=f"Appeal {locked.reference} forwarded to the independent review entity.",
            data={"appeal": str(locked.pk)},
        )
    return True


@transaction.atomic
def appeal_record_ire_decision(
    *, appeal: Appeal, actor, overturned: bool, ire_reference: str
) -> Appeal:
    """Intake or the UM manager records the IRE's decision. An overturn is effectuated at once:
    the lines still denied are approved and authorized (42 CFR 422.618(b))."""
    ire_reference = (ire_reference or "").strip()
    if not ire_reference:
        raise ValidationFailed(
            "Give the IRE's case number.", field_errors={"ire_reference": ["Required."]}
        )
    name = "record_ire_overturned" if overturned else "record_ire_upheld"
    locked = appeal_transition(appeal=appeal, name=name, actor=actor, note=ire_reference)
    now = timezone.now()
    fields = {"ire_decided_at": now, "ire_reference": ire_reference}
    if overturned:
        still_denied = list(
            locked.lines.filter(outcome=AppealLine.Outcome.UPHELD).values_list(
                "service_line_id", flat=True
            )
        )
        determination_effectuate_ire_overturn(
            case=locked.care_request,
            actor=actor,
            line_ids=still_denied,
            appeal_id=locked.pk,
            ire_reference=ire_reference,
        )
        AppealLine.objects.filter(appeal=locked, outcome=AppealLine.Outcome.UPHELD).update(
            outcome=AppealLine.Outcome.OVERTURNED
        )
        fields["ire_effectuated_at"] = now
    Appeal.objects.filter(pk=locked.pk).update(**fields)
    audit_event(
        actor=actor,
        action="appeal.ire_decided",
        case_id=locked.care_request_id,
        summary=f"IRE decision recorded for appeal {locked.reference}: "
        + ("overturned" if overturned else "upheld")
        + ".",
        data={"appeal": str(locked.pk), "ire_reference": ire_reference},
    )
    appeal.refresh_from_db()
    return appeal
