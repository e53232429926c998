"""The service codes the plan knows, for checking what a fax says: the portal's catalogue and the
codes the plan's rules name one by one (a range is not a list of codes)."""

import pytest

from inbox.services.processing import db_records, known_service_codes
from intake.models import AuthRequirementRule, AutoApprovalRule
from tests.factories import category

pytestmark = pytest.mark.django_db


def test_catalogue_and_rule_codes_are_known_and_a_misread_is_not(django_assert_num_queries):
    AuthRequirementRule.objects.create(
        key="pa-j1745", name="Infliximab", code_from="J1745", requires_auth=True
    )
    AuthRequirementRule.objects.create(
        key="pa-imaging", name="Imaging", code_from="70010", code_to="79999", requires_auth=True
    )
    AutoApprovalRule.objects.create(
        key="aa-pt",
        name="PT visits",
        category=category("therapy"),
        service_codes=["97161", "Q9999"],
    )
    asked = ["72148", "E0601", "J1745", "Q9999", "79553", "12026"]
    with django_assert_num_queries(2):
        known = known_service_codes(asked)
    assert known == {"72148", "E0601", "J1745", "Q9999"}  # 79553 is only inside a range


def test_catalogue_codes_cost_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert known_service_codes(["72148", "27447"]) == {"72148", "27447"}


def test_the_worker_checks_codes_against_the_plan():
    records = db_records()
    assert records.known_service_codes(["70553", "79553"]) == {"70553"}


def test_each_npi_is_looked_up_once_per_document(django_assert_num_queries):
    from inbox.extraction import Candidate
    from inbox.validation import validate
    from intake.models import Provider

    npi = "1245319599"
    Provider.objects.create(npi=npi, name="Priya Raman, MD")
    read = [
        Candidate("requesting_npi", npi, 95),
        Candidate("requesting_name", "Dr. Priya Raman", 95),
        Candidate("servicing_npi", npi, 95),
        Candidate("servicing_name", "Priya Raman", 95),
    ]
    # Is it on file, whose name is it, for two roles: one query.
    with django_assert_num_queries(1):
        checked = {c.name: (c.value, m) for c, m in validate(read, db_records())}
    assert checked["requesting_name"] == ("Priya Raman, MD", "")
    assert checked["servicing_npi"] == (npi, "")
