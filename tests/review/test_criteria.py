"""Criteria sets: versioned, editable in the admin (an edit publishes a new version)."""

import pytest

from review.demo_criteria import CRITERIA_SETS, seed_criteria_sets
from review.models import CriteriaSet, Criterion
from review.services.criteria import CriterionInput, criteria_set_create, criteria_set_revise
from tests.factories import UserFactory
from um_portal.lib.errors import ValidationFailed

pytestmark = pytest.mark.django_db

FIELDS = {"name": "CT of the head", "code_system": "cpt", "codes": ["70450"], "summary": ""}


def test_seed_is_idempotent_and_covers_the_demo_services(criteria_sets):
    seed_criteria_sets()
    assert CriteriaSet.objects.count() == len(CRITERIA_SETS) == 7
    codes = {code for cs in CriteriaSet.objects.all() for code in cs.codes}
    assert {"72148", "72149", "72158", "29880", "29881", "E1390", "E0431", "E0439", "0120"} <= codes
    # The demo's auto-approved services (CPAP, knee MRI, home PT) have their criteria too.
    assert {"E0601", "73721", "G0151"} <= codes
    assert all(cs.criteria.count() >= 1 for cs in CriteriaSet.objects.all())


def test_revise_publishes_a_new_version_and_retires_the_old():
    v1 = criteria_set_create(
        actor=None, slug="head-ct", fields=FIELDS, criteria=[CriterionInput("A")]
    )
    v2 = criteria_set_revise(
        actor=None,
        previous=v1,
        fields={**FIELDS, "codes": ["70450", "70460"]},
        criteria=[CriterionInput("A"), CriterionInput("B")],
    )
    v1.refresh_from_db()
    assert (v1.version, v1.is_current, v2.version, v2.is_current) == (1, False, 2, True)
    assert list(v1.criteria.values_list("text", flat=True)) == ["A"]
    assert list(v2.criteria.values_list("sequence", "text")) == [(1, "A"), (2, "B")]
    assert v2.codes == ["70450", "70460"]


def test_a_retired_version_cannot_be_revised():
    v1 = criteria_set_create(
        actor=None, slug="head-ct", fields=FIELDS, criteria=[CriterionInput("A")]
    )
    criteria_set_revise(actor=None, previous=v1, fields=FIELDS, criteria=[CriterionInput("B")])
    with pytest.raises(ValidationFailed):
        criteria_set_revise(actor=None, previous=v1, fields=FIELDS, criteria=[CriterionInput("C")])
    assert CriteriaSet.objects.count() == 2


def test_a_set_needs_codes_and_criteria():
    with pytest.raises(ValidationFailed) as exc:
        criteria_set_create(actor=None, slug="x", fields={**FIELDS, "codes": []}, criteria=[])
    assert set(exc.value.field_errors) == {"codes", "criteria"}
    assert CriteriaSet.objects.count() == 0


@pytest.fixture
def admin_client(client):
    manager = UserFactory(username="admin-manager", is_staff=True, is_superuser=True)
    client.force_login(manager)
    return client


def _inline(rows: list[tuple], initial: int = 0) -> dict:
    data = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": str(initial),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        pk, seq, text = row
        data.update(
            {
                f"criteria-{i}-id": str(pk or ""),
                f"criteria-{i}-sequence": str(seq),
                f"criteria-{i}-text": text,
                f"criteria-{i}-plain_language": "",
            }
        )
    return data


def test_admin_edit_publishes_a_new_version(admin_client, criteria_sets):
    v1 = criteria_sets["knee-arthroscopy"]
    existing = list(v1.criteria.all())
    rows = [(c.pk, c.sequence, c.text) for c in existing]
    rows[0] = (rows[0][0], 1, "Locking or catching documented.")
    data = {
        "name": v1.name,
        "code_system": "cpt",
        "codes": '["29880", "29881"]',
        "summary": v1.summary,
        "effective_from": "2026-06-01",
        **_inline(rows, initial=len(rows)),
    }
    response = admin_client.post(f"/admin/review/criteriaset/{v1.pk}/change/", data)
    assert response.status_code == 302
    v2 = CriteriaSet.objects.get(slug="knee-arthroscopy", is_current=True)
    assert response["Location"] == f"/admin/review/criteriaset/{v2.pk}/change/"
    assert v2.version == 2
    assert v2.criteria.first().text == "Locking or catching documented."
    v1.refresh_from_db()
    assert v1.is_current is False
    assert [c.text for c in v1.criteria.all()] == [c.text for c in existing]  # untouched


def test_admin_add_creates_version_one(admin_client, criteria_sets):
    data = {
        "slug": "head-ct",
        "name": "CT of the head",
        "code_system": "cpt",
        "codes": '["70450"]',
        "summary": "",
        "effective_from": "",
        **_inline([(None, 1, "Acute head trauma with a positive decision rule.")]),
    }
    response = admin_client.post("/admin/review/criteriaset/add/", data)
    assert response.status_code == 302
    created = CriteriaSet.objects.get(slug="head-ct")
    assert (created.version, created.is_current, created.criteria.count()) == (1, True, 1)


def test_admin_refuses_a_set_without_criteria_or_codes(admin_client, criteria_sets):
    data = {
        "slug": "head-ct",
        "name": "CT of the head",
        "code_system": "cpt",
        "codes": "[]",
        "summary": "",
        **_inline([]),
    }
    response = admin_client.post("/admin/review/criteriaset/add/", data)
    assert response.status_code == 200  # the form again, with errors
    assert not CriteriaSet.objects.filter(slug="head-ct").exists()
    assert Criterion.objects.filter(criteria_set__slug="head-ct").count() == 0


def test_admin_retired_version_is_read_only(admin_client, criteria_sets):
    v1 = criteria_sets["home-oxygen"]
    criteria_set_revise(
        actor=None,
        previous=v1,
        fields={"name": v1.name, "code_system": "hcpcs", "codes": v1.codes, "summary": ""},
        criteria=[CriterionInput("Qualifying saturation test.")],
    )
    response = admin_client.post(f"/admin/review/criteriaset/{v1.pk}/change/", {"name": "Hacked"})
    assert response.status_code == 403
    v1.refresh_from_db()
    assert v1.name == "Home oxygen therapy"
