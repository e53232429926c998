"""New request entry (fax, phone, mail): member lookup, the form, and the service's field errors
placed next to the fields they concern."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import CareRequest, Coverage, StatusEvent
from tests.factories import (
    CoverageFactory,
    MemberFactory,
    PlanFactory,
    ProviderFactory,
    category,
)

NEW = reverse("intake:new")


@pytest.fixture
def coverage(db):
    return CoverageFactory(member_number="MA4412", plan=PlanFactory(name="Sunrise Medicare"))


@pytest.fixture
def provider(organization):
    return ProviderFactory(name="Dr. Ana Ortiz", organization=organization)


def form_data(coverage, provider, **overrides) -> dict:
    """A complete entry for `coverage`'s member; keyword arguments replace fields."""
    start = timezone.localdate() + timedelta(days=3)
    data = {
        "member_number": coverage.member_number,
        "birth_date": coverage.member.birth_date.isoformat(),
        "coverage": str(coverage.pk),
        "channel": "fax",
        "priority": "expedited",
        "request_type": "prospective",
        "review_setting": "outpatient",
        "requesting_provider": provider.npi,
        "servicing_provider": provider.npi,
        "diagnoses": "M54.16, m5126",
        "clinical_summary": "Radiating pain for 8 weeks despite physical therapy.",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "20",
        "lines-0-code_system": "cpt",
        "lines-0-code": "72148",
        "lines-0-category": str(category("imaging").pk),
        "lines-0-units": "1",
        "lines-0-start_date": start.isoformat(),
        "lines-0-end_date": (start + timedelta(days=29)).isoformat(),
        "lines-0-place_of_service": "22",
        "lines-0-modifiers": "",
    }
    data.update(overrides)
    return data


def line_errors(response, index=0) -> dict:
    return response.context["lines"].forms[index].errors


@pytest.mark.django_db
def test_lookup_by_member_id_and_birth_date_offers_the_members_coverages(
    client_for, intake_specialist, coverage
):
    older = CoverageFactory(
        member=coverage.member,
        member_number="MA4412",
        plan=coverage.plan,
        effective_from=coverage.effective_from - timedelta(days=800),
        effective_to=coverage.effective_from - timedelta(days=1),
        status=Coverage.Status.TERMINATED,
    )
    CoverageFactory(member_number="ZZ0001")  # someone else's
    response = client_for(intake_specialist).get(
        NEW, {"member_number": "ma4412", "birth_date": "1956-03-14"}
    )
    assert response.status_code == 200
    assert response.context["member"] == coverage.member
    choices = list(response.context["form"].fields["coverage"].queryset)
    assert choices == [coverage, older]
    assert response.context["lines"].total_form_count() == 1
    assert "Sunrise Medicare" in response.content.decode()


@pytest.mark.django_db
def test_lookup_with_the_wrong_birth_date_finds_nobody(client_for, intake_specialist, coverage):
    response = client_for(intake_specialist).get(
        NEW, {"member_number": "MA4412", "birth_date": "1956-03-15"}
    )
    assert response.status_code == 400
    assert response.context["member"] is None
    assert response.context["lookup"].non_field_errors() == [
        "No member has this member ID and date of birth."
    ]
    assert "form" not in response.context


@pytest.mark.django_db
def test_new_request_is_created_and_received(client_for, intake_specialist, coverage, provider):
    response = client_for(intake_specialist).post(NEW, form_data(coverage, provider))
    case = CareRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:case", args=[case.pk])
    assert (case.status, case.channel, case.priority, case.created_by) == (
        "submitted",
        "fax",
        "expedited",
        intake_specialist,
    )
    assert case.member == coverage.member and case.coverage == coverage
    assert case.requesting_provider == provider and case.provider_organization == (
        provider.organization
    )
    assert case.due_at - case.received_at == timedelta(hours=72)
    line = case.service_lines.get()
    assert (line.code_system, line.code, line.units, line.place_of_service) == (
        "cpt",
        "72148",
        1,
        "22",
    )
    assert list(case.diagnoses.values_list("code", flat=True)) == ["M54.16", "M51.26"]
    assert case.clinical_summary == "Radiating pain for 8 weeks despite physical therapy."


@pytest.mark.django_db
def test_two_service_lines(client_for, intake_specialist, coverage, provider):
    data = form_data(coverage, provider)
    data.update(
        {
            "lines-TOTAL_FORMS": "2",
            "lines-1-code_system": "hcpcs",
            "lines-1-code": "e0601",
            "lines-1-category": data["lines-0-category"],
            "lines-1-units": "1",
            "lines-1-start_date": data["lines-0-start_date"],
            "lines-1-end_date": data["lines-0-end_date"],
        }
    )
    assert client_for(intake_specialist).post(NEW, data).status_code == 302
    lines = CareRequest.objects.get().service_lines.order_by("sequence")
    assert [(ln.sequence, ln.code_system, ln.code) for ln in lines] == [
        (1, "cpt", "72148"),
        (2, "hcpcs", "E0601"),
    ]


@pytest.mark.django_db
def test_bad_icd10_code_is_shown_on_the_diagnoses_field(
    client_for, intake_specialist, coverage, provider
):
    response = client_for(intake_specialist).post(
        NEW, form_data(coverage, provider, diagnoses="M54.16 Q99.99 M54")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["diagnoses"] == [
        "Q99.99 is not an ICD-10-CM code.",
        "M54 is a category; enter a billable code with all its characters.",
    ]
    assert "Q99.99 is not an ICD-10-CM code." in response.content.decode()
    assert not CareRequest.objects.exists()
    assert not StatusEvent.objects.exists()


@pytest.mark.django_db
def test_bad_cpt_format_is_shown_on_the_line_code(
    client_for, intake_specialist, coverage, provider
):
    response = client_for(intake_specialist).post(
        NEW, form_data(coverage, provider, **{"lines-0-code": "7214"})
    )
    assert response.status_code == 400
    assert line_errors(response) == {
        "code": ["7214 is not a CPT code (five characters: four digits then a digit, F, T or U)."]
    }
    assert not CareRequest.objects.exists()


@pytest.mark.django_db
def test_bad_hcpcs_format_is_shown_on_the_line_code(
    client_for, intake_specialist, coverage, provider
):
    response = client_for(intake_specialist).post(
        NEW,
        form_data(coverage, provider, **{"lines-0-code_system": "hcpcs", "lines-0-code": "72148"}),
    )
    assert line_errors(response) == {
        "code": ["72148 is not a HCPCS Level II code (a letter A–V and four digits)."]
    }


@pytest.mark.django_db
def test_end_before_start_is_shown_on_the_end_date(
    client_for, intake_specialist, coverage, provider
):
    data = form_data(coverage, provider)
    data["lines-0-end_date"] = (
        timezone.localdate() + timedelta(days=1)
    ).isoformat()  # before the start, three days out
    response = client_for(intake_specialist).post(NEW, data)
    assert response.status_code == 400
    assert line_errors(response) == {"end_date": ["The end date is before the start date."]}
    assert not CareRequest.objects.exists()


@pytest.mark.django_db
def test_coverage_not_in_force_on_the_dates_is_shown_on_the_start_date(
    client_for, intake_specialist, provider
):
    ended = CoverageFactory(
        member_number="MC0099",
        member=MemberFactory(),
        effective_to=timezone.localdate() + timedelta(days=10),
    )
    response = client_for(intake_specialist).post(NEW, form_data(ended, provider))
    assert response.status_code == 400
    start = timezone.localdate() + timedelta(days=3)
    assert line_errors(response) == {
        "start_date": [
            f"Coverage MC0099 is not in force from {start} to {start + timedelta(days=29)}."
        ]
    }
    assert not CareRequest.objects.exists()


@pytest.mark.django_db
def test_unknown_or_invalid_npi_is_a_field_error(client_for, intake_specialist, coverage, provider):
    response = client_for(intake_specialist).post(
        NEW,
        form_data(
            coverage, provider, requesting_provider="1234567890", servicing_provider="1234567893"
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["requesting_provider"] == [
        "1234567890 is not a valid NPI (10 digits with a valid check digit)."
    ]
    assert errors["servicing_provider"] == ["No provider with NPI 1234567893 is on file."]


@pytest.mark.django_db
def test_provider_may_be_typed_by_unique_name(client_for, intake_specialist, coverage, provider):
    ProviderFactory(name="Dr. Ben Ortega")
    client = client_for(intake_specialist)
    ambiguous = client.post(NEW, form_data(coverage, provider, servicing_provider="Ort"))
    assert (
        ambiguous.context["form"]
        .errors["servicing_provider"][0]
        .startswith("Several providers match “Ort”")
    )
    response = client.post(NEW, form_data(coverage, provider, servicing_provider="ana ortiz"))
    assert response.status_code == 302
    assert CareRequest.objects.get().servicing_provider == provider


@pytest.mark.django_db
def test_another_members_coverage_cannot_be_chosen(
    client_for, intake_specialist, coverage, provider
):
    other = CoverageFactory(member_number="ZZ0001")
    data = form_data(coverage, provider)
    data["coverage"] = str(other.pk)
    response = client_for(intake_specialist).post(NEW, data)
    assert response.status_code == 400
    assert "coverage" in response.context["form"].errors
    assert not CareRequest.objects.exists()


@pytest.mark.django_db
def test_add_line_without_javascript_returns_the_form_with_another_line(
    client_for, intake_specialist, coverage, provider
):
    data = form_data(coverage, provider, add_line="1", diagnoses="")
    response = client_for(intake_specialist).post(NEW, data)
    assert response.status_code == 200
    assert response.context["quiet"] is True
    html = response.content.decode()
    assert 'name="lines-1-code"' in html
    assert 'value="72148"' in html  # what was typed stays
    assert "This field is required." not in html
    assert not CareRequest.objects.exists()


@pytest.mark.django_db
def test_htmx_line_row_carries_the_next_index_and_new_count(client_for, intake_specialist):
    response = client_for(intake_specialist).get(
        reverse("intake:new_line"), {"lines-TOTAL_FORMS": "2"}
    )
    html = response.content.decode()
    assert 'name="lines-2-code"' in html
    assert 'id="id_lines-TOTAL_FORMS" hx-swap-oob="true"' in html
    assert 'name="lines-TOTAL_FORMS" value="3"' in html


@pytest.mark.django_db
def test_provider_search_by_npi_prefix_and_name(client_for, intake_specialist, provider):
    client = client_for(intake_specialist)
    url = reverse("intake:provider_options")
    by_name = client.get(url, {"requesting_provider": "ortiz"}).content.decode()
    assert f'<option value="{provider.npi}">Dr. Ana Ortiz' in by_name
    by_npi = client.get(url, {"q": provider.npi[:6]}).content.decode()
    assert f'value="{provider.npi}"' in by_npi
    assert client.get(url, {"q": "zzzz"}).content.decode().strip() == ""


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", "nurse", "director", "provider", "outsider"])
def test_only_intake_enters_requests(client_for, personas, persona, coverage, provider):
    client = client_for(personas[persona])
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data(coverage, provider)).status_code == 403
    assert client.get(reverse("intake:provider_options"), {"q": "ortiz"}).status_code == 403
    assert not CareRequest.objects.exists()
