"""The director decides with everything at hand: the nurse's written recommendation, the
documents (opened in place), the member's earlier requests, the P2P notes after a reopening
and a link back to the case."""

import pytest
from django.urls import reverse

from scheduling.models import PeerToPeer
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_decide_page_shows_what_the_director_needs(
    client_for, md_review_case, director, intake_specialist
):
    case = md_review_case
    earlier = make_case(actor=intake_specialist, coverage=case.coverage)
    PeerToPeer.objects.create(
        care_request=case,
        requested_by=director,
        status=PeerToPeer.Status.COMPLETED,
        outcome=PeerToPeer.Outcome.RECONSIDER,
        provider_contact_name="Dr Lee",
        provider_contact_phone="555-0100",
        notes="Provider described new weakness in the left leg.",
    )
    body = client_for(director).get(reverse("determinations:decide", args=[case.pk]))
    body = body.content.decode()
    assert f'<a href="{reverse("review:case", args=[case.pk])}" data-back-to-case>' in body
    assert "<p data-referral-note>Criterion 3 not met; consider denial or P2P.</p>" in body
    assert body.count('target="doc-viewer"') == case.documents.count() == 2
    assert '<iframe name="doc-viewer"' in body
    assert f'data-earlier="{earlier.pk}"' in body
    assert "Call notes: Provider described new weakness in the left leg." in body
