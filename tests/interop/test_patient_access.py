"""A member's app, as a SMART standalone launch would run it (authorize with PKCE, token,
refresh), reads the member's prior authorizations through the Patient Access API — and
nothing of another member's."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings

from intake.models import ServiceLine
from interop.models import PatientAccessTransfer
from tests.interop.conftest import REDIRECT
from um_portal.audit.models import AccessLog

pytestmark = pytest.mark.django_db

FHIR = settings.SITE_URL + "/fhir"


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def launch(client, app, user, scope="launch/patient patient/*.read offline_access"):
    """The standalone launch: authorize (the member signs in and allows), then the token."""
    verifier, challenge = pkce()
    client.force_login(user)
    query = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "xyz",
        "aud": FHIR,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    consent = client.get("/oauth/authorize/", query)
    assert consent.status_code == 200, consent.content
    assert "My Health Record app" in consent.content.decode()
    allowed = client.post("/oauth/authorize/", {**query, "allow": "Authorize"})
    assert allowed.status_code == 302
    location = urlparse(allowed["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    params = parse_qs(location.query)
    assert params["state"] == ["xyz"]
    client.logout()  # the app, not the browser, calls the token endpoint
    token = client.post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": params["code"][0],
            "redirect_uri": REDIRECT,
            "client_id": app.client_id,
            "code_verifier": verifier,
        },
    )
    assert token.status_code == 200, token.content
    return token.json()


def read(client, path, token):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_discovery_document(client):
    config = client.get("/fhir/.well-known/smart-configuration").json()
    assert config["authorization_endpoint"].endswith("/oauth/authorize/")
    assert config["token_endpoint"].endswith("/oauth/token/")
    assert "S256" in config["code_challenge_methods_supported"]
    assert {"launch-standalone", "context-standalone-patient", "client-public"} <= set(
        config["capabilities"]
    )
    assert "patient/*.read" in config["scopes_supported"]


def test_standalone_launch_reads_the_members_prior_authorizations(
    client, app, member_user, denied_case, other_case
):
    token = launch(client, app, member_user)
    assert token["patient"] == str(denied_case.member_id)
    assert token["token_type"] == "Bearer" and token["refresh_token"]

    bundle = read(
        client, f"/fhir/ExplanationOfBenefit?patient={token['patient']}", token["access_token"]
    )
    assert bundle.status_code == 200
    assert bundle["Content-Type"].startswith("application/fhir+json")
    body = bundle.json()
    assert body["resourceType"] == "Bundle" and body["type"] == "searchset"
    ids = {e["resource"]["id"] for e in body["entry"]}
    assert ids == {str(denied_case.pk)}  # never the other member's request
    eob = body["entry"][0]["resource"]
    assert eob["use"] == "preauthorization"
    assert eob["meta"]["profile"] == [
        "http://hl7.org/fhir/us/davinci-pdex/StructureDefinition/pdex-priorauthorization"
    ]
    assert eob["patient"]["reference"] == f"Patient/{denied_case.member_id}"
    assert eob["outcome"] == "complete"
    lines = list(denied_case.service_lines.order_by("sequence"))
    assert [i["productOrService"]["coding"][0]["code"] for i in eob["item"]] == [
        line.code for line in lines
    ]
    first = eob["item"][0]["adjudication"]
    assert first[1]["category"]["coding"][0]["code"] == "denied"
    reasons = [a for a in first if a["category"]["coding"][0]["code"] == "denialreason"]
    assert reasons and reasons[0]["reason"]["text"]

    patient = read(client, f"/fhir/Patient/{token['patient']}", token["access_token"]).json()
    assert patient["resourceType"] == "Patient"
    assert patient["birthDate"] == denied_case.member.birth_date.isoformat()
    coverage = read(client, "/fhir/Coverage", token["access_token"]).json()
    assert coverage["entry"][0]["resource"]["subscriberId"] == denied_case.coverage.member_number


def test_another_members_data_is_refused(client, app, member_user, denied_case, other_case):
    token = launch(client, app, member_user)["access_token"]
    other = other_case.member_id
    refused = read(client, f"/fhir/ExplanationOfBenefit?patient={other}", token)
    assert refused.status_code == 403
    assert refused.json()["resourceType"] == "OperationOutcome"
    assert read(client, f"/fhir/ExplanationOfBenefit/{other_case.pk}", token).status_code == 404
    assert read(client, f"/fhir/Patient/{other}", token).status_code == 404
    assert read(client, f"/fhir/Coverage?patient={other}", token).status_code == 403


def test_no_token_or_a_bad_one_is_401(client, denied_case):
    response = client.get("/fhir/ExplanationOfBenefit")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert read(client, "/fhir/ExplanationOfBenefit", "not-a-token").status_code == 401


def test_a_narrow_scope_reads_only_what_it_names(client, app, member_user, denied_case):
    token = launch(client, app, member_user, scope="launch/patient patient/Patient.read")
    assert (
        read(client, f"/fhir/Patient/{token['patient']}", token["access_token"]).status_code == 200
    )
    assert read(client, "/fhir/ExplanationOfBenefit", token["access_token"]).status_code == 403


def test_the_refresh_token_keeps_the_patient_context(client, app, member_user, denied_case):
    first = launch(client, app, member_user)
    refreshed = client.post(
        "/oauth/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": app.client_id,
        },
    )
    assert refreshed.status_code == 200, refreshed.content
    body = refreshed.json()
    assert body["patient"] == first["patient"]
    assert read(client, "/fhir/ExplanationOfBenefit", body["access_token"]).status_code == 200


def test_only_a_member_may_authorize_an_app(client, app, nurse, provider_user):
    _, challenge = pkce()
    query = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT,
        "scope": "launch/patient patient/*.read",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    for user in (nurse, provider_user):
        client.force_login(user)
        assert client.get("/oauth/authorize/", query).status_code == 403
        assert client.post("/oauth/authorize/", {**query, "allow": "Authorize"}).status_code == 403


def test_a_wrong_audience_is_refused(client, app, member_user):
    _, challenge = pkce()
    client.force_login(member_user)
    response = client.get(
        "/oauth/authorize/",
        {
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": REDIRECT,
            "scope": "launch/patient patient/*.read",
            "aud": "https://other-payer.example/fhir",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
    )
    assert response.status_code == 400


def test_every_call_is_logged_and_counted_for_the_yearly_report(
    client, app, member_user, denied_case, manager
):
    token = launch(client, app, member_user)["access_token"]
    read(client, "/fhir/ExplanationOfBenefit", token)
    read(client, "/fhir/Coverage", token)
    logged = AccessLog.objects.filter(user=member_user, channel=AccessLog.Channel.FHIR)
    assert logged.filter(
        case_id=denied_case.pk, action="patient_access_explanationofbenefit"
    ).exists()
    assert logged.filter(member_id=denied_case.member_id).count() == 2
    row = PatientAccessTransfer.objects.get()
    assert (row.calls, row.member_id, row.application_id) == (2, denied_case.member_id, app.pk)
    client.force_login(manager)
    page = client.get("/interop/usage/").content.decode()
    assert "<td>1</td>" in page  # one unique member this year


def test_a_pending_request_is_queued_and_items_pending(client, app, member_user, denied_case):
    ServiceLine.objects.filter(care_request=denied_case).update(decision="pending")
    denied_case.__class__.objects.filter(pk=denied_case.pk).update(status="md_review")
    token = launch(client, app, member_user)["access_token"]
    eob = read(client, "/fhir/ExplanationOfBenefit", token).json()["entry"][0]["resource"]
    assert eob["outcome"] == "queued"
    assert eob["item"][0]["adjudication"][1]["category"]["coding"][0]["code"] == "pending"
