"""Turning what a submitter sends (member ID, NPIs, codes) into the objects the intake services
take. Shared by the REST API, the portal's guided flow and FHIR PAS so they agree."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from intake.models import Coverage, Provider
from intake.rules import reference
from intake.services.receipt import ServiceLineInput
from um_portal.lib.codes import icd10_error, service_code_error
from um_portal.lib.errors import ValidationFailed
from um_portal.lib.npi import is_valid_npi

from .coding import catalog_description, category_for_code
from .selectors import user_is_provider


def coverage_lookup(*, member_id: str, birth_date: date | None) -> Coverage | None:
    """The member's coverage for this member ID and date of birth: the one in force today if
    there is one, else the latest. Both must match, so a guessed member ID reveals nothing."""
    member_id = (member_id or "").strip().upper()
    if not member_id or birth_date is None:
        return None
    coverages = list(
        Coverage.objects.filter(member_number__iexact=member_id, member__birth_date=birth_date)
        .select_related("member", "plan")
        .order_by("-effective_from")
    )
    today = timezone.localdate()
    for coverage in coverages:
        if coverage.in_force_on(today):
            return coverage
    return coverages[0] if coverages else None


def providers_for_user(user):
    """Providers a user may name as the requester: their organisation's, or any for staff."""
    if user_is_provider(user):
        return Provider.objects.filter(organization_id=user.provider_organization_id)
    return Provider.objects.all()


def requesting_provider_for_user(user, npi: str, field: str = "requesting_provider_npi"):
    npi = (npi or "").strip()
    if not is_valid_npi(npi):
        raise ValidationFailed(
            "The request has errors.",
            field_errors={field: [f"{npi or 'This'} is not a valid NPI."]},
        )
    provider = providers_for_user(user).filter(npi=npi).first()
    if provider is None:
        raise ValidationFailed(
            "The request has errors.",
            field_errors={field: [f"NPI {npi} is not a provider of your organisation."]},
        )
    return provider


def provider_by_npi(npi: str, field: str) -> Provider:
    npi = (npi or "").strip()
    if not is_valid_npi(npi):
        raise ValidationFailed(
            "The request has errors.",
            field_errors={field: [f"{npi or 'This'} is not a valid NPI."]},
        )
    provider = Provider.objects.filter(npi=npi).first()
    if provider is None:
        raise ValidationFailed(
            "The request has errors.", field_errors={field: [f"No provider with NPI {npi}."]}
        )
    return provider


@dataclass
class LineData:
    code_system: str
    code: str
    units: int
    start_date: date
    end_date: date
    category: str = ""
    place_of_service: str = ""
    modifiers: str = ""
    description: str = ""


def service_line_inputs(
    lines: list[LineData], *, prefix: str = "lines", diagnoses: list[str] | None = None
) -> list[ServiceLineInput]:
    """ServiceLineInputs with their categories (given or inferred from the code).

    Raises ValidationFailed with every code and category error at once (and the diagnoses'
    errors when `diagnoses` is given), so a form shows them all in one round.
    """
    categories = reference.snapshot().category_by_code()
    errors: dict[str, list[str]] = {}
    for code in diagnoses or []:
        message = icd10_error(code)
        if message:
            errors.setdefault("diagnoses", []).append(message)
    out = []
    for i, line in enumerate(lines, start=1):
        code = (line.code or "").strip().upper()
        code_error = service_code_error(line.code_system, code)
        if code_error:
            errors.setdefault(f"{prefix}[{i}].code", []).append(code_error)
            continue
        category_code = line.category or category_for_code(line.code_system, code)
        category = categories.get(category_code)
        if category is None:
            if category_code:
                message = f"Unknown service category {category_code!r}."
            else:
                message = f"Choose the service category for {code or 'this service'}."
            errors.setdefault(f"{prefix}[{i}].category", []).append(message)
            continue
        out.append(
            ServiceLineInput(
                code_system=line.code_system,
                code=code,
                category=category,
                units=line.units,
                start_date=line.start_date,
                end_date=line.end_date,
                place_of_service=line.place_of_service,
                modifiers=line.modifiers,
                # What the person typed, else the catalogue's words: never a bare code.
                description=(line.description or "").strip()
                or catalog_description(line.code_system, code),
            )
        )
    if errors:
        raise ValidationFailed("The request has errors.", field_errors=errors)
    return out
