"""`seed_demo --cases N`: many realistic cases fast, with bulk inserts (for benchmarks)."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from intake.demo import SERVICES
from intake.models import (
    CareRequest,
    ChecklistItem,
    Coverage,
    Diagnosis,
    Provider,
    ServiceCategory,
    ServiceLine,
    StatusEvent,
    TurnaroundStandard,
)
from intake.models.care_request import CareRequestStatus as S
from um_portal.accounts.models import User
from um_portal.accounts.roles import Role
from um_portal.lib.codes import icd10_description

BATCH = 2000
# (status, weight): most cases are decided, as in a real year of UM work.
STATUS_MIX = [
    (S.SUBMITTED, 6),
    (S.PENDING_INFO, 4),
    (S.NURSE_REVIEW, 12),
    (S.MD_REVIEW, 4),
    (S.APPROVED, 44),
    (S.PARTIALLY_APPROVED, 4),
    (S.DENIED, 9),
    (S.WITHDRAWN, 5),
    (S.CLOSED_NO_AUTH_REQUIRED, 9),
    (S.VOIDED, 3),
]
OPEN = {S.SUBMITTED, S.PENDING_INFO, S.NURSE_REVIEW, S.MD_REVIEW}
DECISION = {
    S.APPROVED: "approved",
    S.PARTIALLY_APPROVED: "modified",
    S.DENIED: "denied",
    S.CLOSED_NO_AUTH_REQUIRED: "not_required",
}


def _progress(out, done: int, total: int) -> None:
    width = 30
    filled = width * done // total
    out.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} cases", ending="")
    out.flush()


def bulk_cases(*, count: int, out, seed: int | None = None) -> None:
    rng = random.Random(seed)
    coverages = list(
        Coverage.objects.filter(status=Coverage.Status.ACTIVE)
        .select_related("plan")
        .only("id", "member_id", "plan__line_of_business")
    )
    providers = list(
        Provider.objects.filter(kind=Provider.Kind.INDIVIDUAL).only("id", "organization_id")
    )
    categories = {c.code: c.pk for c in ServiceCategory.objects.all()}
    hours = {(t.line_of_business, t.priority): t.hours for t in TurnaroundStandard.objects.all()}
    nurses = list(User.objects.filter(groups__name=Role.NURSE))
    directors = list(User.objects.filter(groups__name=Role.DIRECTOR))
    statuses, weights = zip(*STATUS_MIX, strict=True)
    now = timezone.now()
    done = 0
    while done < count:
        n = min(BATCH, count - done)
        cases, lines, diagnoses, events, items = [], [], [], [], []
        for _ in range(n):
            status = rng.choices(statuses, weights)[0]
            coverage = rng.choice(coverages)
            requesting = rng.choice(providers)
            service = rng.choice(SERVICES)
            priority = "expedited" if rng.random() < 0.15 else "standard"
            span = timedelta(hours=hours[(coverage.plan.line_of_business, priority)])
            if status in OPEN:
                received = now - timedelta(minutes=rng.randint(10, int(span.total_seconds() // 45)))
            else:
                received = now - timedelta(minutes=rng.randint(60 * 24 * 8, 60 * 24 * 365))
            decided = (received + span * rng.uniform(0.05, 1.05)) if status not in OPEN else None
            assignee = None
            if status == S.NURSE_REVIEW and rng.random() < 0.7:
                assignee = rng.choice(nurses)
            elif status == S.MD_REVIEW:
                assignee = rng.choice(directors)
            case = CareRequest(
                member_id=coverage.member_id,
                coverage_id=coverage.pk,
                requesting_provider_id=requesting.pk,
                servicing_provider_id=rng.choice(providers).pk,
                provider_organization_id=requesting.organization_id,
                request_type="prospective",
                review_setting=service.setting,
                priority=priority,
                channel=rng.choice(["portal", "api", "fax", "phone"]),
                status=status,
                pended_from=S.NURSE_REVIEW if status == S.PENDING_INFO else "",
                eligibility_status="verified" if status != S.SUBMITTED else "unverified",
                received_at=received,
                due_at=received + span,
                decided_at=decided,
                auth_number=f"A{rng.randint(10**9, 10**10 - 1)}"
                if status in (S.APPROVED, S.PARTIALLY_APPROVED)
                else "",
                assigned_to=assignee,
                assigned_at=received if assignee else None,
                external_system="um-portal-bulk",
            )
            cases.append(case)
            start = received.date() + timedelta(days=rng.randint(1, 14))
            decision = DECISION.get(status, "pending")
            for seq in range(1, rng.choice([1, 1, 1, 2, 3]) + 1):
                units = service.units
                lines.append(
                    ServiceLine(
                        care_request=case,
                        sequence=seq,
                        code_system=service.system,
                        code=service.code,
                        description=service.description,
                        category_id=categories[service.category],
                        units=units,
                        start_date=start,
                        end_date=start + timedelta(days=service.days - 1),
                        place_of_service="11",
                        decision=decision,
                        approved_units=units if decision in ("approved", "modified") else None,
                    )
                )
            for seq, code in enumerate(service.diagnoses[: rng.randint(1, 2)], start=1):
                diagnoses.append(
                    Diagnosis(
                        care_request=case,
                        sequence=seq,
                        code=code,
                        description=icd10_description(code),
                    )
                )
            events.append(
                StatusEvent(
                    care_request=case,
                    transition="submit",
                    from_status=S.DRAFT,
                    to_status=S.SUBMITTED,
                    at=received,
                )
            )
            if status != S.SUBMITTED:
                events.append(
                    StatusEvent(
                        care_request=case,
                        transition="bulk_seed",
                        from_status=S.SUBMITTED,
                        to_status=status,
                        at=decided or received + span / 10,
                        note="Created by seed_demo --cases.",
                    )
                )
            if status == S.SUBMITTED:
                items.append(
                    ChecklistItem(
                        care_request=case,
                        document_kind="clinical_notes",
                        description="Office notes from the last 90 days",
                    )
                )
        with transaction.atomic():
            CareRequest.objects.bulk_create(cases)
            ServiceLine.objects.bulk_create(lines)
            Diagnosis.objects.bulk_create(diagnoses)
            StatusEvent.objects.bulk_create(events)
            ChecklistItem.objects.bulk_create(items)
        done += n
        _progress(out, done, count)
    out.write("")
