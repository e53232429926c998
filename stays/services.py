"""Writes on stays: the admission notification, continued-stay requests, level-of-care changes,
discharge, discharge-planning notes and the nurse's approval of days. Every concurrent review is
created through intake's care_request_create, so grants, rules, checklists and clocks apply as to
any other request; the hooks below are how intake links it to the stay (ADR 0006)."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, has_transition_perm

from intake.models import CareRequest, CareRequestStatus, Coverage, Provider, ServiceCategory
from intake.services.receipt import ServiceLineInput, care_request_create
from review.services.nurse_review import care_request_nurse_approve
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed

from .models import (
    LEVEL_BY_REVENUE_CODE,
    REVENUE_CODE_BY_LEVEL,
    AdmissionType,
    DischargeDisposition,
    DischargePlanningNote,
    LevelOfCare,
    LevelOfCareSegment,
    Stay,
    StayReview,
    StayStatus,
)
from .selectors import stay_review_days

# Emergency admissions are notified after the fact (within one business day); a notification
# more than this many days after the admission is still taken, but a stay cannot begin later.
MAX_REQUESTED_DAYS = 30
OPEN = (
    CareRequestStatus.DRAFT,
    CareRequestStatus.SUBMITTED,
    CareRequestStatus.PENDING_INFO,
    CareRequestStatus.NURSE_REVIEW,
    CareRequestStatus.MD_REVIEW,
)


def _fail(field: str, message: str):
    return ValidationFailed("The request has errors.", field_errors={field: [message]})


def _case_id(stay: Stay):
    first = stay.reviews.order_by("sequence").values_list("care_request_id", flat=True).first()
    return first


# --- hooks intake calls at receipt ---------------------------------------------------------


def stay_concurrent_received(care_request: CareRequest, actor) -> None:
    """Link a concurrent request to the member's open stay, opening one from the request when
    there is none (the facility, the first service date as the admission, the level of care
    from the room-and-board revenue code). Idempotent. Raises ValidationFailed when the request
    cannot belong to a stay."""
    if StayReview.objects.filter(care_request=care_request).exists():
        return
    lines = list(care_request.service_lines.order_by("sequence"))
    first = lines[0]
    stay = (
        Stay.objects.select_for_update()
        .filter(member_id=care_request.member_id, status=StayStatus.IN_HOUSE)
        .first()
    )
    level = LEVEL_BY_REVENUE_CODE.get(first.code) if first.code_system == "revenue" else None
    if stay is None:
        today = timezone.localdate()
        if first.start_date > today:
            raise _fail(
                "lines[1].start_date",
                "A concurrent request is for a member already admitted, and this member has no "
                "open stay. Notify the admission, or send a planned admission as a prospective "
                "request.",
            )
        facility = care_request.facility or care_request.servicing_provider
        stay = Stay.objects.create(
            member_id=care_request.member_id,
            coverage_id=care_request.coverage_id,
            facility=facility,
            organization_id=facility.organization_id or care_request.provider_organization_id,
            admission_type=AdmissionType.URGENT,
            level_of_care=level or LevelOfCare.ACUTE,
            diagnoses=list(care_request.diagnoses.values_list("code", flat=True)),
            admitted_at=_start_of(first.start_date),
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        LevelOfCareSegment.objects.create(
            stay=stay, level_of_care=stay.level_of_care, starts_on=first.start_date
        )
        audit_event(
            actor=actor,
            action="stay.opened_from_request",
            case_id=care_request.pk,
            summary="Concurrent request received without an open stay: the stay was opened "
            f"from it (admitted {first.start_date}).",
            data={"stay": str(stay.pk)},
        )
    previous = list(stay.reviews.select_related("care_request").order_by("-sequence"))
    extends = next(
        (r.care_request for r in previous if r.care_request.status in _APPROVING),
        None,
    )
    StayReview.objects.create(
        stay=stay,
        care_request=care_request,
        extends=extends,
        sequence=(previous[0].sequence + 1) if previous else 1,
        level_of_care=level or stay.level_of_care,
        days_requested=sum((line.end_date - line.start_date).days + 1 for line in lines),
    )


_APPROVING = (CareRequestStatus.APPROVED, CareRequestStatus.PARTIALLY_APPROVED)


def stay_approved_days_end(care_request: CareRequest) -> dt.datetime | None:
    """When the days approved before this request run out: midnight after the last covered day
    of the stay's other reviews (None when no day is approved yet)."""
    review = StayReview.objects.filter(care_request=care_request).only("stay_id").first()
    if review is None:
        return None
    reviews = stay_review_days(
        StayReview.objects.filter(stay_id=review.stay_id).exclude(pk=review.pk)
    )
    ends = [r.approved_end for r in reviews if r.days_approved]
    if not ends:
        return None
    return _start_of(max(ends) + dt.timedelta(days=1))


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- admission notification and continued stay --------------------------------------------


@dataclass(frozen=True)
class AdmissionInput:
    coverage: Coverage
    facility: Provider
    attending: Provider | None
    admission_type: str
    level_of_care: str
    admitted_at: dt.datetime
    diagnoses: list[str]
    requested_days: int
    expected_discharge: dt.date | None = None
    drg: str = ""
    clinical_summary: str = ""


def _admission_errors(data: AdmissionInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.admitted_at > timezone.now():
        errors["admitted_at"] = [
            "The admission is in the future: a planned admission is a prospective request."
        ]
    if data.admission_type not in AdmissionType.values:
        errors["admission_type"] = ["Choose emergency, urgent or elective."]
    if data.level_of_care not in LevelOfCare.values:
        errors["level_of_care"] = ["Choose a level of care."]
    if not 1 <= data.requested_days <= MAX_REQUESTED_DAYS:
        errors["requested_days"] = [f"Ask for 1 to {MAX_REQUESTED_DAYS} days."]
    if data.expected_discharge and data.expected_discharge < timezone.localdate(data.admitted_at):
        errors["expected_discharge"] = ["The expected discharge is before the admission."]
    if (
        data.admission_type == AdmissionType.ELECTIVE
        and not CareRequest.objects.filter(
            member_id=data.coverage.member_id,
            request_type=CareRequest.RequestType.PROSPECTIVE,
            review_setting=CareRequest.ReviewSetting.INPATIENT,
            status__in=_APPROVING,
        ).exists()
    ):
        errors["admission_type"] = [
            "An elective admission needs its prior authorization first: send the planned "
            "admission as a prospective inpatient request."
        ]
    if Stay.objects.filter(member_id=data.coverage.member_id, status=StayStatus.IN_HOUSE).exists():
        errors["member_id"] = [
            "This member already has an open stay: ask for more days on it instead."
        ]
    return errors


def _inpatient_category() -> ServiceCategory:
    return ServiceCategory.objects.get(code="inpatient")


def _days_line(level: str, start: dt.date, days: int) -> ServiceLineInput:
    return ServiceLineInput(
        code_system="revenue",
        code=REVENUE_CODE_BY_LEVEL[level],
        category=_inpatient_category(),
        units=days,
        start_date=start,
        end_date=start + dt.timedelta(days=days - 1),
        description=f"{LevelOfCare(level).label} days",
    )


@transaction.atomic
def stay_admit(*, actor, data: AdmissionInput, channel: str) -> Stay:
    """A facility's admission notification: open the stay and its first concurrent review
    (received at once, so its urgent clock runs). Raises ValidationFailed (nothing written)."""
    errors = _admission_errors(data)
    if errors:
        raise ValidationFailed("The admission has errors.", field_errors=errors)
    admitted_on = timezone.localdate(data.admitted_at)
    stay = Stay.objects.create(
        member_id=data.coverage.member_id,
        coverage=data.coverage,
        facility=data.facility,
        organization_id=data.facility.organization_id,
        attending=data.attending,
        admission_type=data.admission_type,
        level_of_care=data.level_of_care,
        diagnoses=list(dict.fromkeys(c.strip().upper() for c in data.diagnoses if c.strip())),
        drg=data.drg,
        admitted_at=data.admitted_at,
        expected_discharge=data.expected_discharge,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    LevelOfCareSegment.objects.create(
        stay=stay,
        level_of_care=data.level_of_care,
        starts_on=admitted_on,
        recorded_by=stay.created_by,
    )
    care_request = care_request_create(
        actor=actor,
        coverage=data.coverage,
        requesting_provider=data.facility,
        servicing_provider=data.attending or data.facility,
        facility=data.facility,
        lines=[_days_line(data.level_of_care, admitted_on, data.requested_days)],
        diagnoses=data.diagnoses,
        channel=channel,
        priority="expedited",
        request_type=CareRequest.RequestType.CONCURRENT,
        review_setting=CareRequest.ReviewSetting.INPATIENT,
        clinical_summary=data.clinical_summary
        or f"{AdmissionType(data.admission_type).label} admission notified.",
    )
    audit_event(
        actor=actor,
        action="stay.admitted",
        case_id=care_request.pk,
        summary=f"{AdmissionType(data.admission_type).label} admission notified "
        f"({LevelOfCare(data.level_of_care).label}, {data.requested_days} days asked).",
        data={"stay": str(stay.pk)},
    )
    return stay


@transaction.atomic
def stay_request_extension(
    *,
    actor,
    stay: Stay,
    requested_days: int,
    level_of_care: str = "",
    clinical_summary: str = "",
    channel: str,
) -> CareRequest:
    """A continued-stay request: a new concurrent review of the stay, for the days after the last
    day already covered, linked to the authorization it extends."""
    locked = Stay.objects.select_for_update().get(pk=stay.pk)
    if locked.status != StayStatus.IN_HOUSE:
        raise InvalidTransition("The member was discharged; no more days can be asked.")
    level = level_of_care or locked.level_of_care
    errors: dict[str, list[str]] = {}
    if level not in LevelOfCare.values:
        errors["level_of_care"] = ["Choose a level of care."]
    if not isinstance(requested_days, int) or not 1 <= requested_days <= MAX_REQUESTED_DAYS:
        errors["requested_days"] = [f"Ask for 1 to {MAX_REQUESTED_DAYS} days."]
    if errors:
        raise ValidationFailed("The request has errors.", field_errors=errors)
    reviews = list(locked.reviews.select_related("care_request"))
    if any(r.care_request.status in OPEN for r in reviews):
        raise InvalidTransition(
            "A review of this stay is still open: it must be decided before more days are asked."
        )
    days = stay_review_days(reviews)
    last = max(
        [r.approved_end for r in days if r.days_approved]
        or [timezone.localdate(locked.admitted_at) - dt.timedelta(days=1)]
    )
    start = last + dt.timedelta(days=1)
    provider = locked.facility
    return care_request_create(
        actor=actor,
        coverage=locked.coverage,
        requesting_provider=provider,
        servicing_provider=locked.attending or provider,
        facility=provider,
        lines=[_days_line(level, start, requested_days)],
        diagnoses=locked.diagnoses,
        channel=channel,
        priority="expedited",
        request_type=CareRequest.RequestType.CONCURRENT,
        review_setting=CareRequest.ReviewSetting.INPATIENT,
        clinical_summary=clinical_summary or "Continued stay requested.",
    )


# --- what happens during the stay ----------------------------------------------------------


@transaction.atomic
def stay_change_level(
    *, actor, stay: Stay, level_of_care: str, starts_on: dt.date, note: str = ""
) -> LevelOfCareSegment:
    """Record a level-of-care change (e.g. acute → SNF) from a date; later days are reviewed at
    the new level."""
    if not user_has_role(actor, Role.NURSE, Role.DIRECTOR, Role.INTAKE):
        raise NotPermitted("Only UM staff record a level-of-care change.")
    locked = Stay.objects.select_for_update().get(pk=stay.pk)
    errors: dict[str, list[str]] = {}
    if level_of_care not in LevelOfCare.values:
        errors["level_of_care"] = ["Choose a level of care."]
    if starts_on < timezone.localdate(locked.admitted_at):
        errors["starts_on"] = ["The change cannot start before the admission."]
    elif starts_on > timezone.localdate():
        errors["starts_on"] = ["Record the change when it happens, not ahead of it."]
    if locked.status != StayStatus.IN_HOUSE:
        errors["level_of_care"] = ["The member was discharged."]
    if errors:
        raise ValidationFailed("The change has errors.", field_errors=errors)
    segment, _ = LevelOfCareSegment.objects.update_or_create(
        stay=locked,
        starts_on=starts_on,
        defaults={"level_of_care": level_of_care, "recorded_by": actor, "note": note.strip()},
    )
    latest = locked.segments.order_by("-starts_on").first()
    Stay.objects.filter(pk=locked.pk).update(level_of_care=latest.level_of_care)
    audit_event(
        actor=actor,
        action="stay.level_changed",
        case_id=_case_id(locked),
        summary=f"Level of care {LevelOfCare(level_of_care).label} from {starts_on}.",
        data={"stay": str(locked.pk)},
    )
    stay.refresh_from_db()
    return segment


@transaction.atomic
def stay_discharge(*, actor, stay: Stay, discharged_at: dt.datetime, disposition: str) -> Stay:
    """Record the discharge with its date and disposition (staff, or the facility's users)."""
    locked = Stay.objects.select_for_update().get(pk=stay.pk)
    if not has_transition_perm(locked.discharge, actor):
        raise NotPermitted("Your role may not discharge this stay.")
    errors: dict[str, list[str]] = {}
    if disposition not in DischargeDisposition.values:
        errors["disposition"] = ["Choose the discharge disposition."]
    if discharged_at < locked.admitted_at:
        errors["discharged_at"] = ["The discharge is before the admission."]
    elif discharged_at > timezone.now():
        errors["discharged_at"] = ["Record the discharge once it has happened."]
    if errors:
        raise ValidationFailed("The discharge has errors.", field_errors=errors)
    locked.discharge()
    locked.discharged_at = discharged_at
    locked.disposition = disposition
    try:
        locked.save()
    except ConcurrentTransition as exc:
        raise InvalidTransition("The stay changed while you were working; reload it.") from exc
    audit_event(
        actor=actor,
        action="stay.discharged",
        case_id=_case_id(locked),
        summary=f"Discharged {timezone.localdate(discharged_at)} "
        f"({locked.get_disposition_display()}).",
        data={"stay": str(locked.pk)},
    )
    stay.refresh_from_db()
    return locked


@transaction.atomic
def stay_note_add(*, actor, stay: Stay, body: str) -> DischargePlanningNote:
    """A discharge-planning note (staff only)."""
    if not user_has_role(actor, Role.NURSE, Role.DIRECTOR, Role.INTAKE):
        raise NotPermitted("Only UM staff write discharge-planning notes.")
    body = (body or "").strip()
    if not body:
        raise _fail("body", "Write the note.")
    note = DischargePlanningNote.objects.create(stay=stay, author=actor, body=body)
    audit_event(
        actor=actor,
        action="stay.planning_note",
        case_id=_case_id(stay),
        summary="Discharge-planning note added.",
        data={"stay": str(stay.pk)},
    )
    return note


@transaction.atomic
def stay_review_nurse_approve(
    *, nurse, stay_review: StayReview, next_review_date: dt.date, summary: str = ""
) -> StayReview:
    """The nurse approves the days asked (every continued-stay criterion met) and sets the next
    review date. Fewer days than asked is a partial denial, which only a physician may issue
    (42 CFR 422.566(d)): the nurse refers instead."""
    days = stay_review_days([stay_review])[0]
    if next_review_date is None or next_review_date < timezone.localdate():
        raise _fail("next_review_date", "Choose today or a later day.")
    latest = max(days.requested_end, timezone.localdate())
    if next_review_date > latest:
        raise _fail(
            "next_review_date", f"Review again no later than the last day approved ({latest})."
        )
    care_request_nurse_approve(care_request=stay_review.care_request, nurse=nurse, summary=summary)
    StayReview.objects.filter(pk=stay_review.pk).update(next_review_date=next_review_date)
    stay_review.refresh_from_db()
    return stay_review


@transaction.atomic
def stay_review_set_next_review(
    *, actor, stay_review: StayReview, next_review_date: dt.date
) -> StayReview:
    """After a physician's decision on days, the date the stay is reviewed again."""
    if not user_has_role(actor, Role.NURSE, Role.DIRECTOR):
        raise NotPermitted("Only UM clinical staff set the next review date.")
    if next_review_date < timezone.localdate():
        raise _fail("next_review_date", "Choose today or a later day.")
    StayReview.objects.filter(pk=stay_review.pk).update(next_review_date=next_review_date)
    stay_review.refresh_from_db()
    return stay_review
