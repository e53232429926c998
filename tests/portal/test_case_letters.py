"""The portal case page with the merged parts: the provider's letters, the P2P panel, and the
page's query budget."""

import pytest
from django.urls import reverse

from determinations.models import Letter
from determinations.services import determination_issue
from determinations.services.delivery import letter_render
from tests.determinations.conftest import deny

# Session, user, groups, the care request permission ids (for the grants), the case, the access
# audit row, its lines, diagnoses, notes, documents, checklist, requests for information, the
# status timeline, letters,
# the standing peer-to-peer (denied cases only), the decision's lines with their reasons and the
# appeal policy (decided cases; adverse only), the case's appeals and its appealable lines, the
# nav's organisation name and the session save: the same for one line and letter as for many.
# + the organisation's rating of the request (decided cases only; quality's feedback panel)
CASE_PAGE_QUERIES = 24


@pytest.fixture
def denied_case(make_md_case, director, criteria_set, outbox_env):
    case = make_md_case(lines=1)
    determination = determination_issue(
        case=case, director=director, line_decisions=[deny(case.service_lines.get(), criteria_set)]
    )
    case.refresh_from_db()
    return case, determination


@pytest.mark.django_db
def test_case_page_links_the_provider_letter_once_rendered_and_never_the_member_copy(
    client_for, provider_user, denied_case
):
    case, determination = denied_case
    provider_letter = determination.letters.get(recipient=Letter.Recipient.PROVIDER)
    member_letter = determination.letters.get(recipient=Letter.Recipient.MEMBER)
    client = client_for(provider_user)
    url = reverse("portal:case", args=[case.pk])

    before = client.get(url).content.decode()
    assert 'Denial letter <span class="muted">(being prepared)</span>' in before
    assert reverse("determinations:letter_pdf", args=[provider_letter.pk]) not in before

    assert letter_render(provider_letter.pk) is True
    assert letter_render(member_letter.pk) is True
    page = client.get(url).content.decode()
    assert reverse("determinations:letter_pdf", args=[provider_letter.pk]) in page
    assert reverse("determinations:letter_pdf", args=[member_letter.pk]) not in page
    assert "No letters yet." not in page
    response = client.get(reverse("determinations:letter_pdf", args=[provider_letter.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.django_db
def test_case_page_offers_the_peer_to_peer_request_after_a_denial_only(
    client_for, provider_user, denied_case, own_case
):
    client = client_for(provider_user)
    case, _ = denied_case
    p2p_url = reverse("scheduling:portal_request", args=[case.pk])
    assert p2p_url in client.get(reverse("portal:case", args=[case.pk])).content.decode()
    open_page = client.get(reverse("portal:case", args=[own_case.pk])).content.decode()
    assert reverse("scheduling:portal_request", args=[own_case.pk]) not in open_page
    assert 'id="p2p"' in open_page


@pytest.mark.django_db
def test_case_page_costs_a_fixed_number_of_queries_however_many_lines_and_letters(
    client_for,
    provider_user,
    make_md_case,
    director,
    criteria_set,
    outbox_env,
    django_assert_num_queries,
):
    client = client_for(provider_user)
    for lines in (1, 3):
        case = make_md_case(lines=lines)
        determination_issue(
            case=case,
            director=director,
            line_decisions=[deny(line, criteria_set) for line in case.service_lines.all()],
        )
        url = reverse("portal:case", args=[case.pk])
        client.get(url)  # warm the session
        with django_assert_num_queries(CASE_PAGE_QUERIES):
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["lines"]) == lines


@pytest.mark.django_db
def test_case_page_shows_the_decision_reason_criterion_and_appeal_deadline(
    client_for, provider_user, make_md_case, director, criteria_set, outbox_env
):
    from datetime import timedelta

    from django.utils import timezone

    from determinations.models import AppealPolicy, DenialReason
    from tests.determinations.conftest import RATIONALE, approve, reduce

    case = make_md_case(lines=3)
    first, second, third = case.service_lines.order_by("sequence")
    determination = determination_issue(
        case=case,
        director=director,
        line_decisions=[
            approve(first),
            reduce(second, criteria_set, units=4, days=14),
            deny(third, criteria_set),
        ],
    )
    page = client_for(provider_user).get(reverse("portal:case", args=[case.pk]))
    html = page.content.decode()
    decision = page.context["decision"]
    assert [ld.outcome for ld in decision["lines"]] == ["approved", "modified", "denied"]
    reason = DenialReason.objects.get(code="not_med_necessary")
    assert reason.label in html
    assert RATIONALE in html
    assert f"Criteria: {criteria_set.name}, version {criteria_set.version}" in html
    assert "4 units, " in html
    days = AppealPolicy.objects.get(line_of_business=case.coverage.plan.line_of_business)
    appeal_by = timezone.localdate(determination.decided_at) + timedelta(days=days.appeal_days)
    assert decision["appeal_by"] == appeal_by
    assert f"you may appeal until <strong>{appeal_by:%Y-%m-%d}</strong>" in html


@pytest.mark.django_db
def test_an_open_case_has_no_decision_and_an_approval_no_appeal(
    client_for, provider_user, make_md_case, director, own_case, outbox_env
):
    from tests.determinations.conftest import approve

    client = client_for(provider_user)
    assert client.get(reverse("portal:case", args=[own_case.pk])).context["decision"] is None
    case = make_md_case(lines=1)
    determination_issue(
        case=case, director=director, line_decisions=[approve(case.service_lines.get())]
    )
    page = client.get(reverse("portal:case", args=[case.pk]))
    assert page.context["decision"]["appeal_by"] is None
    assert "you may appeal until" not in page.content.decode()
