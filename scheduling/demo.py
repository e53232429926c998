"""Demo data for peer-to-peer scheduling: holidays, directors' availability and slots, and a few
denied cases with booked and completed calls. Idempotent; built through the real services."""

import random
from datetime import UTC, date, datetime, time, timedelta

from django.test.utils import override_settings
from django.utils import timezone

from determinations.demo import demo_criteria_set, letters_render_pending
from determinations.services import LineDecisionInput, determination_issue
from intake.demo import SERVICES
from intake.demo_cases import demo_case
from intake.models import CareRequest
from intake.services.transitions import care_request_transition

from .holidays import us_federal_holidays
from .models import AvailabilityException, AvailabilityRule, Holiday, PeerToPeer, Slot
from .selectors import free_slots
from .services.availability import director_zone, slots_generate
from .services.booking import p2p_book
from .services.calls import peer_to_peer_record_outcome

# username: [(weekdays, start, end)] on the director's own clock
PATTERNS = {
    "director": [((0, 1, 2, 3, 4), time(9), time(12)), ((0, 1, 2, 3, 4), time(14), time(16))],
    "director2": [((0, 1, 3), time(8), time(11)), ((2,), time(13), time(17))],
}


def seed_holidays(today: date) -> None:
    for year in (today.year, today.year + 1):
        for day, name in us_federal_holidays(year):
            Holiday.objects.get_or_create(date=day, defaults={"name": name})


def seed_availability(director, patterns, today: date) -> None:
    if AvailabilityRule.objects.filter(director=director).exists():
        return
    for weekdays, start, end in patterns:
        for weekday in weekdays:
            AvailabilityRule.objects.create(
                director=director,
                weekday=weekday,
                start_time=start,
                end_time=end,
                valid_from=today,
            )
    # Federal holidays in the coming weeks are days off.
    for holiday in Holiday.objects.filter(date__gte=today, date__lte=today + timedelta(days=35)):
        AvailabilityException.objects.get_or_create(
            director=director, date=holiday.date, defaults={"reason": holiday.name}
        )


LUMBAR_MRI = next(s for s in SERVICES if s.code == "72148")
DENIAL_RATIONALE = (
    "The notes describe lower back pain for three weeks without weakness or numbness, and no "
    "physical therapy or other treatment has been tried yet; the guideline asks for six weeks "
    "of treatment first."
)


def _deny(case: CareRequest, *, users: dict) -> CareRequest:
    """Nurse refers, the director denies through determinations' service, so the denial has
    its reason, criterion and both letters like any other."""
    care_request_transition(care_request=case, name="triage", actor=users["intake"])
    care_request_transition(care_request=case, name="refer_to_md", actor=users["nurse"])
    case.refresh_from_db()
    determination_issue(
        case=case,
        director=users["director"],
        line_decisions=[
            LineDecisionInput(
                service_line=line,
                outcome="denied",
                reason_code="not_med_necessary",
                rationale=DENIAL_RATIONALE,
                criteria_set=demo_criteria_set(line.code),
                criterion=demo_criteria_set(line.code).criteria.first(),
            )
            for line in case.service_lines.all()
        ],
    )
    case.refresh_from_db()
    return case


def _past_slot(director, days_ago: int) -> Slot:
    """A slot that already happened, at 10:00 on the director's clock."""
    tz = director_zone(director)
    day = timezone.localdate() - timedelta(days=days_ago)
    while day.weekday() > 4:
        day -= timedelta(days=1)
    start = datetime.combine(day, time(10), tzinfo=tz).astimezone(UTC)
    slot, _ = Slot.objects.get_or_create(
        director=director, starts_at=start, defaults={"ends_at": start + timedelta(minutes=30)}
    )
    return slot


def _book(case, slot, users, *, now=None) -> PeerToPeer:
    provider_org = case.provider_organization
    return p2p_book(
        case=case,
        slot=slot,
        actor=users["nurse"],
        contact_name=case.requesting_provider.name,
        contact_phone=case.requesting_provider.phone or "555-0100",
        contact_email=provider_org.email if provider_org else "",
        now=now,
    )


def seed_peer_to_peer(*, users: dict, rng: random.Random) -> None:
    """Four denied cases: one still open for a P2P, one booked, one upheld, one overturned."""
    if PeerToPeer.objects.exists():
        return
    lakeside = users["provider"].provider_organization
    cases = [
        _deny(
            demo_case(
                rng=rng,
                actor=users["intake"],
                hours_ago=100 + 20 * i,
                provider_organization=lakeside,
                service=LUMBAR_MRI,
            ),
            users=users,
        )
        for i in range(4)
    ]
    _, booked, upheld, overturned = cases
    now = timezone.now()
    upcoming = free_slots(now=now + timedelta(days=1)).first()
    if upcoming is not None:
        _book(booked, upcoming, users)
    for case, days_ago, decision in ((upheld, 3, "upheld"), (overturned, 2, "changed")):
        slot = _past_slot(users["director"], days_ago)
        p2p = _book(case, slot, users, now=slot.starts_at - timedelta(days=1))
        peer_to_peer_record_outcome(
            p2p=p2p,
            director=users["director"],
            call_status="completed",
            attendees=f"{users['director'].display_name}; {p2p.provider_contact_name}",
            started_at=slot.starts_at + timedelta(minutes=1),
            ended_at=slot.starts_at + timedelta(minutes=18),
            notes="Discussed the conservative treatment history and imaging findings.",
            decision=decision,
            rationale=(
                "The provider sent therapy notes showing eight weeks of physical therapy; "
                "the criteria are met."
                if decision == "changed"
                else ""
            ),
        )
    letters_render_pending()  # the denial and overturn letters, as PDFs, like the others


def seed_scheduling(*, users: dict, rng: random.Random, log=print) -> None:
    today = timezone.localdate()
    # Demo seeding should not print a dozen invites to the console; the rows are what matter.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        seed_holidays(today)
        for username, patterns in PATTERNS.items():
            director = users[username]
            seed_availability(director, patterns, today)
            slots_generate(director=director)
        log("Directors' availability and peer-to-peer slots ready.")
        seed_peer_to_peer(users=users, rng=rng)
        log("Peer-to-peer demo calls ready (one booked, one upheld, one overturned).")
