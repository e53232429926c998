"""Validation-driven correction and the second look at a field's own region: a value that fails
its check is fixed only when exactly one look-alike reading passes it; a re-read replaces the
first reading only when it is well-formed."""

import random
from datetime import date

from PIL import Image, ImageDraw, ImageFont

from inbox import extraction, refine, samples
from inbox.extraction import LOW_CONFIDENCE, Candidate, fix_icd, parse_member_id
from inbox.ocr import Word
from inbox.validation import LOOKALIKES, Records, lookalike_variants, validate

DOB = "1961-05-02"


def records(members=(), providers=(), codes=None):
    members = set(members)
    return Records(
        member_by_id_and_dob=lambda m, d: (m, d) in members,
        member_by_name_and_dob=lambda n, d: False,
        provider_name_by_npi=lambda npi: "Dr. On File" if npi in providers else None,
        known_service_codes=None if codes is None else lambda asked: set(asked) & set(codes),
    )


def checked(candidates, recs):
    return {
        c.name: (c.value, round(c.confidence), message) for c, message in validate(candidates, recs)
    }


def test_a_member_id_with_look_alike_letters_is_matched_to_the_member_on_file():
    # The letter prefix read as a digit: the parser cannot know "5UN" should be "SUN".
    recs = records(members=[("SUN100001", date(1961, 5, 2))])
    got = checked([Candidate("member_dob", DOB, 95), Candidate("member_id", "5UN100001", 80)], recs)
    assert got["member_id"] == ("SUN100001", 80, "")


def test_a_member_id_is_not_corrected_when_two_members_would_fit():
    # A 6 may be a misread 5 or 8: both members exist, so neither is guessed.
    recs = records(members=[("M2024005", date(1961, 5, 2)), ("M2024008", date(1961, 5, 2))])
    got = checked([Candidate("member_dob", DOB, 95), Candidate("member_id", "M2024006", 80)], recs)
    assert got["member_id"][0] == "M2024006"
    assert got["member_id"][2] == "No member has this member ID and date of birth."


def test_an_npi_with_one_misread_digit_is_corrected_only_to_a_provider_on_file():
    good = samples.valid_npi(random.Random(3))
    # Misread one digit as a digit that looks like it (a 0 as an 8, a 5 as a 6, ...).
    position, misread_digit = next(
        (i, x)
        for i in range(1, 9)
        for x, alikes in LOOKALIKES.items()
        if x.isdigit() and good[i] in alikes
    )
    misread = good[:position] + misread_digit + good[position + 1 :]
    on_file = checked([Candidate("requesting_npi", misread, 90)], records(providers=[good]))
    off_file = checked([Candidate("requesting_npi", misread, 90)], records())
    assert on_file["requesting_npi"] == (good, 90, "")
    assert off_file["requesting_npi"][0] == misread and off_file["requesting_npi"][2]


def test_an_icd_code_outside_the_code_set_is_corrected_but_must_be_confirmed():
    # M54.1G: G for 6, a glyph the code set cannot have in that place.
    got = checked([Candidate("diagnosis_1", "M54.1G", 97)], None)
    value, confidence, message = got["diagnosis_1"]
    assert (value, message) == ("M54.16", "")
    assert confidence < LOW_CONFIDENCE


def test_a_valid_value_is_never_changed():
    got = checked([Candidate("diagnosis_1", "M54.16", 97)], None)
    assert got["diagnosis_1"] == ("M54.16", 97, "")


def test_look_alike_variants_swap_one_or_two_characters():
    variants = lookalike_variants("O1")
    assert {"01", "OI", "0I", "D1"} <= set(variants)
    assert "O1" not in variants


def test_an_icd_code_whose_first_letter_was_read_as_a_digit_is_recovered():
    assert fix_icd("296.651,") == "Z96.651"
    assert fix_icd("$83.241A") == "S83.241A"


def test_a_member_id_keeps_its_letter_prefix_and_fixes_its_digits():
    assert parse_member_id([Word("M2O24OOI", 90, 0, 0, 10, 10)]) == "M2024001"


def test_a_one_word_label_in_the_next_box_ends_the_value():
    """A row of boxed labels: "Member ID | DOB" with the values below; the ID's value is the
    word under it, not the next box's label."""
    words = [
        Word("Member", 95, 10, 10, 60, 20),
        Word("ID", 95, 75, 10, 20, 20),
        Word("DOB", 95, 400, 10, 40, 20),
        Word("M2024001", 95, 10, 45, 100, 20),
        Word("05/02/1961", 95, 400, 45, 110, 20),
    ]
    page = extraction.Page(1, words, Image.new("L", (800, 100), 255))
    hit = extraction.find_label(page.lines, ["member id"])[0]
    assert [w.text for w in extraction.value_after(page.lines, hit)] == ["M2024001"]


def _drawn(text: str) -> extraction.Page:
    image = Image.new("L", (500, 80), 255)
    font = ImageFont.truetype("DejaVuSans.ttf", 30)
    ImageDraw.Draw(image).text((20, 20), text, fill=0, font=font)
    return extraction.Page(1, [], image)


def test_a_doubtful_code_is_read_again_from_its_region(require_tesseract):
    page = _drawn("J1745")
    first = Candidate("service_1_code", "11745", 40, bbox=[0.03, 0.2, 0.3, 0.7])
    assert refine.refine(first, page).value == "J1745"


def test_a_sure_well_formed_npi_is_not_read_again(monkeypatch):
    def no_reread(*args, **kwargs):
        raise AssertionError("a sure NPI must not cost another Tesseract run")

    monkeypatch.setattr("inbox.ocr.ocr_field", no_reread)
    npi = samples.valid_npi(random.Random(5))
    sure = Candidate("requesting_npi", npi, 96, bbox=[0.1, 0.1, 0.2, 0.2])
    assert refine.refine(sure, _drawn(npi)).value == npi


def test_a_sure_service_code_is_read_twice_and_a_disagreement_is_kept(monkeypatch):
    # A code has no check digit: 70553 read 79553 at 92 % is well-formed and sure.
    monkeypatch.setattr("inbox.ocr.ocr_field", lambda *a, **k: ("70553", 88.0))
    sure = Candidate("service_1_code", "79553", 92, bbox=[0.1, 0.1, 0.2, 0.2])
    got = refine.refine(sure, _drawn("70553"))
    assert (got.value, got.confidence, got.alternatives) == ("79553", 92, ["70553"])


def test_a_sure_service_code_read_the_same_twice_stays_sure(monkeypatch):
    monkeypatch.setattr("inbox.ocr.ocr_field", lambda *a, **k: ("72148", 97.0))
    sure = Candidate("service_1_code", "72148", 93, bbox=[0.1, 0.1, 0.2, 0.2])
    got = refine.refine(sure, _drawn("72148"))
    assert (got.value, got.confidence, got.alternatives) == ("72148", 97.0, [])


def test_a_re_read_that_is_not_well_formed_does_not_replace_the_first(monkeypatch):
    monkeypatch.setattr("inbox.ocr.ocr_field", lambda *a, **k: ("7214", 99.0))
    doubtful = Candidate("service_1_code", "72148", 50, bbox=[0.1, 0.1, 0.2, 0.2])
    assert refine.refine(doubtful, _drawn("72148")).value == "72148"


def test_a_services_table_whose_units_header_is_misread_is_still_read():
    """ "Qty" read as "aty": the code and date columns make the row the table's header."""
    header = ["Procedure", "Code", "Description", "From", "Date", "To", "Date", "aty"]
    row = {1: "73721", 2: "MRI", 3: "12/19/2026", 5: "02/16/2027", 7: "12"}  # column: text
    words = [Word(t, 95, 10 + 90 * i, 10, 80, 20) for i, t in enumerate(header)]
    words += [Word(t, 95, 10 + 90 * i, 50, 80, 20) for i, t in row.items()]
    page = extraction.Page(1, words, Image.new("L", (1000, 100), 255))
    got = {c.name: c.value for c in extraction.read_services(page, None)}
    assert got["service_1_code"] == "73721"
    assert (got["service_1_start"], got["service_1_end"]) == ("2026-12-19", "2027-02-16")


PLAN_CODES = ["72148", "70553", "73721", "J1745", "E0601"]


def test_a_well_formed_code_the_plan_does_not_know_is_flagged():
    # J1745 read 12026: the right shape, several glyphs off, no known code within reach.
    got = checked([Candidate("service_1_code", "12026", 96)], records(codes=PLAN_CODES))
    value, confidence, message = got["service_1_code"]
    assert (value, confidence) == ("12026", 96)
    assert message == "12026 is not in the plan's service catalogue: check it on the page."


def test_without_a_code_list_only_the_shape_is_checked():
    assert checked([Candidate("service_1_code", "12026", 96)], records())["service_1_code"] == (
        "12026",
        96,
        "",
    )


def test_a_hcpcs_letter_read_as_a_digit_is_proposed_from_the_plans_codes_and_flagged():
    for misread in ("41745", "11745", "I1745"):
        got = checked([Candidate("service_1_code", misread, 95)], records(codes=PLAN_CODES))
        value, confidence, message = got["service_1_code"]
        assert value == "J1745", misread
        assert confidence < LOW_CONFIDENCE  # proposed, never accepted unconfirmed
        assert message == f"Also read as {misread}: check the code on the page."


def test_an_unknown_code_near_two_known_codes_is_left_as_read():
    # 79553 may be 70553 (9 for 0) or 19553 (its first glyph lost), and the plan knows both.
    got = checked([Candidate("service_1_code", "79553", 95)], records(codes=["70553", "19553"]))
    assert got["service_1_code"][0] == "79553"
    assert got["service_1_code"][2]


def test_two_readings_that_disagree_flag_even_a_known_code():
    code = Candidate("service_1_code", "70553", 97, alternatives=["79553"])
    got = checked([code], records(codes=PLAN_CODES))
    assert got["service_1_code"] == ("70553", 97, "Also read as 79553: check the code on the page.")


def test_an_unknown_code_whose_second_reading_is_known_takes_it_flagged():
    code = Candidate("service_1_code", "79553", 92, alternatives=["70553"])
    value, confidence, message = checked([code], records(codes=PLAN_CODES))["service_1_code"]
    assert value == "70553" and confidence < LOW_CONFIDENCE and "79553" in message


def test_a_provider_name_holding_digits_is_flagged():
    # On a boxed form the NPI beside the name was read into it.
    got = checked([Candidate("requesting_name", "Dr. Helen Park 1455594345", 95)], records())
    assert got["requesting_name"][2] == "A name has no digits: check it on the page."


def test_a_provider_name_is_checked_against_the_name_on_file_for_its_npi():
    npi = samples.valid_npi(random.Random(5))
    recs = records(providers=[npi])  # on file as "Dr. On File"
    same = checked(
        [Candidate("servicing_npi", npi, 95), Candidate("servicing_name", "On File, MD", 95)], recs
    )
    assert same["servicing_name"][2] == ""  # titles, degrees and punctuation aside
    other = checked(
        [Candidate("servicing_npi", npi, 95), Candidate("servicing_name", "Dr. Priya Raman", 95)],
        recs,
    )
    assert other["servicing_name"][2] == (
        "The NPI read beside it is Dr. On File's: check the name on the page."
    )
    # Either may be the misread one (another provider's NPI read into this row), so the NPI
    # is flagged too; a name matching its NPI leaves the NPI alone.
    assert same["servicing_npi"][2] == ""
    assert other["servicing_npi"][2] == (
        "This NPI is Dr. On File's, not the name read beside it: check the NPI on the page."
    )
    digits = checked(
        [Candidate("servicing_npi", npi, 95), Candidate("servicing_name", "Dr. 1245", 95)], recs
    )
    assert digits["servicing_npi"][2] == ""  # the name is the one flagged: it holds digits


def test_units_two_readings_disagree_on_are_flagged():
    agreed = checked([Candidate("service_1_units", "3", 95, alternatives=[])], records())
    assert agreed["service_1_units"][2] == ""
    # The page reading took the cell's rule for a sure "1"; the cell read alone says 3.
    disagree = checked([Candidate("service_1_units", "1", 95, alternatives=["3"])], records())
    assert disagree["service_1_units"][2] == "Also read as 3: check the units on the page."
    empty = checked([Candidate("service_1_units", "1", 95, alternatives=[""])], records())
    assert empty["service_1_units"][2] == (
        "The cell alone shows no number: check the units on the page."
    )


def _checkbox_line(gap: int) -> extraction.Page:
    """'[ ] Standard    [X] Expedited' with `gap` pixels between each box and its caption."""
    image = Image.new("L", (900, 80), 255)
    draw = ImageDraw.Draw(image)
    words = []
    for left, caption, ticked in ((40, "Standard", False), (420, "Expedited", True)):
        draw.rectangle((left, 26, left + 30, 56), outline=0, width=3)
        if ticked:
            draw.line((left + 6, 32, left + 24, 50), fill=0, width=4)
            draw.line((left + 24, 32, left + 6, 50), fill=0, width=4)
        words.append(Word(caption, 95, left + 30 + gap, 30, 120, 24))
    return extraction.Page(1, words, image)


def test_the_ticked_box_is_found_whatever_the_gap_to_its_caption():
    # Forms leave their own gap between a box and its caption; a box looked for at one fixed
    # distance lands on an empty box's border on some layouts (expedited read standard at 97).
    for gap in (8, 20, 40):
        choice = extraction.read_choice(_checkbox_line(gap), extraction.URGENCY_WORDS, "urgency")
        assert (gap, choice.value) == (gap, "expedited")
        assert choice.confidence >= LOW_CONFIDENCE


def test_a_provider_name_read_with_stray_punctuation_becomes_the_name_on_file():
    npi = samples.valid_npi(random.Random(5))
    got = checked(
        [Candidate("servicing_npi", npi, 95), Candidate("servicing_name", "On:File", 95)],
        records(providers=[npi]),
    )
    assert got["servicing_name"] == ("Dr. On File", 95, "")


def test_a_clinical_reason_read_by_ocr_is_always_compared_with_the_page():
    read = Candidate("clinical_reason", "Severe osteoarthritis with borie-on-bone changes.", 96)
    read.bbox = [0.1, 0.5, 0.9, 0.55]
    assert checked([read], records())["clinical_reason"][2].startswith("Read from the page image")
    # A fillable PDF's field is exact: nothing to compare.
    typed = Candidate("clinical_reason", "Severe osteoarthritis.", 100)
    assert checked([typed], records())["clinical_reason"][2] == ""


def test_a_misread_label_in_the_next_box_is_not_taken_for_the_value():
    """A boxed row "MEMBER ID ... DOB" whose DOB label was read "bDoB": the value is the word
    under the label, and "bDoB" still reads as the DOB label."""
    words = [
        Word("MEMBER", 96, 634, 321, 90, 16),
        Word("ID", 96, 732, 322, 20, 15),
        Word("bDoB", 19, 1100, 321, 60, 17),
        Word("M8968567", 91, 634, 347, 140, 23),
        Word("09/15/1957", 95, 1099, 347, 160, 25),
    ]
    page = extraction.Page(1, words, Image.new("L", (1700, 400), 255))
    hit = extraction.find_label(page.lines, ["member id"])[0]
    assert [w.text for w in extraction.value_after(page.lines, hit)] == ["M8968567"]
    dob = extraction.find_label(page.lines, ["dob"])[0]
    assert [w.text for w in extraction.value_after(page.lines, dob)] == ["09/15/1957"]


def test_a_provider_name_without_a_provider_on_file_beside_it_is_flagged():
    recs = records()
    read = Candidate("servicing_name", "R iverside Surgical Group", 90, bbox=[0.1, 0.1, 0.3, 0.2])
    assert checked([read], recs)["servicing_name"][2] == (
        "No NPI on file beside it to confirm the name: check it on the page."
    )
    typed = Candidate("servicing_name", "Riverside Surgical Group", 100)  # a fillable PDF's field
    assert checked([typed], recs)["servicing_name"][2] == ""


def test_a_service_date_far_from_the_arrival_is_flagged():
    arrived = date(2026, 12, 6)
    read = [
        Candidate("service_1_start", "2026-02-09", 96),  # 2026-12-09 with a digit misread
        Candidate("service_1_end", "2026-12-30", 96),
        Candidate("service_2_start", "2026-11-20", 96),  # a fortnight back: retrospective, fine
        Candidate("service_2_end", "2028-01-10", 96),
    ]
    got = {c.name: m for c, m in validate(read, None, arrived)}
    assert got["service_1_start"] == (
        "More than a month before the fax arrived: check the date on the page."
    )
    assert got["service_1_end"] == got["service_2_start"] == ""
    assert (
        got["service_2_end"]
        == "More than a year after the fax arrived: check the date on the page."
    )
    assert {c.name: m for c, m in validate(read, None)}["service_1_start"] == ""


def test_two_label_words_read_as_one_are_split_and_a_look_alike_short_label_is_found():
    from inbox.layout import _token_match, split_joined_label

    joined = Word("ID.Number:", 90, 100, 10, 100, 12)
    first, second = split_joined_label(joined)
    assert (first.text, second.text) == ("ID.", "Number:")
    assert first.left == 100 and second.right == joined.right
    assert [w.text for w in split_joined_label(Word("Dr.Park", 90, 0, 0, 70, 12))] == ["Dr.Park"]
    assert _token_match("bob", "dob")  # "BoB": the D read as its look-alike B
    assert not _token_match("dos", "dob")  # date of service is another label
