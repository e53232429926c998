"""What the reader does when the page OCR is not enough: a crooked page is straightened first; a
service row whose code was misread is read again from its cell; an NPI whose label was misread
is found by its check digit. Whatever is recovered this way goes to a person to confirm."""

import pytest
from PIL import Image, ImageDraw, ImageFont

from inbox import extraction
from inbox.deskew import deskew, skew_angle
from inbox.extraction import LOW_CONFIDENCE
from inbox.ocr import Word


def _text_page() -> Image.Image:
    """A letter-width page of ruled text rows, like a form at 200 dpi."""
    image = Image.new("L", (1700, 1100), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("DejaVuSans.ttf", 28)
    for row in range(12):
        y = 80 + row * 80
        draw.text((120, y), f"Member ID M20240{row:02d}   NPI 1234567893   Units {row}", font=font)
        draw.line((100, y + 50, 1600, y + 50), fill=0, width=2)
    return image


def test_a_skewed_page_is_measured_and_turned_straight():
    straight = _text_page()
    crooked = straight.rotate(-1.8, resample=Image.BILINEAR, fillcolor=255)
    assert abs(skew_angle(crooked) - 1.8) <= 0.15
    turned = deskew(crooked)
    assert turned.size == crooked.size
    assert abs(skew_angle(turned)) <= 0.15


def test_a_straight_page_is_left_as_it_is():
    page = _text_page()
    assert skew_angle(page) == 0.0
    assert deskew(page) is page


def test_a_bilevel_fax_stays_bilevel_once_straightened():
    fax = _text_page().rotate(1.2, fillcolor=255).point(lambda p: 255 if p > 127 else 0)
    assert sorted(c for _, c in deskew(fax).getcolors(2)) == [0, 255]


HEADER = ["Description", "CPT/HCPCS", "Units", "Start", "Date", "End", "Date"]


def _services(row: dict[int, str]) -> extraction.Page:
    words = [Word(t, 95, 10 + 150 * i, 10, 120, 20) for i, t in enumerate(HEADER)]
    words += [Word(t, 95, 10 + 150 * i, 60, 120, 20) for i, t in row.items()]
    return extraction.Page(1, words, Image.new("L", (1200, 120), 255))


def test_a_misread_service_code_is_read_again_from_its_cell_and_flagged(monkeypatch):
    boxes = []

    def reread(image, box, kind, **kwargs):
        boxes.append((box, kind))
        return "E0601", 97.0

    monkeypatch.setattr("inbox.ocr.ocr_field", reread)
    monkeypatch.setattr("inbox.ocr.ocr_digits", lambda *a, **k: None)
    page = _services({0: "CPAP", 1: "£0601", 2: "2", 3: "12/08/2026", 5: "02/05/2027"})
    got = {c.name: c for c in extraction.read_services(page, None)}
    assert got["service_1_code"].value == "E0601"
    assert got["service_1_code"].confidence < LOW_CONFIDENCE  # a person confirms it
    assert boxes == [((148, 52, 292, 88), "service_code")]  # the misread word's own box
    assert (got["service_1_units"].value, got["service_1_start"].value) == ("2", "2026-12-08")


def test_a_dropped_service_code_is_read_from_the_code_column(monkeypatch):
    boxes = []

    def reread(image, box, kind, **kwargs):
        boxes.append(box)
        return "73721", 95.0

    monkeypatch.setattr("inbox.ocr.ocr_field", reread)
    page = _services({0: "MRI", 2: "1", 3: "12/11/2026", 5: "01/09/2027"})
    got = {c.name: c.value for c in extraction.read_services(page, None)}
    assert got["service_1_code"] == "73721"
    header_x = 10 + 150 + 60  # the CPT/HCPCS header's centre
    assert boxes == [(header_x - 70, 52, header_x + 70, 88)]


def test_a_row_that_is_not_a_service_is_not_read_again(monkeypatch):
    def reread(*args, **kwargs):
        raise AssertionError("a row without a date is no service row")

    monkeypatch.setattr("inbox.ocr.ocr_field", reread)
    page = _services({0: "Signature", 2: "________"})
    assert extraction.read_services(page, None) == []


def _provider_box(*numbers: str) -> extraction.Page:
    words = [Word("Servicing", 95, 10, 10, 120, 20), Word("Provider", 95, 140, 10, 110, 20)]
    words += [Word("NPU#:", 60, 10, 50, 70, 20)]  # the label, misread
    words += [Word(n, 94, 10 + 200 * i, 80, 130, 20) for i, n in enumerate(numbers)]
    words += [Word("(727)", 95, 10, 120, 60, 20), Word("942-1481", 95, 80, 120, 100, 20)]
    return extraction.Page(1, words, Image.new("L", (800, 200), 255))


def test_an_npi_whose_label_is_misread_is_found_by_its_check_digit_and_flagged():
    page = _provider_box("1234567893")
    regions = extraction.section_regions(page)
    got = {c.name: c for c in extraction._provider_fields(page, regions, "servicing")}
    assert got["servicing_npi"].value == "1234567893"
    assert got["servicing_npi"].confidence < LOW_CONFIDENCE


def test_two_npi_shaped_numbers_in_one_box_are_left_to_the_person():
    page = _provider_box("1234567893", "1245319599")
    regions = extraction.section_regions(page)
    got = {c.name for c in extraction._provider_fields(page, regions, "servicing")}
    assert "servicing_npi" not in got


def test_a_labelled_line_after_the_services_ends_the_table_without_a_re_read(monkeypatch):
    calls = []
    monkeypatch.setattr("inbox.ocr.ocr_field", lambda *a, **k: calls.append(a) or ("99213", 99.0))
    monkeypatch.setattr("inbox.ocr.ocr_digits", lambda *a, **k: None)
    page = _services({0: "MRI", 1: "73721", 2: "1", 3: "12/11/2026", 5: "01/09/2027"})
    page.words += [
        Word("Signature:", 95, 10, 110, 120, 20),
        Word("12/01/2026", 95, 460, 110, 120, 20),
    ]
    page = extraction.Page(1, page.words, page.image)
    got = [c.name for c in extraction.read_services(page, None)]
    assert "service_2_code" not in got and calls == []


def test_a_service_row_whose_code_cannot_be_read_keeps_its_place(monkeypatch):
    monkeypatch.setattr("inbox.ocr.ocr_field", lambda *a, **k: ("ja745", 40.0))
    monkeypatch.setattr("inbox.ocr.ocr_digits", lambda *a, **k: None)
    page = _services({0: "Infliximab", 1: "ja745", 2: "12", 3: "12/05/2026", 5: "02/02/2027"})
    page.words += [Word(t, 95, 10 + 150 * i, 110, 120, 20) for i, t in enumerate(["Knee", "27447"])]
    page = extraction.Page(1, page.words, page.image)
    got = {c.name: c.value for c in extraction.read_services(page, None)}
    assert "service_1_code" not in got  # left for the person to type
    assert (got["service_1_units"], got["service_1_end"]) == ("12", "2027-02-02")
    assert got["service_2_code"] == "27447"  # not taken for the first row's code


def test_a_diagnosis_list_with_a_code_left_unread_is_flagged_whole(monkeypatch):
    from inbox import refine

    monkeypatch.setattr("inbox.ocr.ocr_region_words", lambda *a, **k: [])
    words = [Word("Diagnosis", 95, 10, 10, 120, 20), Word("codes", 95, 140, 10, 70, 20)]
    words += [Word("Z96.651,", 95, 10, 50, 110, 20), Word("47.33,", 95, 140, 50, 80, 20)]
    words += [Word("M54.16", 95, 240, 50, 90, 20)]
    page = extraction.Page(1, words, Image.new("L", (800, 100), 255))
    region = extraction.section_regions(page)["diagnosis"]
    found = refine.diagnoses_from_region(page, region, extraction.read_diagnoses(page, region))
    assert [c.value for c in found] == ["Z96.651", "M54.16"]
    assert all(c.confidence < LOW_CONFIDENCE and c.inferred for c in found)


def test_an_inferred_value_stays_flagged_when_a_re_read_agrees(monkeypatch):
    from inbox import refine
    from inbox.extraction import Candidate

    monkeypatch.setattr("inbox.ocr.ocr_field", lambda *a, **k: ("E0601", 99.0))
    candidate = Candidate("service_1_code", "E0601", 80, bbox=[0.1, 0.1, 0.3, 0.3])
    candidate.infer()
    page = extraction.Page(1, [], Image.new("L", (400, 100), 255))
    (after,) = refine.refine_all([candidate], [page])
    assert after.value == "E0601" and after.confidence < LOW_CONFIDENCE


@pytest.mark.django_db
def test_the_review_form_keeps_a_service_row_whose_code_is_to_be_typed():
    from inbox.models import ExtractedField
    from inbox.views.prefill import initial_values

    read = {"service_1_units": "12", "service_1_start": "2026-12-05", "service_2_code": "27447"}
    by_name = {n: ExtractedField(name=n, value=v, confidence=95) for n, v in read.items()}
    _, lines = initial_values(by_name)
    assert [(line["code"], line["units"]) for line in lines] == [("", "12"), ("27447", 1)]
