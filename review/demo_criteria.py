"""Demo medical-necessity criteria sets, written for UM Portal (not copied from any licensed
criteria product). Used by `seed_demo` and by the tests; idempotent."""

from datetime import date

from django.db import transaction

from .demo_criteria_es import translate_demo_criteria
from .models import CriteriaSet
from .services.criteria import CriterionInput, criteria_set_create

C = CriterionInput

CRITERIA_SETS: list[dict] = [
    {
        "slug": "lumbar-spine-mri",
        "name": "MRI of the lumbar spine",
        "code_system": "cpt",
        "codes": ["72148", "72149", "72158"],
        "summary": "An MRI of the lower back is covered when back pain with nerve symptoms has not "
        "improved after six weeks of treatment, or sooner when there are warning signs.",
        "criteria": [
            C(
                "Low back pain or radicular symptoms documented for at least 6 weeks, OR a red "
                "flag (suspected cauda equina syndrome, progressive motor deficit, suspected "
                "infection, cancer history, or significant trauma).",
                "Your back or leg symptoms have lasted at least six weeks, or there is a warning "
                "sign that needs an urgent scan.",
            ),
            C(
                "At least 6 weeks of conservative care (physical therapy, home exercise, "
                "medication) without adequate improvement, unless a red flag is present.",
                "You tried treatment such as physical therapy or medicine for six weeks and it "
                "did not help enough.",
            ),
            C(
                "Findings on examination (e.g. dermatomal deficit, positive straight-leg raise, "
                "reflex change) are recorded in the office notes.",
                "Your doctor's examination found signs that a nerve may be affected.",
            ),
            C(
                "The result will change management (e.g. injection or surgical planning).",
                "The scan result will help decide your next treatment.",
            ),
            C(
                "No lumbar MRI in the last 12 months, unless new or worsening symptoms are "
                "documented.",
                "You have not had the same scan in the past year, or your symptoms have changed.",
            ),
        ],
    },
    {
        "slug": "knee-arthroscopy",
        "name": "Knee arthroscopy with meniscectomy or meniscus repair",
        "code_system": "cpt",
        "codes": ["29880", "29881"],
        "summary": "Knee arthroscopy for a torn meniscus is covered when mechanical symptoms "
        "persist after treatment and imaging confirms a tear without advanced arthritis.",
        "criteria": [
            C(
                "Mechanical symptoms (locking, catching, giving way) or a tear found on "
                "examination (joint-line tenderness, positive McMurray or Thessaly test).",
                "Your knee locks, catches or gives way, or the examination shows a tear.",
            ),
            C(
                "MRI report confirming a meniscal tear consistent with the symptoms.",
                "An MRI shows a torn meniscus that matches your symptoms.",
            ),
            C(
                "At least 4 weeks of conservative care (activity change, physical therapy, "
                "anti-inflammatory medication) has failed, unless the knee is locked.",
                "You tried other treatment for at least four weeks and it did not help enough.",
            ),
            C(
                "No advanced osteoarthritis of the same compartment (Kellgren-Lawrence grade 3 "
                "or 4 on weight-bearing X-ray).",
                "X-rays do not show severe arthritis in the same part of the knee.",
            ),
        ],
    },
    {
        "slug": "home-oxygen",
        "name": "Home oxygen therapy",
        "code_system": "hcpcs",
        "codes": ["E1390", "E0431", "E0439"],
        "summary": "Home oxygen is covered for low blood oxygen confirmed by a qualifying test "
        "while the member is in a stable state.",
        "criteria": [
            C(
                "Qualifying test within the last 30 days: arterial PaO2 at or below 55 mm Hg or "
                "SpO2 at or below 88% at rest, during exercise, or asleep.",
                "A recent test showed your blood oxygen is low.",
            ),
            C(
                "The test was done while the member was in a chronic stable state (not during an "
                "acute illness unless the request is for the recovery period).",
                "The test was done when your condition was stable.",
            ),
            C(
                "A diagnosis that low oxygen can explain (e.g. COPD, interstitial lung disease, "
                "heart failure) is documented.",
                "You have a condition that causes low blood oxygen.",
            ),
            C(
                "Other treatment has been tried or considered and oxygen is expected to improve "
                "the condition.",
                "Your doctor expects oxygen to help your condition.",
            ),
            C(
                "A signed order states the flow rate, frequency and duration of use.",
                "Your doctor signed an order saying how much oxygen you need and when.",
            ),
        ],
    },
    {
        "slug": "inpatient-admission",
        "name": "Acute inpatient admission",
        "code_system": "revenue",
        "codes": ["0110", "0111", "0120", "0121", "0150"],
        "summary": "An inpatient stay is covered when the member needs hospital-level care that "
        "cannot safely be given as an outpatient or under observation.",
        "criteria": [
            C(
                "Severity of illness: unstable vital signs, acute organ dysfunction, or an "
                "abnormal finding that needs hospital-level monitoring.",
                "Your condition was serious enough to need hospital care.",
            ),
            C(
                "Intensity of service: treatment that can only be given in hospital (e.g. IV "
                "medication several times a day, continuous monitoring, oxygen titration).",
                "You needed treatment that can only be given in a hospital.",
            ),
            C(
                "The admitting physician expects the stay to cross two midnights, or the "
                "procedure is on the inpatient-only list.",
                "Your doctor expected you to stay in hospital for at least two nights.",
            ),
            C(
                "Observation or outpatient care was considered and is not safe or sufficient.",
                "Care outside the hospital would not have been safe enough.",
            ),
        ],
    },
    # The demo's auto-approval rules (intake/demo_rules.py) approve these services: the guided
    # setup checks that every auto-approved code has criteria.
    {
        "slug": "cpap-osa",
        "name": "CPAP for obstructive sleep apnoea",
        "code_system": "hcpcs",
        "codes": ["E0601"],
        "summary": "A CPAP machine is covered when a sleep study shows obstructive sleep apnoea.",
        "criteria": [
            C(
                "Obstructive sleep apnoea confirmed by a sleep study (AHI of 15 or more, or 5 "
                "or more with symptoms).",
                "A sleep study showed that your breathing stops often during sleep.",
            ),
        ],
    },
    {
        "slug": "knee-mri",
        "name": "MRI of the knee",
        "code_system": "cpt",
        "codes": ["73721"],
        "summary": "A knee MRI is covered when a meniscus or ligament tear is suspected after "
        "an examination.",
        "criteria": [
            C(
                "Examination findings of an internal derangement (joint-line tenderness, "
                "positive McMurray test, locking) recorded in the office notes.",
                "Your doctor's examination found signs of a tear inside the knee.",
            ),
        ],
    },
    {
        "slug": "home-pt-post-arthroplasty",
        "name": "Home physical therapy after joint replacement",
        "code_system": "hcpcs",
        "codes": ["G0151"],
        "summary": "Physical therapy at home is covered after a joint replacement while "
        "leaving home takes a considerable effort.",
        "criteria": [
            C(
                "Joint replacement within the last 90 days and the member is homebound.",
                "You had a joint replaced recently and it is hard for you to leave home.",
            ),
        ],
    },
]


@transaction.atomic
def seed_criteria_sets(*, actor=None) -> list[CriteriaSet]:
    """Create the demo criteria sets that do not exist yet; return the current versions."""
    for spec in CRITERIA_SETS:
        if CriteriaSet.objects.filter(slug=spec["slug"]).exists():
            continue
        criteria_set_create(
            actor=actor,
            slug=spec["slug"],
            fields={
                "name": spec["name"],
                "code_system": spec["code_system"],
                "codes": spec["codes"],
                "summary": spec["summary"],
                "effective_from": date(2026, 1, 1),
            },
            criteria=spec["criteria"],
        )
    # Spanish member letters are Spanish throughout (issue 18): the sets' Spanish wording.
    translate_demo_criteria()
    slugs = [spec["slug"] for spec in CRITERIA_SETS]
    return list(CriteriaSet.objects.filter(slug__in=slugs, is_current=True))
