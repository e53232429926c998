"""Demo stays, built through the real services: members in house at several levels of care, a
stay with two continued-stay reviews (the second partly denied by the director, with its
notice), a discharge and a readmission, and retrospective requests on their post-service
clocks."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from determinations.demo import letters_render_pending
from determinations.services import LineDecisionInput, determination_issue
from intake.demo_cases import demo_documents_supply
from intake.models import CareRequest, Coverage, Provider, ServiceCategory
from intake.services.eligibility import eligibility_check_record
from intake.services.receipt import ServiceLineInput, care_request_create
from intake.services.workflow import care_request_triage
from review.demo_criteria_es import translate_demo_criteria
from review.models import CriteriaSet
from review.selectors.criteria import criteria_set_for_line_map
from review.services.clocks import care_request_extend
from review.services.criteria import CriterionInput, criteria_set_create
from review.services.nurse_review import (
    AnswerInput,
    care_request_refer_to_director,
    nurse_review_save_answers,
)

from .models import Stay
from .services import (
    AdmissionInput,
    stay_admit,
    stay_change_level,
    stay_discharge,
    stay_note_add,
    stay_request_extension,
    stay_review_nurse_approve,
)

C = CriterionInput
CONTINUED_STAY = [
    (
        "acute-continued-stay",
        "Acute inpatient: continued stay",
        ["0120"],
        "A further day in the hospital is covered while you need care that only a hospital "
        "can give.",
    ),
    (
        "icu-continued-stay",
        "Intensive care: continued stay",
        ["0200"],
        "A further day in intensive care is covered while you need organ support or "
        "monitoring that only an intensive care unit gives.",
    ),
    (
        "snf-continued-stay",
        "Skilled nursing facility: continued stay",
        ["0191"],
        "A further day in a skilled nursing facility is covered while you need daily skilled "
        "nursing or therapy.",
    ),
    (
        "rehab-continued-stay",
        "Acute inpatient rehabilitation: continued stay",
        ["0128"],
        "A further day of inpatient rehabilitation is covered while you take part in three "
        "hours of therapy a day and keep improving.",
    ),
]
CRITERIA = [
    C(
        "The member needs treatment, monitoring or therapy available only at this level of "
        "care (documented in the last 24 hours).",
        "You still need care that can only be given at this level.",
    ),
    C(
        "The member is improving or the plan of care is being adjusted; goals are documented.",
        "Your care team has a plan and you are making progress.",
    ),
    C(
        "No safe discharge to a lower level of care is possible yet.",
        "You cannot yet safely go home or to a lower level of care.",
    ),
]
DENIAL_RATIONALE = (
    "Since the day before yesterday the member walks 50 metres with a walker, transfers alone "
    "and needs no daily skilled nursing: therapy can continue at home with home health visits. "
    "Two more days are covered to arrange the discharge."
)


def seed_continued_stay_criteria() -> None:
    for slug, name, codes, summary in CONTINUED_STAY:
        if CriteriaSet.objects.filter(slug=slug).exists():
            continue
        criteria_set_create(
            actor=None,
            slug=slug,
            fields={
                "name": name,
                "code_system": "revenue",
                "codes": codes,
                "summary": summary,
                "effective_from": dt.date(2026, 1, 1),
            },
            criteria=CRITERIA,
        )
    translate_demo_criteria()  # Spanish member letters name these criteria in Spanish too


def _to_nurse(case: CareRequest, intake) -> None:
    eligibility_check_record(care_request=case, actor=intake)
    demo_documents_supply(case, actor=intake, text="Inpatient clinical notes")
    care_request_triage(care_request=case, actor=intake)


def _answer(case: CareRequest, nurse) -> None:
    lines = list(case.service_lines.all())
    answers = [
        AnswerInput(line_id, criterion.pk, "met", "Seen in today's progress notes.")
        for line_id, cs in criteria_set_for_line_map(lines).items()
        if cs is not None
        for criterion in cs.criteria.all()
    ]
    nurse_review_save_answers(care_request=case, nurse=nurse, answers=answers)


def _nurse_approves(stay: Stay, *, users, next_in_days: int = 1) -> None:
    review = stay.reviews.select_related("care_request").order_by("-sequence").first()
    _to_nurse(review.care_request, users["intake"])
    _answer(review.care_request, users["nurse"])
    last_day = review.care_request.service_lines.get().end_date
    stay_review_nurse_approve(
        nurse=users["nurse"],
        stay_review=review,
        next_review_date=max(
            min(timezone.localdate() + dt.timedelta(days=next_in_days), last_day),
            timezone.localdate(),
        ),
        summary="Continued-stay criteria met.",
    )


def _admit(coverage, facility, *, users, level, days_ago, days, kind="emergency", dx=("I50.9",)):
    return stay_admit(
        actor=users["intake"],
        data=AdmissionInput(
            coverage=coverage,
            facility=facility,
            attending=None,
            admission_type=kind,
            level_of_care=level,
            admitted_at=timezone.now() - dt.timedelta(days=days_ago, hours=3),
            diagnoses=list(dx),
            requested_days=days,
        ),
        channel=CareRequest.Channel.PHONE,
    )


def seed_stays(*, users: dict, rng: random.Random, log=print) -> int:
    """Idempotent: nothing is added when a stay exists. Returns the stays created."""
    seed_continued_stay_criteria()
    if Stay.objects.exists():
        return 0
    org = users["provider"].provider_organization
    facilities = list(
        Provider.objects.filter(kind=Provider.Kind.ORGANIZATION, organization=org).order_by("npi")
    ) or list(Provider.objects.filter(kind=Provider.Kind.ORGANIZATION).order_by("npi"))
    coverages = [
        c
        # Members whose plan covers inpatient care: their eligibility check passes.
        for c in Coverage.objects.filter(
            status=Coverage.Status.ACTIVE, plan__covered_categories__code="inpatient"
        )
        .select_related("member", "plan")
        .order_by("member_number")
        if c.member.birth_date is not None
    ]
    rng.shuffle(coverages)
    pick = iter(coverages)
    with transaction.atomic():
        # In house, first review waiting for intake.
        _admit(next(pick), facilities[0], users=users, level="acute", days_ago=1, days=3)
        # ICU, first review approved by the nurse.
        icu = _admit(
            next(pick),
            facilities[-1],
            users=users,
            level="icu",
            days_ago=2,
            days=3,
            dx=("A41.9", "N17.9"),
        )
        _nurse_approves(icu, users=users)
        # Acute rehab, first review at nurse review.
        rehab = _admit(
            next(pick),
            facilities[0],
            users=users,
            level="acute_rehab",
            days_ago=1,
            days=7,
            dx=("I63.9",),
        )
        _to_nurse(rehab.reviews.get().care_request, users["intake"])
        # Acute → SNF with two continued-stay reviews; the second partly denied by the director.
        snf = _admit(
            next(pick),
            facilities[0],
            users=users,
            level="acute",
            days_ago=9,
            days=3,
            dx=("S72.001A",),
        )
        _nurse_approves(snf, users=users)
        admitted_on = timezone.localdate(snf.admitted_at)
        stay_change_level(
            actor=users["nurse"],
            stay=snf,
            level_of_care="snf",
            starts_on=admitted_on + dt.timedelta(days=3),
            note="Hip fracture repaired; transferred to the skilled nursing unit for therapy.",
        )
        stay_request_extension(
            actor=users["intake"],
            stay=snf,
            requested_days=4,
            level_of_care="snf",
            channel=CareRequest.Channel.FAX,
        )
        _nurse_approves(snf, users=users)
        second = stay_request_extension(
            actor=users["intake"],
            stay=snf,
            requested_days=5,
            level_of_care="snf",
            channel=CareRequest.Channel.FAX,
        )
        _to_nurse(second, users["intake"])
        _answer(second, users["nurse"])
        care_request_refer_to_director(
            care_request=second,
            nurse=users["nurse"],
            summary="Walks with a walker, transfers alone; therapy twice a day.",
            recommendation="Two more days to arrange home health, then discharge.",
        )
        line = second.service_lines.get()
        snf_criteria = CriteriaSet.objects.get(slug="snf-continued-stay", is_current=True)
        determination_issue(
            case=second,
            director=users["director"],
            line_decisions=[
                LineDecisionInput(
                    service_line=line,
                    outcome="modified",
                    approved_units=2,
                    approved_start=line.start_date,
                    approved_end=line.start_date + dt.timedelta(days=1),
                    reason_code="not_med_necessary",
                    rationale=DENIAL_RATIONALE,
                    criteria_set=snf_criteria,
                    criterion=snf_criteria.criteria.first(),
                )
            ],
        )
        stay_note_add(
            actor=users["nurse"],
            stay=snf,
            body="Home health referral sent; daughter will stay with her the first week.",
        )
        # Discharged, then readmitted within 30 days (the report counts it).
        readmitted = next(pick)
        first = _admit(
            readmitted,
            facilities[-1],
            users=users,
            level="acute",
            days_ago=14,
            days=4,
            dx=("J44.1",),
        )
        _nurse_approves(first, users=users)
        stay_discharge(
            actor=users["intake"],
            stay=first,
            discharged_at=first.admitted_at + dt.timedelta(days=5),
            disposition="home",
        )
        _admit(
            readmitted,
            facilities[-1],
            users=users,
            level="observation",
            days_ago=0,
            days=1,
            dx=("J44.1",),
        )
        retro = _seed_retrospective(users=users, pick=pick)
    letters_render_pending()
    log(f"Retrospective requests: {retro}.")
    return Stay.objects.count()


def _seed_retrospective(*, users, pick) -> int:
    """A few requests for care already given, each on its line of business's post-service
    clock (the plans' lines of business differ, so their due dates do too)."""
    category = ServiceCategory.objects.get(code="imaging")
    provider = Provider.objects.filter(kind=Provider.Kind.INDIVIDUAL).order_by("npi").first()
    seen, made, extended = set(), 0, False
    for coverage in pick:
        lob = coverage.plan.line_of_business
        if lob in seen:
            continue
        seen.add(lob)
        day = timezone.localdate() - dt.timedelta(days=12 + made * 5)
        case = care_request_create(
            actor=users["intake"],
            coverage=coverage,
            requesting_provider=provider,
            servicing_provider=provider,
            lines=[
                ServiceLineInput(
                    code_system="cpt",
                    code="72148",
                    category=category,
                    units=1,
                    start_date=day,
                    end_date=day,
                    description="MRI of the lower back",
                )
            ],
            diagnoses=["M54.16"],
            channel=CareRequest.Channel.FAX,
            priority="standard",
            request_type=CareRequest.RequestType.RETROSPECTIVE,
            review_setting=CareRequest.ReviewSetting.OUTPATIENT,
            claim_number=f"CLM-{day:%Y%m%d}-{made + 1:03d}",
            clinical_summary="MRI done in the emergency department; records attached.",
        )
        if lob in ("commercial", "exchange") and not extended:
            # The one post-service extension (29 CFR 2560.503-1(f)(2)(iii)(B)), for the demo.
            care_request_extend(
                case=case,
                actor=users["intake"],
                days=15,
                reason="Matters beyond the plan's control need more time: the hospital's "
                "records system is down; its records office promised them next week.",
            )
            extended = True
        made += 1
        if made == 3:
            break
    return made
