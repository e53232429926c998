"""The manager's appeal report: volumes, overturn rates by reason and reviewer, timeliness."""

from datetime import timedelta

import pytest
from django.utils import timezone

from appeals.models import Appeal
from appeals.services.decide import appeal_decide
from appeals.services.ire import appeal_forward_to_ire
from tests.determinations.conftest import approve, deny

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(make_denied_case, file_appeal, appeal_director, criteria_set):
    over = file_appeal(make_denied_case())
    appeal_decide(
        appeal=over,
        director=appeal_director,
        line_decisions=[approve(al.service_line) for al in over.lines.all()],
    )
    upheld = file_appeal(make_denied_case())
    appeal_decide(
        appeal=upheld,
        director=appeal_director,
        line_decisions=[deny(al.service_line, criteria_set) for al in upheld.lines.all()],
    )
    # Decided after its due time (a late decision), then forwarded late too.
    Appeal.objects.filter(pk=upheld.pk).update(due_at=timezone.now() - timedelta(hours=1))
    appeal_forward_to_ire(appeal_id=upheld.pk)
    file_appeal(make_denied_case())  # open
    return over, upheld


def test_appeal_report_page(client_for, manager, decided):
    html = client_for(manager).get("/reports/appeals/").content.decode()
    assert '<span class="n" data-tile="received">3</span>' in html
    assert '<span class="n" data-tile="on_time">50.0%</span>' in html
    assert '<span class="n" data-tile="ire_on_time">0.0%</span>' in html
    assert "<tr><td>Not medically necessary</td><td>4</td><td>2</td><td>50.0%</td></tr>" in html
    assert "<tr><td>Daniel Brooks</td><td>2</td><td>1</td><td>50.0%</td></tr>" in html


def test_appeal_report_csv(client_for, manager, decided):
    response = client_for(manager).get("/reports/appeals/report.csv")
    text = b"".join(response.streaming_content).decode()
    assert "volumes,received,3,," in text
    assert "overturn by original reviewer,Daniel Brooks,1,2,50.0" in text
    assert "timeliness,forwarded to the IRE on time,0,1,0.0" in text


def test_appeal_report_is_manager_only(client_for, nurse):
    assert client_for(nurse).get("/reports/appeals/").status_code == 403
