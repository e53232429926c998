"""The portal without friction: service search by words in any order with pickable hits, no
silently preselected requesting provider, several files at once, a status timeline, and a next
step that names the peer-to-peer call and the appeal."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from determinations.services import determination_issue
from intake.apis.coding import service_search
from intake.models import CareRequest, Document
from portal.forms import RequestDetailsForm
from tests.factories import ProviderFactory
from tests.portal.files import PDF
from tests.portal.test_submission import _details, _lookup


@pytest.mark.parametrize("query", ["knee mri", "mri knee", "MRI of the knee", "7372"])
def test_service_search_matches_words_in_any_order(query):
    assert "73721" in [hit.code for hit in service_search(query)]


def test_service_search_needs_every_word():
    assert service_search("knee oxygen") == []


@pytest.mark.django_db
def test_service_hits_are_buttons_that_carry_the_line_to_fill(client_for, provider_user):
    html = client_for(provider_user).get(reverse("portal:search_services"), {"q": "knee mri"})
    html = html.content.decode()
    assert (
        '<button type="button" class="code-hit" data-system="cpt" data-code="73721" '
        'data-category="imaging" data-description="MRI of the knee">'
    ) in html


@pytest.mark.django_db
def test_details_page_loads_the_picking_script_from_static(
    client_for, provider_user, coverage, org_provider
):
    client = client_for(provider_user)
    _lookup(client, coverage)
    html = client.get(reverse("portal:new_details")).content.decode()
    assert '<script src="/static/js/code-search.js" defer></script>' in html


@pytest.mark.django_db
def test_requesting_provider_is_preselected_only_when_there_is_one(organization, org_provider):
    from intake.models import Provider

    providers = Provider.objects.filter(organization=organization)
    assert RequestDetailsForm(providers=providers)["requesting_provider"].value() == org_provider.pk
    ProviderFactory(organization=organization, name="Dr. Second")
    form = RequestDetailsForm(providers=providers)
    assert form["requesting_provider"].value() is None
    assert '<option value="" selected>Choose the requesting provider…</option>' in str(
        form["requesting_provider"]
    )


@pytest.mark.django_db
def test_several_files_are_uploaded_at_once(client_for, provider_user, coverage, org_provider):
    client = client_for(provider_user)
    _lookup(client, coverage)
    client.post(reverse("portal:new_details"), _details(org_provider))
    draft = CareRequest.objects.get()
    files = [
        SimpleUploadedFile(name, PDF, content_type="application/pdf")
        for name in ("notes.pdf", "imaging.pdf")
    ]
    response = client.post(
        reverse("portal:documents", args=[draft.pk]), {"kind": "clinical_notes", "files": files}
    )
    assert response.status_code == 302
    assert sorted(Document.objects.values_list("original_name", flat=True)) == [
        "imaging.pdf",
        "notes.pdf",
    ]
    page = client.get(response["Location"]).content.decode()
    assert 'type="file" name="files"' in page and "multiple" in page
    assert "Uploaded: notes.pdf, imaging.pdf." in page


@pytest.mark.django_db
def test_one_refused_file_is_named_and_the_others_are_kept(
    client_for, provider_user, coverage, org_provider
):
    client = client_for(provider_user)
    _lookup(client, coverage)
    client.post(reverse("portal:new_details"), _details(org_provider))
    draft = CareRequest.objects.get()
    files = [
        SimpleUploadedFile("notes.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/pdf"),
    ]
    response = client.post(
        reverse("portal:documents", args=[draft.pk]), {"kind": "clinical_notes", "files": files}
    )
    assert response.status_code == 200
    assert list(Document.objects.values_list("original_name", flat=True)) == ["notes.pdf"]
    assert response.context["form"].errors["files"][0].startswith("virus.exe: ")


@pytest.mark.django_db
def test_case_page_shows_the_status_timeline(client_for, provider_user, pended_case):
    html = client_for(provider_user).get(reverse("portal:case", args=[pended_case.pk]))
    timeline = html.context["timeline"]
    assert [event["label"] for event in timeline] == ["Submitted", "Pending information"]
    assert [event["at"] for event in timeline] == list(
        pended_case.status_events.order_by("at").values_list("at", flat=True)
    )
    assert "Status history" in html.content.decode()


@pytest.mark.django_db
def test_next_step_after_a_denial_names_the_p2p_and_the_appeal_deadline(
    client_for, provider_user, make_md_case, director, criteria_set, outbox_env
):
    from tests.determinations.conftest import approve, deny

    case = make_md_case(lines=2)
    first, second = case.service_lines.order_by("sequence")
    determination_issue(
        case=case,
        director=director,
        line_decisions=[approve(first), deny(second, criteria_set)],
    )
    client = client_for(provider_user)
    page = client.get(reverse("portal:case", args=[case.pk]))
    appeal_by = page.context["decision"]["appeal_by"]
    assert appeal_by > timezone.localdate() + timedelta(days=1)
    assert page.context["next_step"] == (
        "Read the decision letter. For the services not approved you may ask for a peer-to-peer "
        f"call with the physician reviewer, and you may appeal until {appeal_by:%Y-%m-%d}; the "
        "letter says how"
    )
    listing = client.get(reverse("portal:home")).content.decode()
    assert "you may appeal by the deadline in the letter" in listing


@pytest.mark.django_db
def test_portal_case_page_shows_receipt_in_the_one_format(client_for, provider_user, own_case):
    from um_portal.lib.template_formats import when

    html = client_for(provider_user).get(reverse("portal:case", args=[own_case.pk]))
    assert f"<dd>{when(own_case.received_at)}</dd>" in html.content.decode()
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d E[SD]T", when(own_case.received_at))
