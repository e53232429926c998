import csv
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from intake.models import CareRequest
from reports.csv import DATASETS
from um_portal.audit.models import AccessLog, AuditEvent

PAGES = [
    reverse("reports:dashboard"),
    reverse("reports:cms0057"),
    reverse("reports:cms0057_csv"),
    reverse("reports:cms0057_pdf"),
    reverse("reports:timeliness"),
    *(reverse("reports:export", args=[name]) for name in DATASETS),
]
MARCH_MA = "?start=2025-03-01&end=2025-03-31&lob=medicare_advantage"


def rows_of(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def _counts():
    return (CareRequest.objects.count(), AuditEvent.objects.count(), AccessLog.objects.count())


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("persona", ["intake", "nurse", "director", "provider", "outsider"])
def test_only_the_manager_may_open_reports(client_for, personas, persona, url):
    before = _counts()
    response = client_for(personas[persona]).get(url)
    assert response.status_code == 403
    assert _counts() == before


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", PAGES)
def test_manager_opens_every_report(client_for, manager, url):
    assert client_for(manager).get(url).status_code == 200


def test_dashboard_shows_the_metrics(client_for, manager, dataset):
    response = client_for(manager).get(reverse("reports:dashboard") + MARCH_MA)
    assert response.status_code == 200
    html = response.content.decode()
    assert "11.1%" in html  # auto-approval rate
    assert "8.3%" in html  # pend rate
    assert "108.0 h" in html  # standard median
    assert 'role="img"' in html and "<title" in html
    assert dataset.cases["O3"].reference in html
    assert f'href="/intake/cases/{dataset.cases["O3"].pk}/"' in html
    # The manager reading the report may open the case it links to.
    opened = client_for(manager).get(f"/intake/cases/{dataset.cases['O3'].pk}/")
    assert opened.status_code == 200


def test_dashboard_query_count_does_not_grow_with_cases(
    client_for, manager, dataset, django_assert_num_queries
):
    client = client_for(manager)
    client.get(reverse("reports:dashboard") + MARCH_MA)
    # session + user + groups, 2 volume queries + withdrawn/voided, 1 time-to-decision (per
    # priority × line and per priority together), open cases, at-risk list, workload,
    # throughput, P2P, the plan / category choices, the navigation's unread-notification count,
    # the access-log rows of the at-risk cases it lists (one INSERT), and the session save
    # (savepoint, update, release).
    with django_assert_num_queries(19):
        client.get(reverse("reports:dashboard") + MARCH_MA)


@pytest.mark.parametrize(
    "query",
    [
        "?start=not-a-date",
        "?end=2025-13-45",
        "?start=2025-04-01&end=2025-03-01",
        "?lob=martian",
        "?plan=nope",
        "?category=nope",
        "?granularity=hour",
    ],
)
def test_bad_filters_answer_400_with_the_field_message(client_for, manager, query):
    response = client_for(manager).get(reverse("reports:dashboard") + query)
    assert response.status_code == 400
    assert 'class="error" role="alert"' in response.content.decode()


def test_too_long_period_is_refused(client_for, manager):
    response = client_for(manager).get(
        reverse("reports:dashboard") + "?start=2020-01-01&end=2025-01-01"
    )
    assert response.status_code == 400
    assert "at most" in response.content.decode()


def test_unknown_export_is_404(client_for, manager):
    assert client_for(manager).get("/reports/export/nothing.csv").status_code == 404


def test_outcomes_csv_has_the_same_filters(client_for, manager, dataset):
    response = client_for(manager).get(reverse("reports:export", args=["outcomes"]) + MARCH_MA)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="outcomes-2025-03-01-2025-03-31.csv"' in response["Content-Disposition"]
    assert rows_of(response) == [
        ["outcome", "cases", "percent of decided"],
        ["Approved", "5", "55.6"],
        ["Partially approved", "1", "11.1"],
        ["Denied", "3", "33.3"],
        ["Closed – no authorization required", "1", ""],
        ["Withdrawn", "1", ""],
        ["Voided", "1", ""],
    ]


def test_time_to_decision_csv_in_hours(client_for, manager, dataset):
    response = client_for(manager).get(
        reverse("reports:export", args=["time-to-decision"]) + MARCH_MA
    )
    assert rows_of(response)[1:] == [
        ["Standard", "Medicare Advantage", "6", "113.42", "108.00", "220.00"],
        ["Standard", "All lines", "6", "113.42", "108.00", "220.00"],
        ["Expedited", "Medicare Advantage", "3", "40.00", "30.00", "70.00"],
        ["Expedited", "All lines", "3", "40.00", "30.00", "70.00"],
    ]


def test_late_cases_csv_lists_every_late_case(client_for, manager, dataset):
    response = client_for(manager).get(
        reverse("reports:export", args=["late-cases"]) + "?start=2025-03-01&end=2025-03-31"
    )
    rows = rows_of(response)
    assert rows[0] == [
        "reference",
        "priority",
        "line of business",
        "received",
        "due",
        "decided",
        "hours late",
    ]
    assert [(r[0], r[6]) for r in rows[1:]] == [
        (dataset.cases["S5"].reference, "32.00"),
        (dataset.cases["E2"].reference, "8.00"),
    ]
    assert rows[1][3] == "2025-03-10T09:00-04:00"


def test_csv_cells_that_look_like_formulas_are_neutralised(client_for, manager, dataset, nurse):
    nurse.first_name, nurse.last_name = "=HYPERLINK(1)", "x"
    nurse.save()
    response = client_for(manager).get(reverse("reports:export", args=["workload"]))
    names = [r[0] for r in rows_of(response)[1:]]
    assert "'=HYPERLINK(1) x, RN" in names


def test_timeliness_page_lists_late_cases_with_links(client_for, manager, dataset):
    response = client_for(manager).get(
        reverse("reports:timeliness") + "?start=2025-03-01&end=2025-03-31"
    )
    html = response.content.decode()
    assert f'href="/intake/cases/{dataset.cases["S5"].pk}/"' in html
    assert dataset.cases["S4"].reference not in html
    assert "80.0%" in html  # 8 of 10 decided on time


def test_timeliness_page_query_count_does_not_grow_with_cases(
    client_for, manager, dataset, django_assert_num_queries
):
    from reports.rollup.build import rollup_rebuild

    rollup_rebuild()
    client = client_for(manager)
    url = reverse("reports:timeliness") + "?start=2025-01-01&end=2025-12-31"
    client.get(url)
    # session + user + groups, the timeliness table (the daily summaries: their state, the days
    # changed since the sweep, the stored rows; a past year has no day to compute live), the
    # late-case count and page, the plan / category choices, the navigation's unread-notification
    # count, the access-log rows of the late cases it lists (one INSERT), and the session save
    # (savepoint, update, release).
    with django_assert_num_queries(15):
        client.get(url)


def test_cms_page_and_csv(client_for, manager, dataset, auth_rules):
    client = client_for(manager)
    page = client.get(reverse("reports:cms0057") + "?year=2025&lob=medicare_advantage")
    html = page.content.decode()
    assert "57.1%" in html and "66.7%" in html and "96.0 h" in html
    response = client.get(reverse("reports:cms0057_csv") + "?year=2025&lob=medicare_advantage")
    assert 'filename="cms-0057-f-2025-medicare_advantage.csv"' in response["Content-Disposition"]
    rows = rows_of(response)
    table = {r[0]: r[1:] for r in rows if r}
    assert table["scope"] == ["All plans, Medicare Advantage"]
    assert table["requests decided"] == ["7", "3"]
    assert table["approved %"] == ["57.1", "66.7"]
    assert table["denied %"] == ["28.6", "33.3"]
    assert table["approved after appeal %"] == ["14.3", "0.0"]
    assert table["approved after an extension %"] == ["14.3", "0.0"]
    assert table["median hours receipt to determination"] == ["96.00", "30.00"]
    header = rows.index(["category", "code system", "code", "description", "conditions"])
    assert rows[header + 1 :] == [
        ["Advanced imaging", "CPT", "70010–79999", "Advanced imaging (MRI, CT, PET)", ""],
        [
            "Durable medical equipment",
            "HCPCS",
            "E0100–E8002",
            "Durable medical equipment",
            "place of service 12; out-of-network providers only",
        ],
        ["Outpatient surgery", "CPT", "10004–69990", "Surgical procedures", ""],
    ]
    assert "Surgical procedures" in html and "Psychotherapy" not in html


def test_cms_year_defaults_to_last_year(client_for, manager, db):
    from django.utils import timezone

    response = client_for(manager).get(reverse("reports:cms0057"))
    assert response.context["report"].year == timezone.localdate().year - 1


def test_cms_year_opens_on_last_year_when_it_has_decisions(client_for, manager, db):
    from django.utils import timezone

    from tests.factories import CoverageFactory
    from tests.reports.conftest import local, make

    this_year = timezone.localdate().year
    coverage = CoverageFactory()
    make(coverage, status="approved", decided=local(this_year, 1, 2, 12, 0))
    make(coverage, status="denied", decided=local(this_year - 1, 6, 2, 12, 0))
    response = client_for(manager).get(reverse("reports:cms0057"))
    assert response.context["report"].year == this_year - 1


def test_cms_year_opens_on_the_newest_year_with_decisions_when_last_year_has_none(
    client_for, manager, db
):
    """A plan in its first year (or the demo): not an empty report."""
    from django.utils import timezone

    from tests.factories import CoverageFactory
    from tests.reports.conftest import local, make

    this_year = timezone.localdate().year
    make(CoverageFactory(), status="approved", decided=local(this_year, 1, 2, 12, 0))
    response = client_for(manager).get(reverse("reports:cms0057"))
    assert response.context["report"].year == this_year


def test_cms_bad_year_is_400(client_for, manager, db):
    assert client_for(manager).get(reverse("reports:cms0057") + "?year=1999").status_code == 400


def test_cms_pdf_renders_the_numbers(client_for, manager, dataset, auth_rules):
    response = client_for(manager).get(
        reverse("reports:cms0057_pdf") + "?year=2025&lob=medicare_advantage"
    )
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "CMS-0057-F prior authorization metrics 2025" in text
    assert "All plans, Medicare Advantage" in text
    assert "57.1%" in text and "28.6%" in text and "66.7%" in text
    # Narrow PDF columns wrap a range after its dash.
    assert "70010–" in text and "10004–" in text and "90785" not in text
