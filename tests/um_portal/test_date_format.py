"""One date-time format on every page, in the plan's named time zone (um_portal.lib
template_formats), instead of "Dec 4, 10:44", "12/04/2026 10:44" and "2026-12-04 10:40"."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

from django.template import Context, Template

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Letters and e-mails speak the member's language; the P2P calendar shows each reader's own zone,
# named; a chart's axis labels and machine-readable attributes are not dates for reading.
OWN_FORMATS = re.compile(r"templates/(letters|emails|scheduling)/|_pdf\.html$")
ALLOWED = {"c", "Y-m"}


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


def test_no_page_template_formats_a_date_its_own_way():
    strays = []
    for path in TEMPLATES.rglob("*.html"):
        if OWN_FORMATS.search(path.as_posix()):
            continue
        for fmt in re.findall(r"""\|date:["']([^"']*)["']""", path.read_text()):
            if fmt not in ALLOWED:
                strays.append(f"{path.relative_to(TEMPLATES)}: {fmt}")
    assert strays == []
