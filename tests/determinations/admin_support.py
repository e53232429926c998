"""Cases at each stage for the administrative-denial tests."""

from intake.models import CareRequest
from intake.services.eligibility import eligibility_check_record
from tests.factories import CoverageFactory, MemberFactory, make_case
from tests.intake.conftest import force_status

PROVISION = "Evidence of Coverage 2026, chapter 4, section 2.1: services not covered"
RATIONALE = (
    "The member's plan does not include adult hearing aids among its benefits, so the hearing "
    "aid the audiologist asked for cannot be approved."
)


def admin_case(*, intake, organization, status="submitted", lines=1, language="en"):
    """A request for a service the member's plan does not cover: eligibility fails."""
    member = MemberFactory(preferred_language=language, first_name="Ana", last_name="Reyes")
    coverage = CoverageFactory(member=member)
    case = make_case(actor=intake, organization=organization, coverage=coverage, lines=lines)
    case.service_lines.update(description="Hearing aid for the right ear")
    coverage.plan.covered_categories.clear()
    eligibility_check_record(care_request=case, actor=intake)
    case.refresh_from_db()
    assert case.eligibility_status == CareRequest.Eligibility.FAILED
    return force_status(case, status) if status != "submitted" else case
