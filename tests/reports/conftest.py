"""A hand-built set of cases with known answers (see the table in `dataset`).

Rows are written directly with the ORM: the reports read whatever the services wrote, so the
tests pin the reading side to exact timestamps. CareRequest.status is a protected FSM field,
so it is set in the constructor.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from determinations.models import Determination, Letter
from intake.models import (
    AuthRequirementRule,
    CareRequest,
    LineOfBusiness,
    ServiceLine,
    StatusEvent,
)
from reports.filters import ReportFilters
from scheduling.models import PeerToPeer
from tests.factories import CoverageFactory, PlanFactory, ProviderFactory, category

H = timedelta(hours=1)
STANDARD = 168 * H
EXPEDITED = 72 * H


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


# Monday March 10, 2025, 09:00 New York time (after the DST change on March 9).
T = local(2025, 3, 10, 9, 0)
MARCH = {"start": "2025-03-01", "end": "2025-03-31"}


def make(
    coverage,
    *,
    status: str,
    priority: str = "standard",
    received: datetime = T,
    due: datetime | None = None,
    decided: datetime | None = None,
    original_due: datetime | None = None,
    category_code: str = "imaging",
    code: str = "72148",
    line_decision: str = "pending",
    assigned_to=None,
) -> CareRequest:
    provider = ProviderFactory()
    case = CareRequest.objects.create(
        member=coverage.member,
        coverage=coverage,
        requesting_provider=provider,
        servicing_provider=provider,
        channel="portal",
        priority=priority,
        status=status,
        received_at=received,
        due_at=due or received + (EXPEDITED if priority == "expedited" else STANDARD),
        original_due_at=original_due,
        extension_reason="Waiting for imaging results" if original_due else "",
        decided_at=decided,
        assigned_to=assigned_to,
    )
    ServiceLine.objects.create(
        care_request=case,
        sequence=1,
        code_system="cpt",
        code=code,
        description=f"Service {code}",
        category=category(category_code),
        units=1,
        start_date=received.date(),
        end_date=received.date(),
        decision=line_decision,
    )
    return case


def event(case, transition: str, to_status: str, at: datetime, from_status="submitted"):
    StatusEvent.objects.create(
        care_request=case,
        transition=transition,
        from_status=from_status,
        to_status=to_status,
        at=at,
    )


def determine(case, *, source: str, by=None, kind="initial", outcome=None, at=None, letter=None):
    d = Determination.objects.create(
        care_request=case,
        kind=kind,
        outcome=outcome or case.status,
        source=source,
        decided_by=by,
        decided_at=at or case.decided_at,
    )
    if letter is not None:
        Letter.objects.create(
            determination=d,
            recipient="provider",
            template="approval",
            status="sent",
            sent_at=letter,
            delivered_at=letter,  # e-mailed: delivered when sent
        )
    return d


@dataclass
class Dataset:
    ma_plan: object
    medicaid_plan: object
    cases: dict = field(default_factory=dict)
    now: datetime | None = None

    def filters(self, **kwargs) -> ReportFilters:
        values = {
            "start": datetime(2025, 3, 1).date(),
            "end": datetime(2025, 3, 31).date(),
            "granularity": "week",
        }
        values.update(kwargs)
        return ReportFilters(**values)


@pytest.fixture
def dataset(db, nurse, director) -> Dataset:
    """Medicare Advantage plan, March 2025 (T = Mon Mar 10 09:00), standard due T+168 h:

    case  status              priority   decided       notes
    S1    approved            standard   T+24h         nurse; letter T+25h (on time)
    S2    approved            standard   T+240h        extended: due T+504h; pended once
    S3    partially_approved  standard   T+48h         director
    S4    denied              standard   T+168h        exactly at the deadline (on time)
    S5    denied              standard   T+200h        32 h late; letter T+201h; appeal approved
    S6    withdrawn           standard   –             status event at T+10h
    S7    voided              standard   –             status event at T+5h
    S8    closed_no_auth_req  standard   T+1h
    S9    approved            standard   T+30min       auto-approved by the rules
    E1    approved            expedited  T+10h         nurse
    E2    denied              expedited  T+80h         8 h late
    E3    approved            expedited  T+30h         nurse
    A1    approved            standard   Apr 5 09:00   received Apr 1: outside March, in 2025
    D1    approved            standard   2024-12-31 23:30 New York (= 2025-01-01 UTC)
    M1    approved            standard   T+5h          Medicaid plan: filtered out by plan/line
    Open now (plan MA): O1 nurse_review due in 158 h (nurse), O2 md_review expedited due in
    2 h (director), O3 pending_info overdue 32 h (nurse), O4 submitted due in 38 h.
    """
    ma = PlanFactory(
        name="Sunrise Medicare Advantage", line_of_business=LineOfBusiness.MEDICARE_ADVANTAGE
    )
    mcd = PlanFactory(name="Harbor Medicaid", line_of_business=LineOfBusiness.MEDICAID)
    cov = CoverageFactory(plan=ma)
    mcov = CoverageFactory(plan=mcd)
    data = Dataset(ma_plan=ma, medicaid_plan=mcd)
    c = data.cases
    c["S1"] = make(cov, status="approved", decided=T + 24 * H, line_decision="approved")
    c["S2"] = make(
        cov,
        status="approved",
        decided=T + 240 * H,
        original_due=T + STANDARD,
        due=T + STANDARD + 14 * 24 * H,
        code="73721",
        line_decision="approved",
    )
    c["S3"] = make(
        cov,
        status="partially_approved",
        decided=T + 48 * H,
        category_code="surgery",
        code="29881",
        line_decision="modified",
    )
    c["S4"] = make(cov, status="denied", decided=T + STANDARD, line_decision="denied")
    c["S5"] = make(cov, status="denied", decided=T + 200 * H, line_decision="denied")
    c["S6"] = make(cov, status="withdrawn")
    c["S7"] = make(cov, status="voided")
    c["S8"] = make(
        cov,
        status="closed_no_auth_required",
        decided=T + H,
        code="99213",
        category_code="office-visit",
        line_decision="not_required",
    )
    c["S9"] = make(cov, status="approved", decided=T + H / 2, line_decision="approved")
    c["E1"] = make(cov, status="approved", priority="expedited", decided=T + 10 * H)
    c["E2"] = make(cov, status="denied", priority="expedited", decided=T + 80 * H)
    c["E3"] = make(cov, status="approved", priority="expedited", decided=T + 30 * H)
    april = local(2025, 4, 1, 9, 0)
    c["A1"] = make(cov, status="approved", received=april, decided=april + 96 * H)
    dec = local(2024, 12, 30, 9, 0)
    c["D1"] = make(cov, status="approved", received=dec, decided=local(2024, 12, 31, 23, 30))
    c["M1"] = make(
        mcov, status="approved", decided=T + 5 * H, code="70553", line_decision="approved"
    )

    for key in ("S1", "S2", "S3", "S4", "S5", "S8", "S9", "E1", "E2", "E3", "A1", "D1", "M1"):
        event(c[key], "submit", "submitted", c[key].received_at, from_status="draft")
    event(c["S2"], "request_info", "pending_info", T + 20 * H)
    event(c["S2"], "info_received", "nurse_review", T + 100 * H, from_status="pending_info")
    event(c["S6"], "withdraw", "withdrawn", T + 10 * H)
    event(c["S7"], "void", "voided", T + 5 * H)
    event(c["S9"], "auto_approve", "approved", T + H / 2)

    determine(c["S1"], source="nurse", by=nurse, letter=T + 25 * H)
    determine(c["S2"], source="nurse", by=nurse)
    determine(c["S3"], source="physician", by=director)
    determine(c["S4"], source="physician", by=director)
    s5 = determine(c["S5"], source="physician", by=director, letter=T + 201 * H)
    determine(c["S8"], source="intake", outcome="not_required")
    determine(c["S9"], source="rules")
    determine(c["E1"], source="nurse", by=nurse)
    determine(c["E2"], source="physician", by=director)
    determine(c["E3"], source="nurse", by=nurse)
    Determination.objects.create(
        care_request=c["S5"],
        kind="appeal",
        previous=s5,
        outcome="approved",
        source="physician",
        decided_by=director,
        decided_at=local(2025, 3, 25, 12, 0),
    )

    for key, outcome, status in (
        ("S4", "upheld", "completed"),
        ("S5", "changed", "completed"),
        ("E2", "", "cancelled"),
    ):
        p2p = PeerToPeer.objects.create(
            care_request=c[key],
            requested_by=nurse,
            provider_contact_name="Dr. Office",
            provider_contact_phone="555-0100",
            status=status,
            outcome=outcome,
        )
        PeerToPeer.objects.filter(pk=p2p.pk).update(requested_at=T + 190 * H)

    now = timezone.now().replace(microsecond=0)
    data.now = now
    c["O1"] = make(cov, status="nurse_review", received=now - 10 * H, assigned_to=nurse)
    c["O2"] = make(
        cov, status="md_review", priority="expedited", received=now - 70 * H, assigned_to=director
    )
    c["O3"] = make(cov, status="pending_info", received=now - 200 * H, assigned_to=nurse)
    c["O4"] = make(cov, status="submitted", received=now - 130 * H)
    return data


@pytest.fixture
def auth_rules(dataset):
    """Needs-assessment rules as intake's engine reads them (first match by order decides):

    order key                 codes            scope                     answer
    10    office-visits       CPT 99202–99215  any                       not required
    20    imaging             CPT 70010–79999  any                       required (v2; v1 retired)
    5     knee-mri-medicaid   CPT 73721        Medicaid plan             not required
    40    surgery-ma          CPT 10004–69990  Medicare Advantage        required
    50    dme-out-of-network  HCPCS E0100–E8002 any, out of network, POS 12   required
    60    psychotherapy       CPT 90785–90899  Medicaid plan             required
    70    office-visit-99213  CPT 99213        any                       required (pre-empted)
    80    lab-tests           CPT 80047–89398  any                       required, inactive
    90    home-health         HCPCS G0151–G0299 any                      required (v1 retired,
                                                                          v2 not required)
    """
    rule = AuthRequirementRule.objects.create
    rule(
        key="office-visits",
        name="Office visits",
        order=10,
        code_system="cpt",
        code_from="99202",
        code_to="99215",
        requires_auth=False,
    )
    rule(
        key="imaging",
        version=1,
        is_current=False,
        name="Imaging (old wording)",
        order=20,
        code_system="cpt",
        code_from="70010",
        code_to="79999",
        requires_auth=True,
    )
    rule(
        key="imaging",
        version=2,
        name="Advanced imaging (MRI, CT, PET)",
        order=20,
        code_system="cpt",
        code_from="70010",
        code_to="79999",
        requires_auth=True,
    )
    rule(
        key="knee-mri-medicaid",
        name="Knee MRI",
        order=5,
        code_system="cpt",
        code_from="73721",
        plan=dataset.medicaid_plan,
        requires_auth=False,
    )
    rule(
        key="surgery-ma",
        name="Surgical procedures",
        order=40,
        code_system="cpt",
        code_from="10004",
        code_to="69990",
        line_of_business=LineOfBusiness.MEDICARE_ADVANTAGE,
        requires_auth=True,
    )
    rule(
        key="dme-out-of-network",
        name="Durable medical equipment",
        order=50,
        code_system="hcpcs",
        code_from="E0100",
        code_to="E8002",
        places_of_service=["12"],
        network_status="out",
        requires_auth=True,
    )
    rule(
        key="psychotherapy",
        name="Psychotherapy",
        order=60,
        code_system="cpt",
        code_from="90785",
        code_to="90899",
        plan=dataset.medicaid_plan,
        requires_auth=True,
    )
    rule(
        key="office-visit-99213",
        name="Established patient visit",
        order=70,
        code_system="cpt",
        code_from="99213",
        requires_auth=True,
    )
    rule(
        key="lab-tests",
        name="Laboratory tests",
        order=80,
        is_active=False,
        code_system="cpt",
        code_from="80047",
        code_to="89398",
        requires_auth=True,
    )
    rule(
        key="home-health",
        version=1,
        is_current=False,
        name="Home health visits",
        order=90,
        code_system="hcpcs",
        code_from="G0151",
        code_to="G0299",
        requires_auth=True,
    )
    rule(
        key="home-health",
        version=2,
        name="Home health visits",
        order=90,
        code_system="hcpcs",
        code_from="G0151",
        code_to="G0299",
        requires_auth=False,
    )
