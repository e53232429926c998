"""Staff pages: worklist, appeal view, decide page, intake's filing form."""

from datetime import timedelta

import pytest
from django.utils import timezone

from appeals.models import Appeal
from tests.determinations.conftest import RATIONALE

pytestmark = pytest.mark.django_db


def test_worklist_shows_open_appeals_with_time_left(client_for, nurse, denied_case, file_appeal):
    appeal = file_appeal(denied_case, expedited=True)
    html = client_for(nurse).get("/appeals/").content.decode()
    assert appeal.reference in html
    assert "Expedited" in html
    assert '<span class="clock ok">' in html


def test_provider_may_not_open_staff_pages(client_for, provider_user, denied_case, file_appeal):
    appeal = file_appeal(denied_case)
    client = client_for(provider_user)
    assert client.get("/appeals/").status_code == 403
    assert client.get(f"/appeals/{appeal.pk}/").status_code == 403


def test_detail_lists_only_eligible_physicians(
    client_for, manager, denied_case, file_appeal, director, appeal_director, cardiologist
):
    appeal = file_appeal(denied_case)
    html = client_for(manager).get(f"/appeals/{appeal.pk}/").content.decode()
    section = html.split("Eligible physicians")[1].split("</section>")[0]
    assert appeal_director.display_name in section
    assert director.display_name not in section
    assert cardiologist.display_name not in section


def line_post(appeal, outcome, criteria_set=None):
    data = {}
    for al in appeal.lines.all():
        p = f"line-{al.service_line.sequence}"
        data[f"{p}-outcome"] = outcome
        if outcome == "denied":
            data |= {
                f"{p}-reason_code": "not_med_necessary",
                f"{p}-rationale": RATIONALE,
                f"{p}-criteria_set": str(criteria_set.pk),
                f"{p}-criterion": str(criteria_set.criteria.first().pk),
            }
    return data


def test_independent_director_overturns_on_the_decide_page(
    client_for, appeal_director, denied_case, file_appeal
):
    appeal = file_appeal(denied_case)
    response = client_for(appeal_director).post(
        f"/appeals/{appeal.pk}/decide/", line_post(appeal, "approved")
    )
    assert response.status_code == 302
    assert Appeal.objects.get(pk=appeal.pk).status == "decided_overturned"


def test_original_director_is_refused_on_the_decide_page(
    client_for, director, denied_case, file_appeal
):
    appeal = file_appeal(denied_case)
    response = client_for(director).post(
        f"/appeals/{appeal.pk}/decide/", line_post(appeal, "approved")
    )
    assert response.status_code == 403
    assert "another physician must decide the appeal" in response.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).status == "received"


def test_nurse_may_not_open_the_decide_page(client_for, nurse, denied_case, file_appeal):
    appeal = file_appeal(denied_case)
    assert client_for(nurse).post(f"/appeals/{appeal.pk}/decide/", {}).status_code == 403


def test_intake_records_a_faxed_appeal_with_its_real_receipt_time(
    client_for, intake_specialist, denied_case
):
    client = client_for(intake_specialist)
    found = client.get("/appeals/file/", {"reference": denied_case.reference})
    assert found.status_code == 302
    received = timezone.localtime() - timedelta(hours=6)
    data = {
        "lines": [str(x.pk) for x in denied_case.service_lines.all()],
        "reason": "Member's letter of appeal, received by fax overnight.",
        "channel": "fax",
        "requester": "member",
        "received_at": received.strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post(found["Location"], data)
    assert response.status_code == 400
    assert "Say why the appeal is recorded with an earlier receipt time" in (
        response.content.decode()
    )
    response = client.post(found["Location"], data | {"backdate_reason": "Fax arrived at 2 a.m."})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.channel, appeal.requester, appeal.receipt_backdate_reason) == (
        "fax",
        "member",
        "Fax arrived at 2 a.m.",
    )
    assert appeal.received_at == received.replace(second=0, microsecond=0)


def test_reviewer_dashboard_shows_appeals_with_time_left(
    client_for, nurse, denied_case, file_appeal, django_assert_num_queries
):
    appeal = file_appeal(denied_case)
    client = client_for(nurse)
    # tests/review/test_dashboard.py's DASHBOARD_QUERIES (15) less the empty case page and its
    # lines and the access-log insert (no case listed), plus the appeals' lines and documents.
    with django_assert_num_queries(14):
        html = client.get("/review/").content.decode()
    panel = html.split('id="appeals-panel-h"')[1].split("</section>")[0]
    assert appeal.reference in panel
    assert '<span class="clock ok">' in panel
