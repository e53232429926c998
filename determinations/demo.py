"""Demo determinations: decided cases of every outcome with their letters rendered and stored,
built through the real services (demo_case → triage → refer_to_md → determination_issue)."""

import random
from datetime import timedelta

from django.core.mail import get_connection
from django.db import transaction

from intake.demo import SERVICES
from intake.demo_cases import demo_case
from intake.models import CareRequest
from intake.services.transitions import care_request_transition
from review.models import CriteriaSet, Criterion

from .models import Determination, Letter
from .services import LineDecisionInput, determination_issue
from .services.delivery import letter_process

DEMO_CRITERIA = {
    "72148": (
        "demo-lumbar-spine-mri",
        "Advanced imaging of the lower back",
        "An MRI of the lower back is covered after six weeks of treatment without improvement, "
        "or sooner when there are warning signs.",
        [
            (
                "Six weeks of conservative therapy documented without improvement",
                "You have tried six weeks of treatment, such as physical therapy, without getting "
                "better.",
            ),
            (
                "Red-flag signs: progressive weakness, numbness, bladder or bowel change",
                "Or you have warning signs such as new weakness or numbness.",
            ),
        ],
    ),
    "73721": (
        "demo-knee-mri",
        "Advanced imaging of the knee",
        "An MRI of the knee is covered when an X-ray and an examination do not explain the "
        "problem and the result would change the treatment.",
        [
            ("Plain X-ray completed and non-diagnostic", "An X-ray did not show the cause."),
            (
                "Mechanical symptoms (locking, giving way) on examination",
                "Your knee locks or gives way when examined.",
            ),
        ],
    ),
    "G0151": (
        "demo-home-therapy",
        "Home physical therapy visits",
        "Home therapy is covered while the member cannot leave home without great effort and "
        "is making measurable progress; visits are approved in blocks and reviewed.",
        [
            ("Homebound status documented", "Leaving home takes great effort for you."),
            (
                "Measurable functional goals with progress",
                "Your therapy has goals and you are making progress toward them.",
            ),
        ],
    ),
}

RATIONALES = {
    "denied_en": "The notes describe knee pain for three weeks after a twist, with a normal "
    "examination and no locking or giving way, and no X-ray has been taken yet; an MRI would "
    "not change the treatment at this point.",
    "denied_es": "The notes describe lower back pain for two weeks with no weakness or numbness, "
    "and physical therapy has not been tried yet; the guideline asks for six weeks of treatment "
    "first.",
    "partial": "The therapy plan shows good progress with walking and stairs; six more home "
    "visits over four weeks fit the goals in the plan, after which progress will be reviewed "
    "again.",
}


def demo_criteria_set(code: str) -> CriteriaSet:
    """A current criteria set for the code: the review app's if it seeded one, else ours."""
    for cs in CriteriaSet.objects.filter(is_current=True):
        if code in (cs.codes or []):
            return cs
    slug, name, summary, items = DEMO_CRITERIA[code]
    cs, created = CriteriaSet.objects.get_or_create(
        slug=slug,
        version=1,
        defaults={"name": name, "codes": [code], "summary": summary, "is_current": True},
    )
    if created:
        for i, (text, plain) in enumerate(items, start=1):
            Criterion.objects.create(criteria_set=cs, sequence=i, text=text, plain_language=plain)
    return cs


def _service(code: str):
    return next(s for s in SERVICES if s.code == code)


def _referred(*, rng, users, code: str, hours_ago: float) -> CareRequest:
    case = demo_case(rng=rng, actor=users["intake"], service=_service(code), hours_ago=hours_ago)
    care_request_transition(care_request=case, name="triage", actor=users["intake"])
    care_request_transition(care_request=case, name="refer_to_md", actor=users["nurse"])
    case.refresh_from_db()
    return case


def _deny(case, cs, rationale):
    return [
        LineDecisionInput(
            service_line=line,
            outcome="denied",
            reason_code="not_med_necessary",
            rationale=rationale,
            criteria_set=cs,
            criterion=cs.criteria.first(),
        )
        for line in case.service_lines.all()
    ]


def seed_determination_cases(*, users: dict, rng: random.Random) -> int:
    """Approved, partially approved and denied cases (one denial to a Spanish-speaking member),
    two cases waiting for the director, and every letter rendered. Returns letters rendered."""
    if Determination.objects.filter(source=Determination.Source.PHYSICIAN).exists():
        return 0
    director = users["director"]
    with transaction.atomic():
        approved = _referred(rng=rng, users=users, code="72148", hours_ago=50)
        determination_issue(
            case=approved,
            director=director,
            line_decisions=[
                LineDecisionInput(service_line=x, outcome="approved")
                for x in approved.service_lines.all()
            ],
        )
        partial = _referred(rng=rng, users=users, code="G0151", hours_ago=70)
        line = partial.service_lines.get()
        determination_issue(
            case=partial,
            director=director,
            line_decisions=[
                LineDecisionInput(
                    service_line=line,
                    outcome="modified",
                    approved_units=min(6, line.units - 1),
                    approved_start=line.start_date,
                    approved_end=min(line.end_date, line.start_date + timedelta(days=27)),
                    reason_code="not_med_necessary",
                    rationale=RATIONALES["partial"],
                    criteria_set=demo_criteria_set("G0151"),
                    criterion=demo_criteria_set("G0151").criteria.first(),
                )
            ],
        )
        denied = _referred(rng=rng, users=users, code="73721", hours_ago=90)
        determination_issue(
            case=denied,
            director=director,
            line_decisions=_deny(denied, demo_criteria_set("73721"), RATIONALES["denied_en"]),
        )
        # A Spanish-speaking member's denial: members are drawn at random, so approve the
        # English speakers met on the way (realistic extra approvals) until one turns up.
        for attempt in range(20):
            case = _referred(rng=rng, users=users, code="72148", hours_ago=30 + attempt)
            if case.member.preferred_language == "es":
                determination_issue(
                    case=case,
                    director=director,
                    line_decisions=_deny(case, demo_criteria_set("72148"), RATIONALES["denied_es"]),
                )
                break
            determination_issue(
                case=case,
                director=director,
                line_decisions=[
                    LineDecisionInput(service_line=x, outcome="approved")
                    for x in case.service_lines.all()
                ],
            )
        for hours in (20, 40):  # the director's worklist
            _referred(rng=rng, users=users, code="72148", hours_ago=hours)
        demo_criteria_set("72148")
        return letters_render_pending()


def letters_render_pending() -> int:
    """Run the letter pipeline in-process for every unsent letter (so a new user sees real PDFs
    at once). Demo addresses are fictitious: the e-mail goes to a dummy backend, not the console."""
    connection = get_connection("django.core.mail.backends.dummy.EmailBackend")
    done = 0
    for letter_id in Letter.objects.exclude(status=Letter.Status.SENT).values_list("pk", flat=True):
        if letter_process(letter_id, connection=connection) == Letter.Status.SENT:
            done += 1
    return done
