"""The guided submission: member lookup, services and diagnoses (draft kept), documents,
review and submit."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from intake.models import CareRequest, CareRequestStatus, Document
from tests.factories import ProviderFactory
from tests.portal.files import PDF


def _details(provider, **overrides):
    start = timezone.localdate() + timedelta(days=3)
    data = {
        "requesting_provider": provider.pk,
        "servicing_provider": "",
        "priority": "standard",
        "request_type": "prospective",
        "review_setting": "outpatient",
        "clinical_summary": "Six weeks of back pain despite therapy.",
        "line1_code_system": "cpt",
        "line1_code": "72148",
        "line1_units": "1",
        "line1_start_date": start.isoformat(),
        "line1_end_date": (start + timedelta(days=20)).isoformat(),
        "line1_category": "",
        "diagnosis1": "M54.16",
    }
    for i in range(2, 5):
        data.update(
            {
                f"line{i}_code_system": "cpt",
                f"line{i}_code": "",
                f"line{i}_units": "",
                f"line{i}_start_date": "",
                f"line{i}_end_date": "",
                f"line{i}_category": "",
            }
        )
    for i in range(2, 5):
        data[f"diagnosis{i}"] = ""
    data.update(overrides)
    return data


def _lookup(client, coverage):
    return client.post(
        reverse("portal:new"),
        {"member_id": coverage.member_number, "birth_date": coverage.member.birth_date.isoformat()},
    )


@pytest.mark.django_db
def test_member_lookup_needs_member_id_and_matching_birth_date(client_for, provider_user, coverage):
    client = client_for(provider_user)
    wrong = client.post(
        reverse("portal:new"), {"member_id": coverage.member_number, "birth_date": "1901-01-01"}
    )
    assert wrong.status_code == 200
    assert "No member matches" in wrong.content.decode()
    assert _lookup(client, coverage)["Location"] == reverse("portal:new_details")


@pytest.mark.django_db
def test_details_without_a_member_lookup_go_back_to_step_one(client_for, provider_user):
    response = client_for(provider_user).get(reverse("portal:new_details"))
    assert response["Location"] == reverse("portal:new")


@pytest.mark.django_db
def test_guided_flow_keeps_a_draft_then_submits_it(
    client_for, provider_user, coverage, org_provider, imaging_checklist
):
    client = client_for(provider_user)
    _lookup(client, coverage)
    response = client.post(reverse("portal:new_details"), _details(org_provider))
    draft = CareRequest.objects.get()
    assert response["Location"] == reverse("portal:documents", args=[draft.pk])
    assert draft.status == CareRequestStatus.DRAFT
    assert draft.channel == "portal"
    assert draft.received_at is None
    assert list(draft.service_lines.values_list("code", "category__code")) == [("72148", "imaging")]

    # The draft is kept: it is listed and can be edited later.
    listing = client.get(reverse("portal:home")).content.decode()
    assert draft.reference in listing and "Finish and submit the request" in listing
    edited = client.post(
        reverse("portal:edit", args=[draft.pk]),
        _details(org_provider, line1_code="73721", diagnosis1="M23.221", diagnosis2="M25.561"),
    )
    assert edited.status_code == 302
    assert list(draft.service_lines.values_list("code", flat=True)) == ["73721"]
    assert list(draft.diagnoses.values_list("code", flat=True)) == ["M23.221", "M25.561"]

    upload = SimpleUploadedFile("notes.pdf", PDF, content_type="application/pdf")
    client.post(
        reverse("portal:documents", args=[draft.pk]), {"kind": "clinical_notes", "files": upload}
    )
    assert Document.objects.get().channel == "portal"
    assert draft.checklist_items.get(document_kind="clinical_notes").document_id is not None

    review = client.get(reverse("portal:review", args=[draft.pk])).content.decode()
    assert "Record of 6 weeks of conservative therapy" in review  # still missing, shown

    response = client.post(reverse("portal:submit", args=[draft.pk]))
    assert response["Location"] == reverse("portal:case", args=[draft.pk])
    draft.refresh_from_db()
    # Whatever the rules decided is what the case page shows.
    assert draft.status != CareRequestStatus.DRAFT
    assert draft.received_at is not None and draft.due_at is not None
    page = client.get(response["Location"]).content.decode()
    assert draft.get_status_display() in page


@pytest.mark.django_db
def test_submit_result_shows_an_approval_with_its_authorization_number(
    client_for, provider_user, coverage, org_provider, monkeypatch
):
    """When the rules approve inside care_request_submit, the portal shows the decision."""
    from intake.services import receipt
    from portal.views import submission

    real_submit = receipt.care_request_submit

    def approving_submit(*, care_request, actor, system=False):
        case = real_submit(care_request=care_request, actor=actor, system=system)
        from intake.services.transitions import care_request_transition

        care_request_transition(care_request=case, name="auto_approve", actor=None, system=True)
        CareRequest.objects.filter(pk=case.pk).update(auth_number="A-123456")
        case.refresh_from_db()
        return case

    monkeypatch.setattr(submission, "care_request_submit", approving_submit)
    client = client_for(provider_user)
    _lookup(client, coverage)
    client.post(reverse("portal:new_details"), _details(org_provider))
    draft = CareRequest.objects.get()
    page = client.post(reverse("portal:submit", args=[draft.pk]), follow=True).content.decode()
    assert "Approved. Authorization number A-123456." in page
    assert 'class="auth-number">A-123456<' in page


@pytest.mark.django_db
def test_invalid_services_show_field_errors_and_write_nothing(
    client_for, provider_user, coverage, org_provider
):
    client = client_for(provider_user)
    _lookup(client, coverage)
    response = client.post(
        reverse("portal:new_details"),
        _details(org_provider, line1_code="ABC", diagnosis1="M54"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "ABC is not a CPT code" in body
    assert "M54 is a category" in body
    assert CareRequest.objects.count() == 0


@pytest.mark.django_db
def test_a_provider_of_another_organisation_cannot_be_the_requester(
    client_for, provider_user, coverage
):
    stranger = ProviderFactory()
    client = client_for(provider_user)
    _lookup(client, coverage)
    response = client.post(reverse("portal:new_details"), _details(stranger))
    assert response.status_code == 200
    assert CareRequest.objects.count() == 0


@pytest.mark.django_db
def test_a_submitted_request_can_no_longer_be_edited(
    client_for, provider_user, own_case, org_provider
):
    response = client_for(provider_user).post(
        reverse("portal:edit", args=[own_case.pk]), _details(org_provider, line1_code="73721")
    )
    assert response["Location"] == reverse("portal:case", args=[own_case.pk])
    assert list(own_case.service_lines.values_list("code", flat=True)) == ["72148"]


@pytest.mark.django_db
def test_code_search_finds_services_and_billable_diagnoses(client_for, provider_user):
    client = client_for(provider_user)
    services = client.get(reverse("portal:search_services"), {"q": "mri"}).content.decode()
    assert "72148" in services and "MRI of the lower back" in services
    diagnoses = client.get(reverse("portal:search_diagnoses"), {"q": "M54.16"}).content.decode()
    assert "M54.16" in diagnoses and "Radiculopathy, lumbar region" in diagnoses


@pytest.mark.django_db
def test_request_list_costs_a_fixed_number_of_queries(
    client_for, provider_user, organization, intake_specialist, django_assert_num_queries
):
    from tests.factories import make_case

    client = client_for(provider_user)
    # session, user, user's groups, the care request permission ids (for the grants), one page
    # of rows (member, coverage, plan joined; no COUNT), their service lines, the access-log rows
    # of the cases shown (one INSERT), the organisation's name in the nav, and the idle-logout
    # session save (3 statements).
    for rows in (1, 4):
        while organization.care_requests.count() < rows:
            make_case(actor=intake_specialist, organization=organization, lines=rows)
        with django_assert_num_queries(11):
            response = client.get(reverse("portal:home"))
        assert response.status_code == 200
        assert len(response.context["rows"]) == rows


@pytest.mark.django_db
def test_request_list_finds_by_reference_member_id_last_name_or_auth_number(
    client_for, provider_user, organization, other_organization, intake_specialist
):
    from intake.models import CareRequest
    from tests.factories import CoverageFactory, MemberFactory, make_case

    mine = make_case(
        actor=intake_specialist,
        organization=organization,
        coverage=CoverageFactory(member=MemberFactory(last_name="Okonkwo")),
    )
    CareRequest.objects.filter(pk=mine.pk).update(auth_number="A26TESTAUTH")
    other = make_case(actor=intake_specialist, organization=organization)
    # Another organisation's request for the same member never shows, whatever is searched.
    theirs = make_case(
        actor=intake_specialist, organization=other_organization, coverage=mine.coverage
    )
    client = client_for(provider_user)
    for term in (
        mine.reference.lower(),
        mine.coverage.member_number,
        "okonkwo",
        "a26testauth",
    ):
        response = client.get(reverse("portal:home"), {"q": term})
        found = [row["case"].pk for row in response.context["rows"]]
        assert found == [mine.pk], term
        assert theirs.reference not in response.content.decode()
    response = client.get(reverse("portal:home"), {"q": "nobody-like-this"})
    assert response.context["rows"] == []
    assert "No request matches" in response.content.decode()
    response = client.get(reverse("portal:home"), {"q": other.reference, "show": "decided"})
    assert response.context["rows"] == []  # the filter and the search combine


@pytest.mark.django_db
def test_request_list_pages_without_counting(
    client_for, provider_user, organization, intake_specialist
):
    from tests.factories import make_case

    cases = [make_case(actor=intake_specialist, organization=organization) for _ in range(27)]
    client = client_for(provider_user)
    first = client.get(reverse("portal:home"))
    assert len(first.context["rows"]) == 25
    assert (first.context["page"].has_previous, first.context["page"].has_next) == (False, True)
    second = client.get(reverse("portal:home"), {"page": "2"})
    shown = [row["case"].pk for row in first.context["rows"] + second.context["rows"]]
    assert sorted(shown) == sorted(c.pk for c in cases)  # every request once, none lost
    assert (second.context["page"].has_previous, second.context["page"].has_next) == (True, False)
    for junk in ("0", "-3", "abc", ""):
        assert client.get(reverse("portal:home"), {"page": junk}).context["page"].number == 1
    beyond = client.get(reverse("portal:home"), {"page": "9"})
    assert beyond.context["rows"] == []
    assert "Nothing on this page." in beyond.content.decode()


@pytest.mark.django_db
def test_a_service_error_lands_on_the_row_it_is_about_even_after_an_empty_row(
    client_for, provider_user, coverage, org_provider
):
    client = client_for(provider_user)
    _lookup(client, coverage)
    data = _details(org_provider)
    data.update(
        {
            "line3_code_system": "cpt",
            "line3_code": "ABC",
            "line3_units": "1",
            "line3_start_date": data["line1_start_date"],
            "line3_end_date": data["line1_end_date"],
        }
    )
    response = client.post(reverse("portal:new_details"), data)
    form = response.context["form"]
    assert any("ABC is not a CPT code" in e for e in form.errors.get("line3_code", []))
    assert "line2_code" not in form.errors
    assert CareRequest.objects.count() == 0
