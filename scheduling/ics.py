"""Calendar invites (RFC 5545 / iTIP RFC 5546) for peer-to-peer calls, built with icalendar.

Our one module that knows the .ics format. No PHI: the summary carries the case reference only.
"""

from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

from .models import PeerToPeer

PRODID = "-//UM Portal//Peer-to-peer review//EN"


def _address(email: str, name: str, **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    for key, value in params.items():
        address.params[key.replace("_", "-")] = vText(value)
    return address


def invite_method(p2p: PeerToPeer) -> str:
    """REQUEST for a standing booking (new or moved), CANCEL once it is called off."""
    return "CANCEL" if p2p.status == PeerToPeer.Status.CANCELLED else "REQUEST"


def build_invite(p2p: PeerToPeer, *, stamp: datetime | None = None) -> bytes:
    """The .ics for the booking as it stands: one UID per booking, SEQUENCE from the row."""
    slot, director = p2p.slot, p2p.slot.director
    method = invite_method(p2p)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", p2p.ics_uid)
    event.add("sequence", p2p.sequence)
    event.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", slot.starts_at.astimezone(UTC))
    event.add("dtend", slot.ends_at.astimezone(UTC))
    event.add("summary", f"Peer-to-peer review: case {p2p.care_request.reference}")
    event.add(
        "description",
        f"Peer-to-peer discussion of case {p2p.care_request.reference} with "
        f"{director.display_name}. The medical director calls "
        f"{p2p.provider_contact_name} at {p2p.provider_contact_phone}.",
    )
    event.add("location", f"Telephone: {p2p.provider_contact_phone}")
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("organizer", _address(director.email, director.display_name))
    event.add(
        "attendee",
        _address(director.email, director.display_name, role="CHAIR", partstat="ACCEPTED"),
    )
    if p2p.provider_contact_email:
        event.add(
            "attendee",
            _address(
                p2p.provider_contact_email,
                p2p.provider_contact_name,
                role="REQ-PARTICIPANT",
                partstat="NEEDS-ACTION",
                rsvp="TRUE",
            ),
        )
    cal.add_component(event)
    return cal.to_ical()
