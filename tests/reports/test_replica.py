"""With a read replica configured, the reports read from it and write (the access log) to the
primary; every other page reads the primary. The replica here is a second connection to the
test database (what a streaming replica is to the primary, without the lag)."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.factories import make_case

# The `replica` alias is added at collection, before the test databases are set up, so Django
# makes it a mirror of `default` (its own connection to the same test database).
connections.settings.setdefault(
    "replica", {**connections.settings["default"], "TEST": {"MIRROR": "default"}}
)

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica(settings):
    """What DATABASE_REPLICA_URL does in settings: the router is told of the replica."""
    settings.READ_REPLICA = "replica"
    return connections["replica"]


def statements(context) -> list[str]:
    return [q["sql"].split()[0].upper() for q in context.captured_queries]


def test_the_reports_read_from_the_replica_and_log_to_the_primary(
    client_for, manager, intake_specialist, replica
):
    make_case(actor=intake_specialist)
    client = client_for(manager)
    for path in ("/reports/", "/reports/cms-0057-f/", "/reports/timeliness/"):
        with (
            CaptureQueriesContext(connections["default"]) as primary,
            CaptureQueriesContext(replica) as on_replica,
        ):
            response = client.get(path)
        assert response.status_code == 200, path
        assert "SELECT" in statements(on_replica), path
        # Reads only (DECLARE: a server-side cursor for a long read); never a write.
        assert set(statements(on_replica)) <= {"SELECT", "DECLARE"}, path
        # The primary serves the session and the user (middleware, before the view) and takes
        # the writes; the report's own reads are not there.
        assert not any("intake_carerequest" in q["sql"] for q in primary.captured_queries), path


def test_a_case_page_reads_the_primary(client_for, nurse, intake_specialist, replica):
    case = make_case(actor=intake_specialist)
    client = client_for(nurse)
    with CaptureQueriesContext(replica) as on_replica:
        response = client.get(f"/review/cases/{case.pk}/")
    assert response.status_code == 200
    assert on_replica.captured_queries == []


def test_without_a_replica_the_router_leaves_every_read_on_the_primary(settings):
    settings.READ_REPLICA = ""
    from um_portal.lib.replica import ReplicaRouter, replica_reads

    with replica_reads():
        assert ReplicaRouter().db_for_read(None) is None
