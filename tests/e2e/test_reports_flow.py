"""The UM manager opens the CMS-0057-F report and the dashboard, filters to one line of
business and downloads the CSV, in a real Chromium."""

import csv
import importlib
import io

import pytest
from django.contrib.auth.models import Group

from intake.models import LineOfBusiness, ServiceCategory
from tests.e2e.conftest import login
from tests.factories import CoverageFactory, PlanFactory
from tests.reports.conftest import H, T, make
from um_portal.accounts.roles import Role

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _reference_rows(transactional_db):
    """Roles and service categories come from data migrations; a transactional test before
    this one may have flushed them, so make sure they are there."""
    for role in Role:
        Group.objects.get_or_create(name=role)
    migration = importlib.import_module("intake.migrations.0002_reference_data")
    for code, name in migration.CATEGORIES:
        ServiceCategory.objects.get_or_create(code=code, defaults={"name": name})


@pytest.fixture
def two_lines(manager):
    ma = CoverageFactory(plan=PlanFactory(line_of_business=LineOfBusiness.MEDICARE_ADVANTAGE))
    medicaid = CoverageFactory(plan=PlanFactory(line_of_business=LineOfBusiness.MEDICAID))
    for status, hours in (("approved", 20), ("approved", 30), ("denied", 40), ("approved", 50)):
        make(medicaid, status=status, decided=T + hours * H, line_decision=status)
    make(ma, status="denied", decided=T + 10 * H, code="27447", line_decision="denied")
    return manager


def read_csv(download) -> list[list[str]]:
    with open(download.path(), encoding="utf-8") as fh:
        return list(csv.reader(io.StringIO(fh.read())))


def test_manager_filters_the_cms_report_to_one_line_and_downloads_the_csv(page, two_lines):
    login(page, "manager")
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="CMS-0057-F public report").click()
    page.get_by_label("Year").select_option("2025")
    page.get_by_label("Line of business").select_option("medicaid")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/reports/cms-0057-f/?**lob=medicaid**")
    metrics = page.locator("table.cms-metrics")
    assert "All plans, Medicaid" in metrics.inner_text()
    assert "75.0%" in metrics.inner_text()

    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename == "cms-0057-f-2025-medicaid.csv"
    rows = {r[0]: r[1:] for r in read_csv(download) if r}
    assert rows["scope"] == ["All plans, Medicaid"]
    assert rows["requests decided"] == ["4", "0"]
    assert rows["approved %"] == ["75.0", ""]
    assert rows["denied %"] == ["25.0", ""]
    assert rows["median hours receipt to determination"] == ["35.00", ""]
    assert "27447" not in rows  # the Medicare Advantage service is filtered out


def test_manager_filters_the_dashboard_and_downloads_outcomes(page, two_lines):
    login(page, "manager")
    page.goto("/reports/")
    page.get_by_label("From", exact=True).fill("2025-03-01")
    page.get_by_label("To", exact=True).fill("2025-03-31")
    page.get_by_label("Line of business").select_option("medicare_advantage")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**lob=medicare_advantage**")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV: decisions by outcome").click()
    rows = read_csv(info.value)
    assert rows[:4] == [
        ["outcome", "cases", "percent of decided"],
        ["Approved", "0", "0.0"],
        ["Partially approved", "0", "0.0"],
        ["Denied", "1", "100.0"],
    ]
