"""Match a PAS request's member, coverage and providers to ours, creating what we do not know.

An unknown subscriber becomes a Member with an `unverified` Coverage, never treated as in force:
the rules leave the case for intake, and the internal note says what intake must verify. Its
plan is the one whose name matches the insurer's, a payor's or a Coverage.class value (case
and spacing ignored); failing that, the fallback is the plan with the shortest standard
turnaround (ties by name), so the clock we start is never longer than the member's real plan
allows. Intake corrects the plan when it verifies the coverage.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from intake.models import Coverage, Member, Plan, Provider, TurnaroundStandard

from .errors import fail
from .mapping import PartyData, PasRequest


@dataclass
class Resolution:
    """What matching found or created, and what intake must check (for the internal note)."""

    coverage: Coverage
    to_verify: list[str] = field(default_factory=list)


def coverage_for(request: PasRequest) -> Resolution:
    """The coverage for the member IDs given; the patient's name and birth date, when sent,
    must match our member (a member ID alone is not enough to attach a case to someone). An
    unknown member ID creates the member and an unverified coverage."""
    candidates = list(
        Coverage.objects.filter(member_number__in=request.member_ids)
        .select_related("member", "plan")
        .order_by("-effective_from")
    )
    if not candidates:
        return _create_unverified(request)
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
    chosen = next((c for c in matching if c.in_force_on(first_day, last_day)), None)
    if chosen is None:
        today = timezone.localdate()
        chosen = next((c for c in matching if c.in_force_on(today)), matching[0])
    resolution = Resolution(coverage=chosen)
    if chosen.status == Coverage.Status.UNVERIFIED:
        resolution.to_verify.append(_unverified_text(chosen, created=False))
    return resolution


def _same_person(coverage: Coverage, request: PasRequest) -> bool:
    member = coverage.member
    if (
        request.birth_date is not None
        and member.birth_date is not None
        and request.birth_date != member.birth_date
    ):
        return False
    if request.family and request.family.strip().lower() != member.last_name.lower():
        return False
    return not (
        request.given and request.given.split()[0].lower() != member.first_name.split()[0].lower()
    )


def _create_unverified(request: PasRequest) -> Resolution:
    member_number = request.member_ids[0]
    if len(member_number) > 30:
        raise fail(
            "invalid",
            f"Member ID {member_number} is longer than 30 characters.",
            "Claim.insurance.coverage",
        )
    plan, matched = plan_for(request.plan_names)
    member = Member.objects.create(
        first_name=(request.given or "Unknown")[:100],
        last_name=(request.family or "Unknown")[:100],
        birth_date=request.birth_date,
        sex=request.sex,
    )
    first_day = min(item.start_date for item in request.items)
    coverage = Coverage.objects.create(
        member=member,
        plan=plan,
        member_number=member_number,
        effective_from=min(first_day, timezone.localdate()),
        status=Coverage.Status.UNVERIFIED,
    )
    to_verify = [_unverified_text(coverage, created=True)]
    if not matched:
        names = ", ".join(request.plan_names) or "none"
        to_verify.append(
            f"No plan matches the payer or plan names sent ({names}): {plan.name} was assigned "
            "as a placeholder; correct the plan."
        )
    if request.birth_date is None:
        to_verify.append("The submission gave no birth date for the member.")
    return Resolution(coverage=coverage, to_verify=to_verify)


def _unverified_text(coverage: Coverage, *, created: bool) -> str:
    how = "were created from this submission" if created else "came with an earlier submission"
    return (
        f"Member ID {coverage.member_number} ({coverage.member.full_name}) was not on file: "
        f"the member and coverage {how} and are unverified. Verify the member's identity, plan "
        "and eligibility."
    )


def _norm(name: str) -> str:
    return " ".join(name.lower().split())


def plan_for(names: list[str]) -> tuple[Plan, bool]:
    """The plan a name identifies, else the documented fallback; (plan, matched by name)."""
    wanted = {_norm(n) for n in names if n}
    plans = list(Plan.objects.order_by("name"))
    if not plans:
        raise fail(
            "processing",
            "No health plan is configured, so the request cannot be received.",
            status=422,
        )
    for plan in plans:
        if _norm(plan.name) in wanted:
            return plan, True
    hours = dict(
        TurnaroundStandard.objects.filter(
            priority="standard", request_type="prospective"
        ).values_list("line_of_business", "hours")
    )
    fallback = min(plans, key=lambda p: (hours.get(p.line_of_business, 10**6), p.name))
    return fallback, False


def providers_for(request: PasRequest, organization) -> tuple[Provider, Provider]:
    """(requesting, servicing) providers; the requester serves when the request names no
    servicing provider. Both NPIs are looked up in one query."""
    npis = {request.requester.npi} | ({request.servicing.npi} if request.servicing else set())
    known = {provider.npi: provider for provider in Provider.objects.filter(npi__in=npis)}
    requester = requesting_provider(request.requester, organization, known=known)
    if request.servicing is None:
        return requester, requester
    return requester, servicing_provider(request.servicing, known=known)


def requesting_provider(party: PartyData, organization, *, known: dict[str, Provider]) -> Provider:
    """The requester must be a provider of the submitting organisation; an NPI we do not know
    yet is registered to that organisation (out of network until contracted). `known`: the
    providers already looked up by NPI; one registered here is added to it."""
    provider = known.get(party.npi)
    if provider is None:
        provider = known[party.npi] = Provider.objects.create(
            npi=party.npi,
            name=party.name[:200],
            kind=_kind(party),
            network_status=Provider.Network.OUT,
            state=party.state,
            organization=organization,
        )
        return provider
    if provider.organization_id != organization.pk:
        raise fail(
            "business-rule",
            f"NPI {party.npi} is not a provider of your organisation.",
            party.expression,
            status=422,
        )
    return provider


def servicing_provider(party: PartyData, *, known: dict[str, Provider]) -> Provider:
    """The servicing provider by NPI; an unknown one is registered out of network. `known`: the
    providers already looked up by NPI; one registered here is added to it."""
    provider = known.get(party.npi)
    if provider is None:
        provider = known[party.npi] = Provider.objects.create(
            npi=party.npi,
            name=party.name[:200],
            kind=_kind(party),
            network_status=Provider.Network.OUT,
            state=party.state,
        )
    return provider


def provider_problems(party: PartyData, provider: Provider) -> list[str]:
    """What intake must check about a provider that came with the submission."""
    if party.npi_valid:
        return []
    return [
        f"{party.expression}: NPI {party.npi} ({provider.name}) fails the NPI check digit. "
        "Verify the provider's NPI and network status."
    ]


def _kind(party: PartyData) -> str:
    return (
        Provider.Kind.ORGANIZATION
        if party.resource_type == "Organization"
        else Provider.Kind.INDIVIDUAL
    )
