"""One date-time format on every page, in the plan's named time zone (um_portal.lib
template_formats), instead of "Dec 4, 10:44", "12/04/2026 10:44" and "2026-12-04 10:40"."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from django.template import Context, Template

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Letters and e-mails speak the member's language; a chart's axis labels, machine-readable
# attributes and a calendar's weekday name ("l", beside the |day date) are not dates for reading.
OWN_FORMATS = re.compile(r"templates/(letters|emails)/|_pdf\.html$")
ALLOWED = {"c", "Y-m", "l"}


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_a_moment_is_shown_in_the_plans_time_zone_with_its_name(settings):
    settings.TIME_ZONE = "America/New_York"
    moment = datetime(2026, 12, 4, 15, 44, tzinfo=UTC)
    assert render("{{ t|when }}", t=moment) == "2026-12-04 10:44 EST"
    assert render("{{ t|when }}", t=datetime(2026, 7, 4, 15, 44, tzinfo=UTC)) == (
        "2026-07-04 11:44 EDT"
    )


def test_a_date_is_shown_year_first_and_a_moment_as_its_day_in_the_plans_zone(settings):
    settings.TIME_ZONE = "America/New_York"
    assert render("{{ d|day }}", d=date(2026, 3, 9)) == "2026-03-09"
    # 02:00 UTC on 5 December is still 4 December in New York.
    assert render("{{ t|day }}", t=datetime(2026, 12, 5, 2, 0, tzinfo=UTC)) == "2026-12-04"
    assert render("{{ d|day }}{{ t|when }}", d=None, t=None) == ""


def test_a_call_is_shown_as_one_span_in_the_plans_zone(settings):
    settings.TIME_ZONE = "America/New_York"
    start = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    end = datetime(2026, 12, 4, 15, 30, tzinfo=UTC)
    assert render("{{ a|span:b }}", a=start, b=end) == "2026-12-04 10:00–10:30 EST"
    assert render("{{ a|clock }}", a=start) == "10:00"
    late = datetime(2026, 12, 5, 4, 30, tzinfo=UTC)  # 23:30 in New York, 04:30 UTC next day
    assert render("{{ a|span:b }}", a=late - timedelta(hours=1), b=late) == (
        "2026-12-04 22:30–23:30 EST"
    )
    assert render("{{ a|span:b }}", a=late, b=late + timedelta(hours=1)) == (
        "2026-12-04 23:30 EST – 2026-12-05 00:30 EST"
    )


class _Reader:
    def __init__(self, zone):
        self.user = type("User", (), {"time_zone": zone})()


def test_a_reader_on_another_clock_sees_the_plans_time_first_then_their_own(settings):
    settings.TIME_ZONE = "America/New_York"
    moment = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    source = "{{ t|when }}{% your_time t %}"
    assert render(source, t=moment, request=_Reader("America/Los_Angeles")) == (
        "2026-12-04 10:00 EST (your time: 2026-12-04 07:00 PST)"
    )
    # Same zone, a zone that reads the same clock, no zone, a bad zone, no reader: nothing added.
    for zone in ("America/New_York", "America/Toronto", "", "Mars/Olympus"):
        assert render(source, t=moment, request=_Reader(zone)) == "2026-12-04 10:00 EST"
    assert render(source, t=moment) == "2026-12-04 10:00 EST"


def test_no_page_template_formats_a_date_its_own_way():
    strays = []
    for path in TEMPLATES.rglob("*.html"):
        if OWN_FORMATS.search(path.as_posix()):
            continue
        for fmt in re.findall(r"""\|date:["']([^"']*)["']""", path.read_text()):
            if fmt not in ALLOWED:
                strays.append(f"{path.relative_to(TEMPLATES)}: {fmt}")
    assert strays == []
