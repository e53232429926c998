"""The same PAS Bundle sent several times at the same instant (a client retrying on a timeout,
two integration engines) still makes one case: the unique constraint on the submission decides
and every loser answers with the winner's ClaimResponse."""

import threading

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from intake.models import CareRequest, CareRequestGroupObjectPermission
from portal.models import PasSubmission

SUBMIT = "/fhir/Claim/$submit"
RACERS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_identical_bundles_at_the_same_instant_make_one_case(
    require_postgres, provider_user, bundle_for, example_member
):
    bundle = bundle_for(example_member, identifier="RACE-1")
    key = Token.objects.get_or_create(user=provider_user)[0].key
    barrier = threading.Barrier(RACERS)
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def submit():
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
            barrier.wait()
            response = client.post(SUBMIT, data=bundle, format="json")
            body = response.json()
            claim_response_id = (
                body["entry"][0]["resource"]["id"] if response.status_code == 200 else ""
            )
            with lock:
                answers.append((response.status_code, claim_response_id))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(answers) == RACERS
    assert {status for status, _ in answers} == {200}
    case = CareRequest.objects.get()
    assert {claim_id for _, claim_id in answers} == {str(case.pk)}
    assert PasSubmission.objects.count() == 1
    # The winner's grants only: the losers' rolled-back cases left none behind.
    assert set(
        CareRequestGroupObjectPermission.objects.values_list("content_object_id", flat=True)
    ) == {case.pk}
