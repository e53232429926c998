"""Two reviewers pressing "get next case" at the same moment never get the same case: real
concurrent connections on PostgreSQL (SELECT ... FOR UPDATE SKIP LOCKED + conditional UPDATE)."""

import threading

import pytest
from django.db import connection

from intake.models import CareRequest
from review.services.routing import case_get_next
from tests.review.routing_support import case_in_review, make_queue, make_reviewer
from um_portal.audit.models import AuditEvent

THREADS = 20
CASES = 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_reviewers_pressing_get_next_over_ten_cases(require_postgres, intake_specialist):
    queue = make_queue("imaging")
    cases = {case_in_review(intake_specialist).pk for _ in range(CASES)}
    reviewers = [make_reviewer(queues=[queue]) for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    results: dict[int, object] = {}
    errors: list[BaseException] = []

    def press(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            case = case_get_next(reviewer=reviewers[i])
            results[i] = case.pk if case is not None else None
        except BaseException as exc:  # noqa: BLE001 - reported below, not swallowed
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=press, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assigned = [pk for pk in results.values() if pk is not None]
    assert len(results) == THREADS
    assert len(assigned) == CASES
    assert set(assigned) == cases  # 10 distinct cases
    assert list(results.values()).count(None) == THREADS - CASES
    holders = CareRequest.objects.filter(pk__in=cases).values_list("assigned_to", flat=True)
    assert len(set(holders)) == CASES and None not in holders
    assert AuditEvent.objects.filter(action="case.assigned").count() == CASES
