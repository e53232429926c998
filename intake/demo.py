"""Demo reference data and care requests for the intake stages (see um_portal.demo)."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from um_portal.lib.npi import npi_check_digit

from .models import (
    CareRequest,
    Coverage,
    LineOfBusiness,
    Member,
    Plan,
    Provider,
    ServiceCategory,
)

DEMO_SYSTEM = "um-portal-demo"


@dataclass(frozen=True)
class DemoService:
    system: str
    code: str
    description: str  # our own words, never a licensed CPT descriptor
    category: str
    setting: str
    diagnoses: tuple[str, ...]
    units: int = 1
    days: int = 30


SERVICES = [
    DemoService(
        "cpt",
        "72148",
        "MRI of the lower back",
        "imaging",
        "outpatient",
        ("M54.16", "M51.26", "M48.061"),
    ),
    DemoService(
        "cpt",
        "73721",
        "MRI of the knee",
        "imaging",
        "outpatient",
        ("M23.221", "S83.241A", "M25.561"),
    ),
    DemoService(
        "cpt",
        "70553",
        "MRI of the brain with and without contrast",
        "imaging",
        "outpatient",
        ("R51.9", "I63.9"),
    ),
    DemoService(
        "cpt",
        "29881",
        "Knee arthroscopy with meniscus repair",
        "surgery",
        "outpatient",
        ("S83.241A", "M23.221", "S83.511A"),
    ),
    DemoService(
        "cpt",
        "27447",
        "Total knee replacement",
        "surgery",
        "inpatient",
        ("M17.11", "Z96.651"),
        days=14,
    ),
    DemoService(
        "cpt", "63030", "Lower back disc surgery", "surgery", "outpatient", ("M51.26", "M54.16")
    ),
    DemoService(
        "hcpcs",
        "E1390",
        "Home oxygen concentrator",
        "dme",
        "dme",
        ("J44.1", "J96.11", "J43.9", "R06.02"),
        units=1,
        days=90,
    ),
    DemoService(
        "hcpcs", "E0601", "CPAP machine for sleep apnoea", "dme", "dme", ("G47.33",), days=90
    ),
    DemoService(
        "hcpcs",
        "G0151",
        "Home physical therapy visit",
        "home-health",
        "home_health",
        ("M17.11", "I63.9", "Z96.651"),
        units=12,
        days=60,
    ),
    DemoService(
        "hcpcs",
        "G0299",
        "Home skilled nursing visit",
        "home-health",
        "home_health",
        ("I50.22", "E11.9", "N18.4"),
        units=10,
        days=60,
    ),
    DemoService(
        "cpt",
        "97110",
        "Therapeutic exercise sessions",
        "therapy",
        "outpatient",
        ("M75.101", "M25.561", "M54.16"),
        units=12,
        days=60,
    ),
    DemoService(
        "cpt",
        "90837",
        "Individual psychotherapy, 60 minutes",
        "behavioral-health",
        "behavioral_health",
        ("F33.1", "F41.1"),
        units=12,
        days=90,
    ),
    DemoService(
        "revenue",
        "0120",
        "Inpatient stay, semi-private room",
        "inpatient",
        "inpatient",
        ("I50.22", "J44.1", "I63.9"),
        units=3,
        days=3,
    ),
    DemoService(
        "cpt",
        "99214",
        "Office visit, established patient",
        "office-visit",
        "outpatient",
        ("I10", "E11.9", "K21.9"),
    ),
    DemoService("cpt", "80053", "Metabolic blood panel", "lab", "outpatient", ("E11.9", "N18.4")),
    DemoService(
        "x12_service_type",
        "3",
        "Specialist consultation",
        "consultation",
        "outpatient",
        ("G89.4", "M54.16"),
    ),
]

PLANS = [
    ("Sunrise Medicare Advantage HMO", LineOfBusiness.MEDICARE_ADVANTAGE, "NY"),
    ("Sunrise Medicaid Managed Care", LineOfBusiness.MEDICAID, "NY"),
    ("Sunrise Child Health Plus (CHIP)", LineOfBusiness.CHIP, "NY"),
    ("Sunrise Essential Exchange Silver", LineOfBusiness.EXCHANGE, "NJ"),
    ("Sunrise Commercial PPO", LineOfBusiness.COMMERCIAL, "NJ"),
]
# Categories each plan does not cover (the rest are covered), for eligibility checks.
PLAN_EXCLUSIONS = {LineOfBusiness.CHIP: {"inpatient"}, LineOfBusiness.COMMERCIAL: {"home-health"}}

FIRST = [
    "Maria",
    "James",
    "Linda",
    "Robert",
    "Ana",
    "Wei",
    "Fatima",
    "John",
    "Grace",
    "Carlos",
    "Aisha",
    "Michael",
    "Rosa",
    "David",
    "Mei",
    "Jose",
    "Olivia",
    "Ahmed",
    "Sofia",
    "Kevin",
    "Lucia",
    "Thomas",
    "Priya",
    "Daniel",
    "Elena",
    "Samuel",
    "Hana",
    "Miguel",
    "Ruth",
    "Ivan",
]
LAST = [
    "Garcia",
    "Smith",
    "Nguyen",
    "Johnson",
    "Rodriguez",
    "Kim",
    "Williams",
    "Martinez",
    "Brown",
    "Lopez",
    "Davis",
    "Hernandez",
    "Wilson",
    "Gonzalez",
    "Taylor",
    "Perez",
    "Moore",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Torres",
    "Walker",
    "Flores",
    "Hall",
    "Rivera",
]
CITIES = [
    ("Albany", "NY", "12207"),
    ("Buffalo", "NY", "14202"),
    ("Newark", "NJ", "07102"),
    ("Trenton", "NJ", "08608"),
    ("Yonkers", "NY", "10701"),
]
FACILITY_KINDS = ["Imaging Center", "Surgery Center", "Home Care", "Hospital"]
SPECIALTIES = [
    "Orthopaedic surgery",
    "Family medicine",
    "Pulmonology",
    "Neurology",
    "Internal medicine",
    "Psychiatry",
    "Physical medicine",
    "Cardiology",
]


def demo_npi(rng: random.Random) -> str:
    first_nine = "1" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return first_nine + str(npi_check_digit(first_nine))


@transaction.atomic
def seed_reference(
    *, orgs: dict, rng: random.Random, providers: int = 50, members: int = 300
) -> None:
    """Plans, ~50 providers and ~300 members with coverage (idempotent)."""
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    for name, lob, state in PLANS:
        plan, created = Plan.objects.get_or_create(
            name=name,
            defaults={
                "line_of_business": lob,
                "state": state,
                "appeals_address": "Sunrise Health Plan, Appeals Unit, "
                "PO Box 1200, Albany, NY 12201",
            },
        )
        if created:
            excluded = PLAN_EXCLUSIONS.get(lob, set())
            plan.covered_categories.set(
                [c for code, c in categories.items() if code not in excluded]
            )
    org_list = list(orgs.values())
    existing = Provider.objects.count()
    new_providers = []
    for i in range(existing, providers):
        individual = i % 4 != 0
        last = rng.choice(LAST)
        new_providers.append(
            Provider(
                npi=demo_npi(rng),
                name=f"Dr. {rng.choice(FIRST)} {last}"
                if individual
                else f"{last} {rng.choice(FACILITY_KINDS)}",
                kind=Provider.Kind.INDIVIDUAL if individual else Provider.Kind.ORGANIZATION,
                specialty=rng.choice(SPECIALTIES) if individual else "Facility",
                network_status=Provider.Network.OUT if i % 9 == 8 else Provider.Network.IN,
                state=rng.choice(["NY", "NJ"]),
                phone=f"555-01{i:02d}",
                organization=org_list[i % len(org_list)] if i < 30 else None,
            )
        )
    Provider.objects.bulk_create(new_providers, ignore_conflicts=True)
    plans = list(Plan.objects.all())
    existing_members = Member.objects.count()
    today = timezone.localdate()
    for i in range(existing_members, members):
        city, state, zipcode = rng.choice(CITIES)
        member = Member.objects.create(
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            birth_date=date(1940, 1, 1) + timedelta(days=rng.randint(0, 365 * 75)),
            sex=rng.choice("FM"),
            address_line=f"{rng.randint(1, 999)} Main Street",
            city=city,
            state=state,
            postal_code=zipcode,
            phone=f"555-02{i % 100:02d}",
            preferred_language=Member.Language.SPANISH if i % 5 == 0 else Member.Language.ENGLISH,
        )
        plan = plans[i % len(plans)]
        terminated = i % 37 == 36
        Coverage.objects.create(
            member=member,
            plan=plan,
            member_number=f"SUN{100000 + i}",
            effective_from=date(today.year - 1, 1, 1),
            effective_to=today - timedelta(days=10) if terminated else None,
            status=Coverage.Status.TERMINATED if terminated else Coverage.Status.ACTIVE,
        )


def demo_pdf(text: str) -> bytes:
    """A minimal one-page PDF with a line of text, for demo documents."""
    safe = text.replace("\\", "").replace("(", "[").replace(")", "]")
    stream = f"BT /F1 14 Tf 72 720 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def active_coverages() -> list[Coverage]:
    return list(
        Coverage.objects.filter(status=Coverage.Status.ACTIVE)
        .select_related("member", "plan")
        .order_by("member_number")
    )


def demo_cases_exist() -> bool:
    return CareRequest.objects.filter(external_system=DEMO_SYSTEM).exists()
