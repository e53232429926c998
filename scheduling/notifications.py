"""Peer-to-peer e-mail: invites, reminders and the no-slot alert, through Django's e-mail backend.

Subjects carry the case reference at most, never a member's name or a diagnosis.
"""

import copy
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from intake.models import CareRequest
from um_portal.accounts.models import User
from um_portal.accounts.roles import Role

from .ics import build_invite, invite_method
from .models import PeerToPeer
from .services.availability import director_zone


def _render(template: str, context: dict) -> str:
    """Render with the context's `zone` active: Django's date filter shows an aware time in the
    active time zone, so without this every reader would get the plan's clock labelled as
    their own."""
    zone = context.get("zone")
    if not zone:
        return render_to_string(template, context)
    with timezone.override(ZoneInfo(zone)):
        return render_to_string(template, context)


def _site(path: str) -> str:
    return settings.SITE_URL + path


def _provider_zone(p2p: PeerToPeer) -> ZoneInfo:
    """The provider's clock: the portal user's own time zone when a provider booked the call,
    else the plan's (a nurse booking by phone does not know the office's zone)."""
    booker = p2p.requested_by
    if booker is not None and booker.has_role(Role.PROVIDER):
        try:
            return ZoneInfo(booker.time_zone)
        except (ValueError, KeyError):
            pass  # an unknown zone name in the profile: fall back to the plan's
    return ZoneInfo(settings.TIME_ZONE)


def _recipients(p2p: PeerToPeer) -> list[tuple[str, ZoneInfo, str]]:
    """(address, zone for the times in the body, side) for the director and the provider."""
    director = p2p.slot.director
    out = [(director.email, director_zone(director), "director")] if director.email else []
    if p2p.provider_contact_email:
        out.append((p2p.provider_contact_email, _provider_zone(p2p), "provider"))
    return out


def send_invites(p2p: PeerToPeer) -> int:
    """Send both sides the invite (or its cancellation) as it stands; returns messages sent."""
    method = invite_method(p2p)
    ics = build_invite(p2p)
    verb = "cancelled" if method == "CANCEL" else ("updated" if p2p.sequence else "booked")
    sent = 0
    director_link = _site(reverse("scheduling:p2p", args=[p2p.pk]))
    for address, tz, side in _recipients(p2p):
        body = _render(
            "emails/p2p_invite.txt",
            {
                "p2p": p2p,
                "verb": verb,
                "side": side,
                "starts": p2p.slot.starts_at.astimezone(tz),
                "ends": p2p.slot.ends_at.astimezone(tz),
                "zone": tz.key,
                "link": director_link if side == "director" else "",
            },
        )
        message = EmailMessage(
            subject=f"Peer-to-peer {verb}: case {p2p.care_request.reference}",
            body=body,
            to=[address],
        )
        message.attach("invite.ics", ics, f"text/calendar; method={method}; charset=UTF-8")
        sent += message.send()
    return sent


def send_release(p2p: PeerToPeer, old_slot) -> int:
    """Tell the director a call was moved away from (to another director's time) that it is off
    their calendar: METHOD:CANCEL for the same UID at the booking's new SEQUENCE, with the old
    time. The new director and the provider get the updated REQUEST from send_invites."""
    director = old_slot.director
    if not director.email or director.pk == p2p.slot.director_id:
        return 0
    released = copy.copy(p2p)
    released.slot = old_slot
    released.status = PeerToPeer.Status.CANCELLED
    released.provider_contact_email = ""  # the provider's calendar keeps the moved call
    tz = director_zone(director)
    body = _render(
        "emails/p2p_invite.txt",
        {
            "p2p": released,
            "verb": "cancelled",
            "side": "director",
            "starts": old_slot.starts_at.astimezone(tz),
            "ends": old_slot.ends_at.astimezone(tz),
            "zone": tz.key,
            "link": "",
        },
    )
    message = EmailMessage(
        subject=f"Peer-to-peer moved to another director: case {p2p.care_request.reference}",
        body=body,
        to=[director.email],
    )
    message.attach(
        "invite.ics", build_invite(released), "text/calendar; method=CANCEL; charset=UTF-8"
    )
    return message.send()


def send_reminder(p2p: PeerToPeer) -> int:
    sent = 0
    for address, tz, side in _recipients(p2p):
        body = _render(
            "emails/p2p_reminder.txt",
            {"p2p": p2p, "side": side, "starts": p2p.slot.starts_at.astimezone(tz), "zone": tz.key},
        )
        sent += EmailMessage(
            subject=f"Reminder: peer-to-peer call, case {p2p.care_request.reference}",
            body=body,
            to=[address],
        ).send()
    return sent


def send_no_slot_alert(case: CareRequest, recipients: list[User]) -> int:
    addresses = [u.email for u in recipients if u.email]
    if not addresses:
        return 0
    body = _render(
        "emails/p2p_no_slot.txt",
        {"case": case, "link": _site(reverse("scheduling:book", args=[case.pk]))},
    )
    return EmailMessage(
        subject=f"No peer-to-peer slot within one business day: case {case.reference}",
        body=body,
        to=addresses,
    ).send()
