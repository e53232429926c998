"""PAS Bundles damaged at random never get a 5xx: each answer is a response Bundle or an
OperationOutcome, and a refused Bundle writes nothing.

The hand-written cases in test_invalid.py say what each known problem answers; this covers the
shapes nobody thought of (a field deleted, given the wrong JSON type, emptied, a list turned into
an object) on both a hand-made urn:uuid Bundle and the shared published example.
"""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.models import CareRequest
from portal.models import PasSubmission
from tests.fhir.conftest import load_fixture

SUBMIT = "/fhir/Claim/$submit"
OK_STATUSES = {200, 400, 404, 409, 422}

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.text(max_size=12),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node, prefix=()):
    """Every path to a value inside the JSON tree (the root excluded)."""
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    for key, child in items:
        yield (*prefix, key)
        yield from _paths(child, (*prefix, key))


def _mutate(bundle: dict, data) -> dict:
    bundle = copy.deepcopy(bundle)
    paths = list(_paths(bundle))
    for _ in range(data.draw(st.integers(min_value=1, max_value=3), label="mutations")):
        path = data.draw(st.sampled_from(paths), label="path")
        parent = bundle
        try:
            for key in path[:-1]:
                parent = parent[key]
            key = path[-1]
            action = data.draw(st.sampled_from(["delete", "replace", "empty"]), label="action")
            if action == "delete":
                del parent[key]
            elif action == "replace":
                parent[key] = data.draw(JSON_VALUES, label="value")
            else:
                parent[key] = type(parent[key])() if isinstance(parent[key], list | dict) else ""
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or reshaped this path
    return bundle


def _check(client, bundle: dict) -> None:
    before = (CareRequest.objects.count(), PasSubmission.objects.count())
    response = client.post(SUBMIT, data=bundle, format="json")
    assert response.status_code in OK_STATUSES, response.content[:500]
    body = response.json()
    if response.status_code == 200:
        assert body["resourceType"] == "Bundle"
        assert body["entry"][0]["resource"]["resourceType"] == "ClaimResponse"
    else:
        assert body["resourceType"] == "OperationOutcome"
        assert body["issue"], body
        assert (CareRequest.objects.count(), PasSubmission.objects.count()) == before


FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples every run: CI is repeatable
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.django_db
@FUZZ
@given(data=st.data())
def test_damaged_hand_made_bundles_never_fail_with_5xx(
    data, pas_client, bundle_for, example_member
):
    _check(pas_client, _mutate(bundle_for(example_member, identifier="FUZZ"), data))


@pytest.mark.django_db
@FUZZ
@given(data=st.data())
def test_damaged_published_examples_never_fail_with_5xx(data, pas_client, plans_for_examples):
    name = data.draw(
        st.sampled_from(["submit-referral-single-item.json", "submit-referral-multiple-items.json"])
    )
    _check(pas_client, _mutate(load_fixture(name), data))


@pytest.fixture
def plans_for_examples(db):
    from intake.models import LineOfBusiness
    from tests.factories import PlanFactory

    return PlanFactory(name="A Commercial PPO", line_of_business=LineOfBusiness.COMMERCIAL)


def test_the_mutator_changes_something():
    """Guard against a fuzzer that silently posts the original Bundle every time."""
    original = {"a": {"b": [1, 2]}, "c": "x"}
    changed = []

    @settings(max_examples=20, derandomize=True)
    @given(data=st.data())
    def collect(data):
        changed.append(_mutate(original, data) != original)

    collect()
    assert sum(changed) >= 15
