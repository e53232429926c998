"""Every service line gets plain words from the one catalogue the portal's code search uses
(issue 14: "CPT 73721 | Service —" and letters that could not tell two lines apart)."""

from datetime import date

import pytest

from intake.apis.coding import catalog_description, service_search
from intake.apis.inputs import LineData, service_line_inputs
from intake.models import ServiceLine

DAY = date(2026, 12, 10)


def test_catalogue_description_is_the_one_the_code_search_shows():
    assert catalog_description("cpt", "73721") == service_search("73721")[0].description
    assert catalog_description("cpt", " 73721 ") == "MRI of the knee"
    assert catalog_description("cpt", "99999") == ""
    assert catalog_description("hcpcs", "73721") == ""  # the code system matters


@pytest.mark.django_db
def test_entry_fills_an_undescribed_line_from_the_catalogue_and_keeps_a_typed_one():
    lines = service_line_inputs(
        [
            LineData(code_system="cpt", code="73721", units=1, start_date=DAY, end_date=DAY),
            LineData(
                code_system="cpt",
                code="72148",
                units=1,
                start_date=DAY,
                end_date=DAY,
                description="MRI of the low back, without contrast",
            ),
            LineData(code_system="cpt", code="70551", units=1, start_date=DAY, end_date=DAY),
        ]
    )
    assert [x.description for x in lines] == [
        "MRI of the knee",
        "MRI of the low back, without contrast",
        "",  # not in the catalogue: pages show the category's name
    ]


def test_a_line_stored_without_words_shows_the_catalogues():
    assert ServiceLine(code_system="cpt", code="73721").plain_description == "MRI of the knee"
    assert ServiceLine(
        code_system="cpt", code="73721", description="Knee MRI"
    ).plain_description == ("Knee MRI")
