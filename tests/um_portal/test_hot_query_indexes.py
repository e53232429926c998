"""The hot queries use the index meant for them (PostgreSQL EXPLAIN).

Each test runs the real selector or service, captures the SQL it sends, and EXPLAINs it with
sequential scans priced out (`enable_seqscan = off`): a test database holds a few hundred rows,
where a full scan is cheapest whatever the indexes, while at a million cases only an index
answers in time. With scans off the planner still chooses between indexes by their statistics
(ANALYZE after the load), so a query that cannot use its intended index, or a better index
added later, shows here as a different name. The plans were checked against a 100k-case seed
(docs/benchmarks.md, "Scale").
"""

import json
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management.base import OutputWrapper
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from determinations.models import Letter
from determinations.services.outbox import letters_sweep
from intake.models import CareRequest
from intake.selectors import care_request_get_by_reference
from portal.fhir.services import pas_submission_duplicates, pas_submission_for_inquiry
from portal.models import PasSubmission
from reports.selectors.access import AccessFilters, access_log_list
from review.selectors.dashboard import (
    care_request_page_for_reviewer,
    default_filters_for,
    workload_for_user,
)
from um_portal.accounts.models import User
from um_portal.audit.models import AccessLog
from um_portal.demo.bulk import bulk_cases
from um_portal.demo.steps import seed_all

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("require_postgres")]

SCANS = {"Index Scan", "Index Only Scan", "Bitmap Index Scan"}


def _indexes(plan: dict) -> set[str]:
    found = {plan["Index Name"]} if plan.get("Node Type") in SCANS else set()
    for child in plan.get("Plans", []):
        found |= _indexes(child)
    return found


def indexes_used(sql: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        raw = cursor.fetchone()[0]
    plan = raw if isinstance(raw, list) else json.loads(raw)
    return _indexes(plan[0]["Plan"])


def captured(fn) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        fn()
    return [q["sql"] for q in queries.captured_queries]


def _on(table: str, sqls: list[str]) -> list[str]:
    """The captured statements that read or update `table`."""
    return [s for s in sqls if f'"{table}"' in s and s.startswith(("SELECT", "UPDATE"))]


@pytest.fixture
def loaded(db):
    seed_all(log=lambda msg: None)
    bulk_cases(count=300, out=OutputWrapper(StringIO()), seed=20)
    return None


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def test_nurse_worklist_reads_the_assignee_index(loaded):
    nurse_user = CareRequest.objects.filter(assigned_to__isnull=False).first().assigned_to
    _analyze()
    filters = default_filters_for(nurse_user)
    sqls = _on(
        "intake_carerequest",
        captured(lambda: care_request_page_for_reviewer(user=nurse_user, filters=filters)),
    )
    count, page = sqls[0], sqls[1]
    assert "care_request_assignee" in indexes_used(count)
    assert "care_request_assignee" in indexes_used(page)


def test_nurse_dashboard_counts_read_the_assignee_index(loaded):
    nurse_user = CareRequest.objects.filter(assigned_to__isnull=False).first().assigned_to
    _analyze()
    (sql,) = _on("intake_carerequest", captured(lambda: workload_for_user(user=nurse_user)))
    assert indexes_used(sql) == {"care_request_assignee"}


def test_case_lookup_by_reference_reads_the_unique_reference_index(loaded):
    intake_specialist = User.objects.get(username="intake")
    reference = CareRequest.objects.order_by("?").values_list("reference", flat=True).first()
    _analyze()
    (sql,) = _on(
        "intake_carerequest",
        captured(
            lambda: care_request_get_by_reference(user=intake_specialist, reference=reference)
        ),
    )
    # Either index on the column answers equality in one probe: the unique constraint's, or
    # Django's varchar_pattern_ops twin (the planner takes the smaller).
    assert len(indexes_used(sql)) == 1
    assert indexes_used(sql) <= {
        "intake_carerequest_reference_key",
        "intake_carerequest_reference_d741bf60_like",
    }


@pytest.fixture
def submissions(loaded):
    provider_user = User.objects.get(username="provider")
    cases = list(
        CareRequest.objects.filter(provider_organization=provider_user.provider_organization)[:50]
    )
    if len(cases) < 50:
        cases = list(CareRequest.objects.all()[:50])
        CareRequest.objects.filter(pk__in=[c.pk for c in cases]).update(
            provider_organization=provider_user.provider_organization
        )
    PasSubmission.objects.bulk_create(
        PasSubmission(
            care_request=case,
            organization=provider_user.provider_organization,
            submitted_by=provider_user,
            claim_identifier_system="http://example.org/claim",
            claim_identifier_value=f"CLAIM-{i}",
            content_hash=f"{i:064d}",
            request_bundle={},
        )
        for i, case in enumerate(cases)
    )
    _analyze()
    return provider_user


def test_pas_duplicate_lookup_reads_the_unique_claim_index(submissions):
    qs = pas_submission_duplicates(
        organization=submissions.provider_organization,
        system="http://example.org/claim",
        value="CLAIM-7",
        content_hash=f"{7:064d}",
    )
    (sql,) = _on("portal_passubmission", captured(lambda: qs.first()))
    assert indexes_used(sql) == {"pas_submission_unique_claim"}


def test_inquire_lookup_reads_the_unique_claim_index(submissions):
    qs = pas_submission_for_inquiry(
        user=submissions, system="http://example.org/claim", value="CLAIM-7"
    )
    (sql,) = _on("portal_passubmission", captured(lambda: qs.first()))
    assert "pas_submission_unique_claim" in indexes_used(sql)


def test_access_log_by_user_and_time_reads_an_index(loaded):
    nurse = User.objects.get(username="nurse")
    now = timezone.now()
    AccessLog.objects.bulk_create(
        AccessLog(user=nurse, case_id=uuid.uuid4(), action="view", channel="web")
        for _ in range(200)
    )
    _analyze()
    filters = AccessFilters(
        username=nurse.username, start=(now - timedelta(days=7)).date(), end=now.date()
    )
    (sql,) = _on("audit_accesslog", captured(lambda: list(access_log_list(filters)[:50])))
    # Either newest first within the period by the time index (the user checked per row), or
    # that user's rows by the user index: the planner picks by the statistics of the moment
    # (both were seen). A (user_id, at) index would serve it alone; noted in
    # docs/benchmarks.md.
    used = indexes_used(sql)
    assert used & {"audit_accesslog_at_210015f3", "audit_accesslog_user_id_7f87e501"}, used


def test_letters_outbox_sweep_reads_the_outbox_index(loaded):
    letters = list(Letter.objects.all()[:20])
    Letter.objects.filter(pk__in=[x.pk for x in letters]).update(
        status=Letter.Status.PENDING, sent_at=None
    )
    _analyze()
    sqls = _on("determinations_letter", captured(letters_sweep))
    assert sqls
    for sql in sqls:
        assert "letter_outbox" in indexes_used(sql), sql
