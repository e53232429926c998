"""A PAS Claim update (Claim.related.claim) is never taken for a new request: a denied
request is refused with what to do instead; other updates are not applied yet and say so."""

import pytest

from intake.models import CareRequest, CareRequestStatus
from tests.fhir.conftest import counts, outcome_text, post

SUBMIT = "/fhir/Claim/$submit"


def as_update(bundle: dict, earlier_identifier: str) -> dict:
    claim = bundle["entry"][0]["resource"]
    claim["related"] = [
        {
            "claim": {
                "identifier": {"system": "http://example.org/claim-id", "value": earlier_identifier}
            }
        }
    ]
    return bundle


@pytest.fixture
def earlier(pas_client, bundle_for, example_member):
    assert post(pas_client, SUBMIT, bundle_for(example_member, identifier="ORIG-1")).status_code
    return CareRequest.objects.get()


@pytest.mark.django_db
def test_an_update_of_a_denied_request_is_refused(pas_client, bundle_for, example_member, earlier):
    CareRequest.objects.filter(pk=earlier.pk).update(status=CareRequestStatus.DENIED)
    update = as_update(bundle_for(example_member, identifier="UPD-1"), "ORIG-1")
    response = post(pas_client, SUBMIT, update)
    assert response.status_code == 422
    assert outcome_text(response.json()) == (
        f"Request {earlier.reference} was denied and cannot be updated: file a new request, "
        "or an appeal of the denial."
    )
    assert counts() == (1, 1)


@pytest.mark.django_db
def test_an_update_is_not_taken_for_a_new_request(pas_client, bundle_for, example_member, earlier):
    update = as_update(bundle_for(example_member, identifier="UPD-2"), earlier.reference)
    response = post(pas_client, SUBMIT, update)
    assert response.status_code == 422
    assert response.json()["issue"][0]["code"] == "not-supported"
    assert counts() == (1, 1)


@pytest.mark.django_db
def test_an_update_of_an_unknown_request_is_refused(
    pas_client, outsider_pas_client, bundle_for, example_member, earlier
):
    response = post(
        pas_client, SUBMIT, as_update(bundle_for(example_member, identifier="U3"), "NOPE")
    )
    assert response.status_code == 422
    assert response.json()["issue"][0]["code"] == "not-found"
    # Another organisation's request is unknown to the outsider, never revealed as denied.
    CareRequest.objects.filter(pk=earlier.pk).update(status=CareRequestStatus.DENIED)
    response = post(outsider_pas_client, SUBMIT, as_update(bundle_for(example_member), "ORIG-1"))
    assert response.status_code in (403, 422)
    assert "denied" not in outcome_text(response.json())
    assert counts() == (1, 1)
