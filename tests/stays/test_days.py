"""The days arithmetic of a stay (stays.days): no database."""

from datetime import date

from stays import days as d

ADMIT = date(2026, 3, 2)


def review(level, start, end, *, approved=None):
    if approved is None:
        return d.ReviewDays(level, start, end)
    if approved == ():
        return d.ReviewDays(level, start, end, decided=True)
    return d.ReviewDays(level, start, end, True, approved[0], approved[1])


def test_used_days_count_the_admission_day_and_not_the_discharge_day():
    assert len(d.used_dates(admitted_on=ADMIT, discharged_on=date(2026, 3, 5), today=ADMIT)) == 3
    assert len(d.used_dates(admitted_on=ADMIT, discharged_on=ADMIT, today=ADMIT)) == 1
    # In house: today is being used.
    assert len(d.used_dates(admitted_on=ADMIT, discharged_on=None, today=date(2026, 3, 4))) == 3


def test_approved_used_and_remaining_on_one_level():
    reviews = [review("acute", ADMIT, date(2026, 3, 6), approved=(ADMIT, date(2026, 3, 6)))]
    days = d.day_by_day(
        admitted_on=ADMIT,
        discharged_on=None,
        today=date(2026, 3, 3),
        segments=[d.Segment("acute", ADMIT)],
        reviews=reviews,
    )
    s = d.summarise(days, reviews, discharged=False)
    assert (s.requested, s.approved, s.denied, s.used, s.remaining) == (5, 5, 0, 2, 3)
    assert s.last_covered_day == date(2026, 3, 6)
    assert s.by_level == {
        "acute": {"requested": 5, "approved": 5, "denied": 0, "used": 2, "remaining": 3}
    }


def test_partly_denied_extension_counts_denied_and_avoidable_days():
    reviews = [
        review("acute", ADMIT, date(2026, 3, 4), approved=(ADMIT, date(2026, 3, 4))),
        # 3 more days asked, 1 approved: 2 denied.
        review("acute", date(2026, 3, 5), date(2026, 3, 7), approved=(date(2026, 3, 5),) * 2),
    ]
    days = d.day_by_day(
        admitted_on=ADMIT,
        discharged_on=date(2026, 3, 8),
        today=date(2026, 3, 9),
        segments=[d.Segment("acute", ADMIT)],
        reviews=reviews,
    )
    s = d.summarise(days, reviews, discharged=True)
    assert (s.requested, s.approved, s.denied, s.used, s.remaining) == (6, 4, 2, 6, 0)
    # The member stayed on the two denied days.
    assert (s.avoidable, s.unapproved_used) == (2, 2)
    assert s.last_covered_day == date(2026, 3, 5)
    assert [x.on.day for x in days if x.denied] == [6, 7]


def test_days_across_a_level_of_care_change_are_counted_at_each_level():
    reviews = [
        review("acute", ADMIT, date(2026, 3, 5), approved=(ADMIT, date(2026, 3, 5))),
        review(
            "snf",
            date(2026, 3, 6),
            date(2026, 3, 15),
            approved=(date(2026, 3, 6), date(2026, 3, 12)),
        ),
    ]
    segments = [d.Segment("acute", ADMIT), d.Segment("snf", date(2026, 3, 6))]
    days = d.day_by_day(
        admitted_on=ADMIT,
        discharged_on=None,
        today=date(2026, 3, 8),
        segments=segments,
        reviews=reviews,
    )
    s = d.summarise(days, reviews, discharged=False)
    assert s.by_level == {
        "acute": {"requested": 4, "approved": 4, "denied": 0, "used": 4, "remaining": 0},
        "snf": {"requested": 10, "approved": 7, "denied": 3, "used": 3, "remaining": 4},
    }
    assert (s.approved, s.used, s.remaining, s.denied) == (11, 7, 4, 3)
    assert d.level_on(segments, date(2026, 3, 5)) == "acute"
    assert d.level_on(segments, date(2026, 3, 6)) == "snf"


def test_undecided_days_are_pending_not_denied():
    reviews = [review("acute", ADMIT, date(2026, 3, 3))]
    days = d.day_by_day(
        admitted_on=ADMIT,
        discharged_on=None,
        today=ADMIT,
        segments=[d.Segment("acute", ADMIT)],
        reviews=reviews,
    )
    s = d.summarise(days, reviews, discharged=False)
    assert (s.pending, s.denied, s.approved, s.last_covered_day) == (2, 0, 0, None)
    assert [(x.pending, x.denied) for x in days] == [(True, False), (True, False)]


def test_a_fully_denied_review_approves_nothing():
    reviews = [review("icu", ADMIT, date(2026, 3, 3), approved=())]
    assert (reviews[0].days_requested, reviews[0].days_approved, reviews[0].days_denied) == (
        2,
        0,
        2,
    )
