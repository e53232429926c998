"""Lines stored before every entry point filled the description are back-filled from the
catalogue (intake/migrations/0012), so the REST API output names their service too."""

import importlib

import pytest
from django.apps import apps

from intake.models import ServiceLine
from tests.factories import make_case

backfill = importlib.import_module(
    "intake.migrations.0012_service_line_description_backfill"
).service_line_description_backfill

URL = "/api/v1/care-requests/"


@pytest.mark.django_db
def test_blank_lines_get_the_catalogues_words_and_the_api_shows_them(
    api_for, provider_user, organization, intake_specialist
):
    knee = make_case(actor=intake_specialist, organization=organization, code="73721", lines=2)
    unknown = make_case(actor=intake_specialist, organization=organization, code="99999")
    typed = make_case(actor=intake_specialist, organization=organization, code="72148")
    # As an old row reads: stored before the description was filled at entry.
    ServiceLine.objects.update(description="")
    typed.service_lines.update(description="Lumbar MRI, typed by intake")

    backfill(apps, None)

    assert list(knee.service_lines.values_list("description", flat=True)) == [
        "MRI of the knee",
        "MRI of the knee",
    ]
    assert unknown.service_lines.get().description == ""  # the catalogue does not know it
    assert typed.service_lines.get().description == "Lumbar MRI, typed by intake"
    body = api_for(provider_user).get(f"{URL}{knee.pk}/").json()
    assert [x["description"] for x in body["service_lines"]] == ["MRI of the knee"] * 2
