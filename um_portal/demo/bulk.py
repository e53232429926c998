"""`seed_demo --cases N`: many realistic cases fast, with bulk inserts (for benchmarks).

Besides cases, lines, diagnoses and history, decided cases get what the reports and dashboards
read: an initial `Determination` with its `LineDecision`s (source: the rules engine for ~30% of
approvals, a nurse or a physician otherwise; a physician for every adverse decision), a sent
provider `Letter` (status sent, `sent_at` set, no PDF file: rendering 100,000 PDFs would take
hours and no report reads the file), ~3% of cases with a documented extension, and a
`pending_info` history event for every pended case, and every case granted to its provider
organisation (intake.services.access) as the services would. On PostgreSQL the rows are
written with COPY on a writer thread while the next batch is built (bulk_copy); elsewhere with
`bulk_create`. On PostgreSQL the planner statistics are refreshed at the end (ANALYZE), because
a freshly bulk-loaded table has none until autovacuum gets to it and the planner then picks full
scans.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from determinations.models import Determination, Letter, LineDecision
from intake.demo import SERVICES
from intake.models import (
    CareRequest,
    CareRequestGroupObjectPermission,
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
from intake.services.access import (
    care_request_grant_to_organization,
    care_request_organization_grants,
)
from um_portal.accounts.models import User
from um_portal.accounts.roles import Role
from um_portal.lib.codes import icd10_description

from .bulk_copy import CopyWriter, copy_rows

BATCH = 2000  # cases per bulk_create transaction (SQLite and other databases)
COPY_BATCH = 5000  # cases per COPY transaction (PostgreSQL)
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
OUTCOME = {
    S.APPROVED: Determination.Outcome.APPROVED,
    S.PARTIALLY_APPROVED: Determination.Outcome.PARTIALLY_APPROVED,
    S.DENIED: Determination.Outcome.DENIED,
    S.CLOSED_NO_AUTH_REQUIRED: Determination.Outcome.NOT_REQUIRED,
}
TEMPLATE = {
    S.APPROVED: Letter.Template.APPROVAL,
    S.PARTIALLY_APPROVED: Letter.Template.PARTIAL,
    S.DENIED: Letter.Template.DENIAL,
    S.CLOSED_NO_AUTH_REQUIRED: Letter.Template.NOT_REQUIRED,
}
RULES_SHARE = 0.30  # of approvals, decided at receipt by the rules engine
EXTENDED_SHARE = 0.03  # cases whose clock was extended once (14 days, with a reason)
EXTENSION = timedelta(days=14)


def _progress(out, done: int, total: int, started: float) -> None:
    width = 30
    filled = width * done // total
    elapsed = time.monotonic() - started
    rate = done / elapsed if elapsed else 0.0
    left = (total - done) / rate if rate else 0.0
    out.write(
        f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} cases, "
        f"{rate:,.0f}/s, {elapsed:,.0f} s, ~{left:,.0f} s left ",
        ending="",
    )
    out.flush()


@dataclass
class Batch:
    cases: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    diagnoses: list = field(default_factory=list)
    events: list = field(default_factory=list)
    items: list = field(default_factory=list)
    determinations: list = field(default_factory=list)
    line_decisions: list = field(default_factory=list)
    letters: list = field(default_factory=list)

    def save(self) -> None:
        with transaction.atomic():
            CareRequest.objects.bulk_create(self.cases)
            # The portal reads a case only through its organisation's grant.
            care_request_grant_to_organization(care_requests=self.cases)
            # Service lines get their integer keys back from the insert; line decisions need them.
            ServiceLine.objects.bulk_create(self.lines)
            Diagnosis.objects.bulk_create(self.diagnoses)
            StatusEvent.objects.bulk_create(self.events)
            ChecklistItem.objects.bulk_create(self.items)
            Determination.objects.bulk_create(self.determinations)
            for decision in self.line_decisions:
                decision.service_line_id = decision.service_line.pk
            LineDecision.objects.bulk_create(self.line_decisions)
            Letter.objects.bulk_create(self.letters)

    def copy_tables(self) -> list[tuple[str, list]]:
        """The batch as COPY statements and rows (PostgreSQL), made on the builder's thread."""
        for decision in self.line_decisions:
            decision.service_line_id = decision.service_line.pk
        grants = care_request_organization_grants(care_requests=self.cases)
        return [
            copy_rows(CareRequest, self.cases),
            copy_rows(CareRequestGroupObjectPermission, grants),
            copy_rows(ServiceLine, self.lines),
            copy_rows(Diagnosis, self.diagnoses),
            copy_rows(StatusEvent, self.events),
            copy_rows(ChecklistItem, self.items),
            copy_rows(Determination, self.determinations),
            copy_rows(LineDecision, self.line_decisions),
            copy_rows(Letter, self.letters),
        ]


def _event(case, transition: str, source: str, target: str, at, note: str = "") -> StatusEvent:
    return StatusEvent(
        care_request=case,
        transition=transition,
        from_status=source,
        to_status=target,
        at=at,
        note=note,
    )


class Seeder:
    """Builds one batch at a time from reference data loaded once."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.coverages = list(
            Coverage.objects.filter(status=Coverage.Status.ACTIVE)
            .select_related("plan")
            .only("id", "member_id", "plan__line_of_business")
        )
        self.providers = list(
            Provider.objects.filter(kind=Provider.Kind.INDIVIDUAL).only("id", "organization_id")
        )
        self.categories = {c.code: c.pk for c in ServiceCategory.objects.all()}
        self.hours = {
            (t.line_of_business, t.priority): t.hours for t in TurnaroundStandard.objects.all()
        }
        self.nurses = list(User.objects.filter(groups__name=Role.NURSE))
        self.directors = list(User.objects.filter(groups__name=Role.DIRECTOR))
        self.statuses, self.weights = zip(*STATUS_MIX, strict=True)
        self.now = timezone.now()

    def source_for(self, status: str) -> str:
        if status == S.CLOSED_NO_AUTH_REQUIRED:
            return Determination.Source.INTAKE
        if status != S.APPROVED:
            # 42 CFR 422.566(d): only a physician issues an adverse determination.
            return Determination.Source.PHYSICIAN
        roll = self.rng.random()
        if roll < RULES_SHARE:
            return Determination.Source.RULES
        return Determination.Source.NURSE if roll < 0.8 else Determination.Source.PHYSICIAN

    def add_case(self, batch: Batch) -> None:
        rng, now = self.rng, self.now
        status = rng.choices(self.statuses, self.weights)[0]
        coverage = rng.choice(self.coverages)
        requesting = rng.choice(self.providers)
        service = rng.choice(SERVICES)
        priority = "expedited" if rng.random() < 0.15 else "standard"
        span = timedelta(hours=self.hours[(coverage.plan.line_of_business, priority)])
        source = self.source_for(status) if status in OUTCOME else ""
        extended = status not in (S.SUBMITTED, S.VOIDED) and rng.random() < EXTENDED_SHARE
        pended = status == S.PENDING_INFO or extended
        if status in OPEN:
            received = now - timedelta(minutes=rng.randint(10, int(span.total_seconds() // 45)))
        else:
            received = now - timedelta(minutes=rng.randint(60 * 24 * 8, 60 * 24 * 365))
        due = received + span + (EXTENSION if extended else timedelta(0))
        decided = None
        if status not in OPEN:
            if source == Determination.Source.RULES:
                decided = received + timedelta(seconds=rng.randint(1, 5))
            else:
                decided = received + (due - received) * rng.uniform(0.05, 1.05)
            # An extended clock can run past today; nothing is decided in the future (the
            # reports' summaries and the sweep take "after now" to mean "not yet").
            decided = min(decided, now - timedelta(minutes=rng.randint(5, 600)))
        assignee = None
        if status == S.NURSE_REVIEW and rng.random() < 0.7:
            assignee = rng.choice(self.nurses)
        elif status == S.MD_REVIEW:
            assignee = rng.choice(self.directors)
        case = CareRequest(
            member_id=coverage.member_id,
            coverage_id=coverage.pk,
            requesting_provider_id=requesting.pk,
            servicing_provider_id=rng.choice(self.providers).pk,
            provider_organization_id=requesting.organization_id,
            request_type="prospective",
            review_setting=service.setting,
            priority=priority,
            channel=rng.choice(["portal", "api", "fax", "phone"]),
            status=status,
            pended_from=S.NURSE_REVIEW if status == S.PENDING_INFO else "",
            eligibility_status="verified" if status != S.SUBMITTED else "unverified",
            received_at=received,
            due_at=due,
            original_due_at=received + span if extended else None,
            extension_reason="Waiting for the provider's imaging report." if extended else "",
            decided_at=decided,
            auth_number=f"A{rng.randint(10**9, 10**10 - 1)}"
            if status in (S.APPROVED, S.PARTIALLY_APPROVED)
            else "",
            assigned_to=assignee,
            assigned_at=received if assignee else None,
            external_system="um-portal-bulk",
        )
        batch.cases.append(case)
        start = received.date() + timedelta(days=rng.randint(1, 14))
        decision = DECISION.get(status, "pending")
        lines = []
        for seq in range(1, rng.choice([1, 1, 1, 2, 3]) + 1):
            units = service.units
            line_decision = decision
            if status == S.PARTIALLY_APPROVED and seq > 1 and rng.random() < 0.5:
                line_decision = "denied"
            approved = line_decision in ("approved", "modified")
            if line_decision == "modified":
                approved_units = max(1, units // 2)
            else:
                approved_units = units if approved else None
            lines.append(
                ServiceLine(
                    care_request=case,
                    sequence=seq,
                    code_system=service.system,
                    code=service.code,
                    description=service.description,
                    category_id=self.categories[service.category],
                    units=units,
                    start_date=start,
                    end_date=start + timedelta(days=service.days - 1),
                    place_of_service="11",
                    decision=line_decision,
                    approved_units=approved_units,
                )
            )
        batch.lines.extend(lines)
        for seq, code in enumerate(service.diagnoses[: rng.randint(1, 2)], start=1):
            batch.diagnoses.append(
                Diagnosis(
                    care_request=case, sequence=seq, code=code, description=icd10_description(code)
                )
            )
        self.add_history(batch, case, status, source, received, span, decided, pended)
        for event in batch.events[-6:]:
            # An open case's steps are spread over its clock, which may not have run that far.
            event.at = min(event.at, now)
        if status == S.SUBMITTED:
            batch.items.append(
                ChecklistItem(
                    care_request=case,
                    document_kind="clinical_notes",
                    description="Office notes from the last 90 days",
                )
            )
        if status in OUTCOME:
            self.add_determination(batch, case, status, source, lines, decided)

    def add_history(self, batch, case, status, source, received, span, decided, pended) -> None:
        events = batch.events
        events.append(_event(case, "submit", S.DRAFT, S.SUBMITTED, received))
        if status == S.SUBMITTED:
            return
        if source == Determination.Source.RULES:
            events.append(_event(case, "auto_approve", S.SUBMITTED, S.APPROVED, decided))
            return
        triaged = received + span / 20
        events.append(_event(case, "triage", S.SUBMITTED, S.NURSE_REVIEW, triaged))
        if pended:
            events.append(
                _event(case, "request_info", S.NURSE_REVIEW, S.PENDING_INFO, triaged + span / 10)
            )
            if status == S.PENDING_INFO:
                return
            answered = triaged + span / 5
            events.append(_event(case, "info_received", S.PENDING_INFO, S.NURSE_REVIEW, answered))
        if status in (S.NURSE_REVIEW, S.PENDING_INFO):
            return
        at = decided or received + span / 2
        source_state = S.NURSE_REVIEW
        if status == S.MD_REVIEW or source == Determination.Source.PHYSICIAN:
            referred = (decided - (decided - triaged) / 3) if decided else at
            events.append(_event(case, "refer_to_md", S.NURSE_REVIEW, S.MD_REVIEW, referred))
            source_state = S.MD_REVIEW
        if status != S.MD_REVIEW:
            note = "Created by seed_demo --cases."
            events.append(_event(case, "bulk_seed", source_state, status, at, note))

    def add_determination(self, batch, case, status, source, lines, decided) -> None:
        rng = self.rng
        person = {
            Determination.Source.NURSE: self.nurses,
            Determination.Source.PHYSICIAN: self.directors,
        }.get(source)
        actor = rng.choice(person) if person else None
        adverse = status in (S.DENIED, S.PARTIALLY_APPROVED)
        determination = Determination(
            care_request=case,
            kind=Determination.Kind.INITIAL,
            outcome=OUTCOME[status],
            source=source,
            decided_by=actor,
            reviewer_name=(actor.get_full_name() or actor.username) if actor else "",
            reviewer_credentials=actor.credentials if actor else "",
            decided_at=decided,
            reason_code="not_med_necessary" if adverse else "",
            rationale="The records sent do not show the criteria are met." if adverse else "",
            auth_number=case.auth_number,
        )
        batch.determinations.append(determination)
        for line in lines:
            batch.line_decisions.append(
                LineDecision(
                    determination=determination,
                    service_line=line,
                    outcome=line.decision,
                    approved_units=line.approved_units,
                    approved_start=line.start_date if line.approved_units else None,
                    approved_end=line.end_date if line.approved_units else None,
                    reason_code="not_med_necessary" if line.decision == "denied" else "",
                    reason_label="Not medically necessary" if line.decision == "denied" else "",
                )
            )
        sent = min(decided + timedelta(minutes=rng.randint(2, 240)), self.now)
        batch.letters.append(
            Letter(
                determination=determination,
                recipient=Letter.Recipient.PROVIDER,
                template=TEMPLATE[status],
                status=Letter.Status.SENT,
                channel=Letter.Channel.EMAIL,
                rendered_at=decided + timedelta(minutes=1),
                sent_at=sent,
                # An e-mail is delivered when the mail server takes it (the report counts this).
                delivered_at=sent,
                delivery_recorded_at=sent,
                attempts=1,
            )
        )
        if status == S.DENIED and rng.random() < 0.02:
            batch.determinations.append(
                Determination(
                    care_request=case,
                    kind=Determination.Kind.APPEAL,
                    previous=determination,
                    outcome=Determination.Outcome.APPROVED,
                    source=Determination.Source.PHYSICIAN,
                    decided_by=rng.choice(self.directors),
                    decided_at=min(decided + timedelta(days=20), self.now),
                )
            )


def analyze() -> None:
    """Refresh the planner statistics after a bulk load (PostgreSQL only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def bulk_cases(*, count: int, out, seed: int | None = None) -> None:
    """Add `count` cases in every state, with their determinations and letters."""
    seeder = Seeder(random.Random(seed))
    started = time.monotonic()
    if connection.vendor == "postgresql":
        _copy_cases(seeder, count, out, started)
    else:
        done = 0
        while done < count:
            n = min(BATCH, count - done)
            batch = Batch()
            for _ in range(n):
                seeder.add_case(batch)
            batch.save()
            done += n
            _progress(out, done, count, started)
    out.write("")
    if connection.vendor == "postgresql":
        out.write("Refreshing the planner statistics (ANALYZE)...")
    analyze()


def _copy_cases(seeder: "Seeder", count: int, out, started: float) -> None:
    writer = CopyWriter()
    written = [0]

    def report(n: int):
        def on_done() -> None:
            written[0] += n
            _progress(out, written[0], count, started)

        return on_done

    try:
        built = 0
        while built < count:
            n = min(COPY_BATCH, count - built)
            batch = Batch()
            for _ in range(n):
                seeder.add_case(batch)
            writer.put(batch.copy_tables(), report(n))
            built += n
    finally:
        writer.close()
