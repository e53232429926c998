"""Demo rules (DESIGN §4): which services need authorization, the document checklist, and
auto-approval rules under which some demo requests are approved at receipt.

Idempotent: a rule whose key exists is left as it is (a UM manager may have revised it).
"""

from django.db import transaction

from .models import (
    AuthRequirementRule,
    AutoApprovalRule,
    ChecklistRequirement,
    DocumentKind,
    ServiceCategory,
)

# key, name, code system, first code, last code, requires authorization
NEEDS_ASSESSMENT = [
    ("office-visits", "Office visits", "cpt", "99202", "99215", False),
    ("lab-tests", "Laboratory tests", "cpt", "80047", "89398", False),
    ("advanced-imaging", "Advanced imaging (MRI, CT, PET)", "cpt", "70010", "79999", True),
    ("surgery", "Surgical procedures", "cpt", "10004", "69990", True),
    ("therapy", "Physical medicine and rehabilitation", "cpt", "97010", "97799", True),
    ("psychotherapy", "Psychotherapy", "cpt", "90785", "90899", True),
    ("dme", "Durable medical equipment", "hcpcs", "E0100", "E8002", True),
    ("home-health", "Home health visits", "hcpcs", "G0151", "G0299", True),
    ("inpatient-room", "Inpatient room and board", "revenue", "0100", "0219", True),
]

# category, document kind, description, service codes (empty: any in the category)
CHECKLIST = [
    ("imaging", DocumentKind.CLINICAL_NOTES, "Office notes from the last 90 days", []),
    ("imaging", DocumentKind.THERAPY_NOTES, "Record of 6 weeks of conservative therapy", []),
    ("surgery", DocumentKind.CLINICAL_NOTES, "Surgeon's consultation note", []),
    ("surgery", DocumentKind.IMAGING_REPORT, "Imaging report supporting the procedure", []),
    ("inpatient", DocumentKind.CLINICAL_NOTES, "Admission history and physical", []),
    ("dme", DocumentKind.ORDER, "Signed physician order", []),
    ("dme", DocumentKind.OXYGEN_TEST, "Qualifying oxygen saturation test", ["E1390"]),
    ("home-health", DocumentKind.ORDER, "Signed plan of care", []),
    ("therapy", DocumentKind.CLINICAL_NOTES, "Therapy evaluation", []),
    ("behavioral-health", DocumentKind.CLINICAL_NOTES, "Treatment plan", []),
    ("consultation", DocumentKind.CLINICAL_NOTES, "Referral note", []),
]

# key, name, category, code system, service codes, diagnosis codes, unit limit
AUTO_APPROVAL = [
    (
        "cpap-sleep-apnoea",
        "CPAP for obstructive sleep apnoea",
        "dme",
        "hcpcs",
        ["E0601"],
        ["G47.33"],
        1,
    ),
    (
        "knee-mri-meniscus",
        "Knee MRI for a suspected meniscus tear",
        "imaging",
        "cpt",
        ["73721"],
        ["M23.2", "S83.2"],
        1,
    ),
    (
        "home-pt-after-knee",
        "Home physical therapy after knee replacement",
        "home-health",
        "hcpcs",
        ["G0151"],
        ["Z96.651", "M17.1"],
        12,
    ),
]


@transaction.atomic
def seed_rules() -> None:
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    for order, (key, name, system, first, last, required) in enumerate(NEEDS_ASSESSMENT, 1):
        if not AuthRequirementRule.objects.filter(key=key).exists():
            AuthRequirementRule.objects.create(
                key=key,
                name=name,
                order=order * 10,
                code_system=system,
                code_from=first,
                code_to=last,
                requires_auth=required,
            )
    for code, kind, description, service_codes in CHECKLIST:
        category = categories[code]
        if not ChecklistRequirement.objects.filter(category=category, document_kind=kind).exists():
            ChecklistRequirement.objects.create(
                key=f"{code}-{kind}".replace("_", "-"),
                category=category,
                document_kind=kind,
                description=description,
                service_codes=service_codes,
            )
    for order, (key, name, category, system, codes, diagnoses, units) in enumerate(
        AUTO_APPROVAL, 1
    ):
        if not AutoApprovalRule.objects.filter(key=key).exists():
            AutoApprovalRule.objects.create(
                key=key,
                name=name,
                order=order * 10,
                category=categories[category],
                code_system=system,
                service_codes=codes,
                diagnosis_codes=diagnoses,
                max_units=units,
            )
