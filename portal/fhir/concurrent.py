"""PAS requests about inpatient stays (issue 13), taken through the stays app's own services
(DESIGN §11: the FHIR layer uses the domain apps' services; stays never imports portal).

- An admission review (X12 UM01 "AR") for a member in house at the submitting facility (an
  open stay of that member at the facility's NPI, of the submitting organisation) is a
  continued-stay request on that stay: `stay_request_extension`, which asks for the days after
  the last covered day and links the new review to the authorization it extends.
- An admission review whose days began and run on, for a member with no open stay there, is
  the admission notification: `stay_admit` opens the stay and its first concurrent review.
- A continued-stay request (certification type 4) without an open stay is refused (422).
- Any other admission review (a planned admission, a stay already over) takes the ordinary path
  as a prospective or retrospective request, by its dates (mapping.review_type_for).
"""

import datetime as dt

from django.utils import timezone

from intake.models import CareRequest, Provider
from stays.models import LEVEL_BY_REVENUE_CODE, AdmissionType, LevelOfCare, Stay, StayStatus
from stays.services import AdmissionInput, stay_admit, stay_request_extension

from .errors import fail
from .mapping import ItemData, PasRequest

SUMMARY = "Received through PAS Claim/$submit (admission review)."


def open_stay_at(*, coverage, facility: Provider, organization) -> Stay | None:
    """The member's open stay at this facility (by NPI), of the submitting organisation."""
    return (
        Stay.objects.filter(
            member_id=coverage.member_id,
            status=StayStatus.IN_HOUSE,
            facility__npi=facility.npi,
            organization=organization,
        )
        .order_by("-admitted_at")
        .first()
    )


def _days(item: ItemData) -> int:
    """Days asked: the units of a room-and-board revenue code, else the item's date span."""
    if item.code_system == "revenue":
        return item.units
    return (item.end_date - item.start_date).days + 1


def _level(item: ItemData) -> str:
    if item.code_system == "revenue":
        return LEVEL_BY_REVENUE_CODE.get(item.code, "")
    return ""


def stay_request_from_pas(
    *, user, request: PasRequest, coverage, requester: Provider, servicing: Provider
) -> CareRequest | None:
    """The concurrent review a PAS admission review becomes, or None when it is not about a
    stay in progress (the ordinary path takes it). Raises PasError or the stays services'
    DomainError (the caller maps it to an OperationOutcome); nothing is written then."""
    if not request.admission_review:
        return None
    stay = open_stay_at(
        coverage=coverage, facility=requester, organization=user.provider_organization
    )
    if stay is None and request.request_type != CareRequest.RequestType.CONCURRENT:
        return None
    if len(request.items) != 1:
        raise fail(
            "business-rule",
            "An admission review asks for the days of one stay: send one item per Claim "
            "(a room-and-board revenue code with the days as its quantity).",
            "Claim.item",
            status=422,
        )
    item = request.items[0]
    days, level = _days(item), _level(item)
    if stay is not None:
        return stay_request_extension(
            actor=user,
            stay=stay,
            requested_days=days,
            level_of_care=level,
            clinical_summary=f"Continued stay requested. {SUMMARY}",
            channel=CareRequest.Channel.API,
        )
    if request.admission_review == "extension":
        raise fail(
            "business-rule",
            f"Claim.item[0] asks for more days of an inpatient stay, but the member has no "
            f"open stay at NPI {requester.npi}. Notify the admission first: an admission review "
            "(certification type I) for the days since the admission, or "
            "POST /api/v1/admissions/.",
            "Claim.item[0].extension",
            status=422,
        )
    stay = stay_admit(
        actor=user,
        data=AdmissionInput(
            coverage=coverage,
            facility=requester,
            attending=servicing if servicing.pk != requester.pk else None,
            # PAS carries no admission type: an urgent request is taken as an emergency one.
            admission_type=AdmissionType.EMERGENCY if request.expedited else AdmissionType.URGENT,
            level_of_care=level or LevelOfCare.ACUTE,
            admitted_at=timezone.make_aware(dt.datetime.combine(item.start_date, dt.time.min)),
            diagnoses=request.diagnoses,
            requested_days=days,
            clinical_summary=f"Admission notified. {SUMMARY}",
        ),
        channel=CareRequest.Channel.API,
    )
    return stay.reviews.get().care_request
