"""Filing an appeal: every refusal is a field error and writes nothing."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from determinations.models import AppealPolicy, Determination, Letter, LineDecision
from determinations.selectors import DEFAULT_APPEAL_DAYS
from determinations.services.outbox import letters_create
from intake.models import CareRequest, Priority, ServiceLine
from intake.models.care_request import is_case_provider
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import NotPermitted, ValidationFailed
from um_portal.lib.template_formats import day

from ..models import OPEN_STATUSES, Appeal, AppealEvent, AppealLine, AppealStatus
from .clock import appeal_due_at, appeal_hours, service_timing_for

ADVERSE = (LineDecision.Outcome.DENIED, LineDecision.Outcome.MODIFIED)
# A receipt time this far in the past is a back-dated receipt and needs a reason.
BACKDATE_TOLERANCE = timedelta(minutes=15)


@dataclass(frozen=True)
class IntakeReceipt:
    """What intake records for an appeal that came by phone, fax or mail."""

    channel: str
    requester: str
    received_at: datetime | None = None
    backdate_reason: str = ""
    late_good_cause: str = ""


def _refuse(field: str, message: str):
    raise ValidationFailed(message, field_errors={field: [message]})


def appeal_deadline(determination: Determination) -> "datetime.date":
    """The last day to file: AppealPolicy.appeal_days from the letter's date (the decision
    day, the date the letters carry)."""
    lob = determination.care_request.coverage.plan.line_of_business
    days = (
        AppealPolicy.objects.filter(line_of_business=lob)
        .values_list("appeal_days", flat=True)
        .first()
    ) or DEFAULT_APPEAL_DAYS
    return timezone.localdate(determination.decided_at) + timedelta(days=days)


@transaction.atomic
def appeal_file(
    *,
    care_request: CareRequest,
    actor,
    reason: str,
    expedited: bool = False,
    line_ids: list | None = None,
    channel: str = Appeal.Channel.PORTAL,
    intake: IntakeReceipt | None = None,
) -> Appeal:
    """File an appeal of the adverse determination in force on `care_request`.

    A provider (portal, API) files for their organisation's case: the requester is the
    physician's office, so an expedited request is always expedited (42 CFR 422.584(c)(2)(ii)).
    Intake files for what came by phone, fax or mail (`intake`): the channel, the real receipt
    time (back-dating needs a reason) and, for a late filing, the good cause it accepted.
    `line_ids` default to every adverse line. Raises ValidationFailed with field errors (no
    adverse determination, approved lines, too late, already under appeal) or NotPermitted;
    nothing is written then.
    """
    if intake is not None:
        if not user_has_role(actor, Role.INTAKE):
            raise NotPermitted("Only intake records an appeal received by phone, fax or mail.")
        channel = intake.channel
        requester = intake.requester
    elif is_case_provider(care_request, actor):
        requester = Appeal.Requester.PROVIDER
    elif _is_case_member(care_request, actor):
        requester = Appeal.Requester.MEMBER
        channel = Appeal.Channel.MEMBER
    else:
        raise NotPermitted(
            "Only the member, the requesting provider or intake may file this appeal."
        )
    # Serialises filings on one case: two at once cannot both pass the "already appealed" check.
    case = (
        CareRequest.objects.select_for_update()
        .select_related("coverage__plan")
        .get(pk=care_request.pk)
    )
    reviewed = Determination.objects.filter(care_request=case).order_by("-decided_at").first()
    adverse = {
        line.pk: line
        for line in ServiceLine.objects.filter(care_request=case, decision__in=ADVERSE)
    }
    if reviewed is None or not adverse:
        _refuse("care_request", "This request has no adverse decision to appeal.")
    lines = _chosen_lines(case, line_ids, adverse)
    reason = (reason or "").strip()
    if not reason:
        _refuse("reason", "Say why the decision should be changed.")

    now = timezone.now()
    received_at, backdate_reason = now, ""
    if intake is not None and intake.received_at is not None:
        received_at = intake.received_at
        if received_at > now + timedelta(minutes=1):
            _refuse("received_at", "The receipt time cannot be in the future.")
        if received_at < now - BACKDATE_TOLERANCE:
            backdate_reason = (intake.backdate_reason or "").strip()
            if not backdate_reason:
                _refuse(
                    "backdate_reason",
                    "Say why the appeal is recorded with an earlier receipt time "
                    "(e.g. the fax arrived overnight).",
                )
    deadline = appeal_deadline(reviewed)
    good_cause = ""
    if timezone.localdate(received_at) > deadline:
        good_cause = (intake.late_good_cause if intake else "").strip()
        if not good_cause:
            _refuse(
                "received_at" if intake else "care_request",
                f"The appeal window closed on {day(deadline)}"
                + (
                    ": record the good cause to accept a late appeal."
                    if intake
                    else "; ask the plan's appeals unit about a late appeal for good cause."
                ),
            )
    open_lines = AppealLine.objects.filter(
        service_line__in=lines, appeal__status__in=OPEN_STATUSES
    ).select_related("appeal")
    if open_lines:
        refs = sorted({al.appeal.reference for al in open_lines})
        _refuse("lines", f"These services are already under appeal ({', '.join(refs)}).")

    priority = Priority.EXPEDITED if expedited else Priority.STANDARD
    timing = service_timing_for(case)
    lob = case.coverage.plan.line_of_business
    hours = appeal_hours(line_of_business=lob, service_timing=timing, priority=priority)
    if hours is None:
        _refuse(
            "expedited",
            "An expedited appeal is for a service not yet received; this one is a payment appeal."
            if expedited
            else "No appeal deadline is set up for this plan; ask the UM manager.",
        )

    appeal = Appeal.objects.create(
        care_request=case,
        reviewed_determination=reviewed,
        line_of_business=lob,
        service_timing=timing,
        priority=priority,
        channel=channel,
        requester=requester,
        physician_requested_expedited=expedited and requester == Appeal.Requester.PROVIDER,
        reason=reason,
        filed_by=actor,
        received_at=received_at,
        receipt_backdate_reason=backdate_reason,
        due_at=appeal_due_at(received_at, hours),
        late_filing_good_cause=good_cause,
    )
    AppealLine.objects.bulk_create(AppealLine(appeal=appeal, service_line=line) for line in lines)
    AppealEvent.objects.create(
        appeal=appeal,
        transition="file",
        from_status="",
        to_status=AppealStatus.RECEIVED,
        actor=actor,
        at=now,
        note=backdate_reason,
    )
    audit_event(
        actor=actor,
        action="appeal.filed",
        case_id=case.pk,
        summary=f"Appeal {appeal.reference} filed ({appeal.get_priority_display().lower()}).",
        data={
            "appeal": str(appeal.pk),
            "lines": [str(line.pk) for line in lines],
            "channel": channel,
            "received_at": received_at.isoformat(),
            "backdate_reason": backdate_reason,
            "late_good_cause": good_cause,
        },
    )
    # An expedited appeal is answered within 72 hours, which is its acknowledgement.
    if priority == Priority.STANDARD:
        letters_create(reviewed, template=Letter.Template.APPEAL_ACK, appeal_id=appeal.pk)
    return appeal


def _is_case_member(case: CareRequest, actor) -> bool:
    """The member the case is about, signed in to their own pages. The members app links the
    user to the member (`member_account`); read through that relation, not an import, because
    members sits above appeals."""
    account = getattr(actor, "member_account", None) if user_has_role(actor, Role.MEMBER) else None
    return account is not None and account.member_id == case.member_id


def _chosen_lines(case: CareRequest, line_ids, adverse: dict) -> list[ServiceLine]:
    if not line_ids:
        return sorted(adverse.values(), key=lambda line: line.sequence)
    try:
        wanted = {uuid.UUID(str(i)) for i in line_ids}
    except ValueError:
        _refuse("lines", "Choose the services to appeal from this request.")
    lines = {line.pk: line for line in ServiceLine.objects.filter(care_request=case, pk__in=wanted)}
    if set(lines) != wanted:
        _refuse("lines", "Choose the services to appeal from this request.")
    approved = [line for pk, line in lines.items() if pk not in adverse]
    if approved:
        names = ", ".join(
            f"line {line.sequence}" for line in sorted(approved, key=lambda x: x.sequence)
        )
        _refuse(
            "lines",
            f"Only denied or reduced services can be appealed; {names} was approved as requested.",
        )
    return sorted(lines.values(), key=lambda line: line.sequence)
