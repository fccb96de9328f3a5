"""iCalendar (RFC 5545 / iTIP) invitations and feeds, built with the
``icalendar`` package. Each registration is one event whose UID stays the
same for its whole life; SEQUENCE rises with every change, so a calendar
replaces the earlier version (METHOD REQUEST) or removes it (METHOD CANCEL)."""

import zoneinfo
from urllib.parse import urlparse

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags

PRODID = "-//Training platform//Workshops//EN"


def _host() -> str:
    return urlparse(settings.SITE_URL).hostname or "localhost"


def _calendar(method=None):
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def _location(session) -> str:
    parts = [session.venue_address, session.venue_city]
    if session.venue_country_id:
        parts.append(session.venue_country.name)
    place = ", ".join(p for p in parts if p)
    if session.is_online and not place:
        return session.meeting_link
    return place


def _event(registration, *, cancelled=False, with_link=True):
    session = registration.session
    date = registration.date
    event = icalendar.Event()
    event.add("uid", f"registration-{registration.uid}@{_host()}")
    event.add("sequence", registration.sequence)
    event.add("dtstamp", timezone.now())
    event.add("summary", session.title)
    if date is not None:
        tz = zoneinfo.ZoneInfo(date.time_zone)
        event.add("dtstart", date.starts_at.astimezone(tz))
        event.add("dtend", date.ends_at.astimezone(tz))
    location = _location(session)
    if location:
        event.add("location", location)
    description = strip_tags(session.description or "").strip()
    url = f"{settings.SITE_URL}{session.url or ''}"
    if with_link and session.is_online and session.meeting_link and not cancelled:
        description = f"{description}\n\n{session.meeting_link}".strip()
        event.add("conference", session.meeting_link, parameters={"value": "URI"})
    event.add("description", f"{description}\n\n{url}".strip())
    event.add("url", url)
    from_email = settings.DEFAULT_FROM_EMAIL
    organizer = from_email.split("<")[-1].rstrip(">").strip()
    event.add("organizer", f"mailto:{organizer}")
    attendee = icalendar.vCalAddress(f"mailto:{registration.user.email}")
    attendee.params["cn"] = registration.user.full_name
    attendee.params["role"] = "REQ-PARTICIPANT"
    event.add("attendee", attendee)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _with_timezones(calendar):
    calendar.add_missing_timezones()
    return calendar


def invitation(registration, method=None) -> bytes:
    """METHOD REQUEST for a place, METHOD CANCEL for a cancelled one."""
    method = method or ("CANCEL" if registration.status == "cancelled" else "REQUEST")
    cancelled = method == "CANCEL"
    calendar = _calendar(method)
    calendar.add_component(_event(registration, cancelled=cancelled))
    return _with_timezones(calendar).to_ical()


def feed(registrations, *, name) -> bytes:
    """A learner's sessions as a subscribed calendar (no METHOD)."""
    calendar = _calendar()
    calendar.add("x-wr-calname", name)
    for registration in registrations:
        calendar.add_component(_event(registration))
    return _with_timezones(calendar).to_ical()
