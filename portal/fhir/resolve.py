"""Match a PAS request's member, coverage and providers to ours."""

from django.utils import timezone

from intake.models import Coverage, Provider

from .errors import fail
from .mapping import PartyData, PasRequest


def coverage_for(request: PasRequest) -> Coverage:
    """The coverage for the member IDs given; the patient's name and birth date, when sent,
    must match our member (a member ID alone is not enough to attach a case to someone)."""
    candidates = list(
        Coverage.objects.filter(member_number__in=request.member_ids)
        .select_related("member", "plan")
        .order_by("-effective_from")
    )
    if not candidates:
        raise fail(
            "not-found",
            "No coverage on file for member ID " + ", ".join(request.member_ids) + ".",
            "Claim.insurance.coverage",
            status=422,
        )
    matching = [c for c in candidates if _same_person(c, request)]
    if not matching:
        raise fail(
            "business-rule",
            "The patient's name or birth date does not match the member on file for this "
            "member ID.",
            "Claim.patient",
            status=422,
        )
    first_day = min(item.start_date for item in request.items)
    last_day = max(item.end_date for item in request.items)
    for coverage in matching:
        if coverage.in_force_on(first_day, last_day):
            return coverage
    today = timezone.localdate()
    return next((c for c in matching if c.in_force_on(today)), matching[0])


def _same_person(coverage: Coverage, request: PasRequest) -> bool:
    member = coverage.member
    if request.birth_date is not None and request.birth_date != member.birth_date:
        return False
    if request.family and request.family.strip().lower() != member.last_name.lower():
        return False
    return not (
        request.given and request.given.split()[0].lower() != member.first_name.split()[0].lower()
    )


def requesting_provider(party: PartyData, organization) -> Provider:
    """The requester must be a provider of the submitting organisation; a valid NPI we do not
    know yet is registered to that organisation (out of network until contracted)."""
    provider = Provider.objects.filter(npi=party.npi).first()
    if provider is None:
        return Provider.objects.create(
            npi=party.npi,
            name=party.name[:200],
            kind=_kind(party),
            network_status=Provider.Network.OUT,
            state=party.state,
            organization=organization,
        )
    if provider.organization_id != organization.pk:
        raise fail(
            "business-rule",
            f"NPI {party.npi} is not a provider of your organisation.",
            party.expression,
            status=422,
        )
    return provider


def servicing_provider(party: PartyData) -> Provider:
    provider = Provider.objects.filter(npi=party.npi).first()
    if provider is None:
        provider = Provider.objects.create(
            npi=party.npi,
            name=party.name[:200],
            kind=_kind(party),
            network_status=Provider.Network.OUT,
            state=party.state,
        )
    return provider


def _kind(party: PartyData) -> str:
    return (
        Provider.Kind.ORGANIZATION
        if party.resource_type == "Organization"
        else Provider.Kind.INDIVIDUAL
    )
