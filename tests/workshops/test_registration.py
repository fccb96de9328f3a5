"""Registration per date: places, the waiting list in order, promotion of
exactly one learner when a place frees, cancellation until the cut-off, and
the e-mails with their calendar invitations."""

import datetime as dt
from datetime import time, timedelta

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from training_platform.accounts.factories import UserFactory
from workshops import services
from workshops.models import Registration, RegistrationStatus

from .conftest import days_ahead

pytestmark = pytest.mark.django_db


def _ics(message):
    for name, content, mimetype in message.attachments:
        if name.endswith(".ics"):
            return icalendar.Calendar.from_ical(content), mimetype
    return None, None


def test_full_date_puts_learners_on_the_waiting_list_in_order(
    course, make_session, enrol, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1)
    people = [UserFactory() for _ in range(3)]
    for person in people:
        enrol(person, course)
        with django_capture_on_commit_callbacks(execute=True):
            services.registration_create(user=person, session=session)
    rows = list(Registration.objects.order_by("pk"))
    assert [r.status for r in rows] == ["registered", "waiting", "waiting"]
    # The first learner cancels: exactly the first waiting learner moves up.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(user=people[0], session=session, by=people[0])
    rows = list(Registration.objects.order_by("pk"))
    assert [r.status for r in rows] == ["cancelled", "registered", "waiting"]
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[people[1].email].startswith("A place is free for you")
    assert subjects[people[0].email].startswith("Cancelled")
    assert people[2].email not in subjects


def test_invitation_is_an_ics_request_with_the_time_zone_and_a_stable_uid(
    course, make_session, learner, enrol, django_capture_on_commit_callbacks
):
    session = make_session(
        dates=[(days_ahead(10), time(9, 30), time(12), "Asia/Tashkent")]
    )
    enrol(learner, course)
    with django_capture_on_commit_callbacks(execute=True):
        (registration,) = services.registration_create(user=learner, session=session)
    message = mail.outbox[-1]
    assert "09:30–12:00 (Asia/Tashkent)" in message.body
    calendar, mimetype = _ics(message)
    assert "method=REQUEST" in mimetype
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == f"registration-{registration.uid}@127.0.0.1"
    assert event["SEQUENCE"] == 0
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Asia/Tashkent"
    assert (start.hour, start.minute) == (9, 30)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Asia/Tashkent"

    # The trainer moves the date: the same UID, a higher SEQUENCE.
    mail.outbox.clear()
    date = session.dates.get()
    date.start_time = time(10)
    with django_capture_on_commit_callbacks(execute=True):
        date.save()
    calendar, _mimetype = _ics(mail.outbox[-1])
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == f"registration-{registration.uid}@127.0.0.1"
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART").hour == 10

    # Cancelled: METHOD CANCEL for the same event.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(user=learner, session=session, by=learner)
    calendar, mimetype = _ics(mail.outbox[-1])
    assert calendar["METHOD"] == "CANCEL" and "method=CANCEL" in mimetype
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == f"registration-{registration.uid}@127.0.0.1"
    assert event["SEQUENCE"] == 2
    assert event["STATUS"] == "CANCELLED"


def test_repeated_registration_is_a_no_op(course, session, learner, enrol):
    enrol(learner, course)
    first = services.registration_create(user=learner, session=session)
    again = services.registration_create(user=learner, session=session)
    assert [r.pk for r in first] == [r.pk for r in again]
    assert Registration.objects.count() == 2  # one per date of the session


def test_registration_needs_an_enrolment(session, learner):
    with pytest.raises(services.RegistrationError) as error:
        services.registration_create(user=learner, session=session)
    assert error.value.code == "not_enrolled"


def test_registration_after_the_deadline_is_refused(
    course, make_session, learner, enrol
):
    session = make_session(registration_deadline=timezone.now() - timedelta(hours=1))
    enrol(learner, course)
    with pytest.raises(services.RegistrationError) as error:
        services.registration_create(user=learner, session=session)
    assert error.value.code == "closed"


def test_cancellation_after_the_cut_off_is_refused(
    client, course, make_session, learner, enrol
):
    # A date starting 11 to 12 hours from now, whatever the time of day.
    soon = (timezone.now() + timedelta(hours=11)).astimezone(dt.UTC)
    session = make_session(
        cancellation_cutoff_hours=24,
        dates=[(soon.date(), time(soon.hour), time(soon.hour, 59), "UTC")],
    )
    assert session.dates.get().starts_at - timezone.now() < timedelta(hours=12)
    enrol(learner, course)
    services.registration_create(user=learner, session=session)
    with pytest.raises(services.RegistrationError) as error:
        services.session_cancel(user=learner, session=session, by=learner)
    assert error.value.code == "cut_off"
    assert Registration.objects.get().status == RegistrationStatus.REGISTERED
    # The page offers no cancel button it would refuse, and says what to do.
    client.force_login(learner)
    body = client.get(session.url).content.decode()
    assert "Cancel my registration" not in body
    assert "too late to cancel online" in body


def test_calendar_feed_lists_the_learners_sessions_and_can_be_revoked(
    client, course, session, learner, enrol
):
    enrol(learner, course)
    services.registration_create(user=learner, session=session)
    client.force_login(learner)
    client.post("/en/workshops/calendar/", {"action": "create"})
    token = learner.calendar_feed.token
    client.logout()
    response = client.get(f"/en/workshops/calendar/{token}.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    assert str(events[0].decoded("DTSTART").tzinfo) == "Europe/Tirane"
    client.force_login(learner)
    client.post("/en/workshops/calendar/", {"action": "renew"})
    client.logout()
    assert client.get(f"/en/workshops/calendar/{token}.ics").status_code == 404


def test_more_places_on_publish_promote_the_waiting_list_in_order(
    course, make_session, enrol
):
    session = make_session(capacity=1)
    people = [UserFactory() for _ in range(3)]
    for person in people:
        enrol(person, course)
        services.registration_create(user=person, session=session)
    session.capacity = 2
    session.save_revision().publish()
    statuses = [
        Registration.objects.get(user=p, session=session).status for p in people
    ]
    assert statuses == ["registered", "registered", "waiting"]


def test_a_removed_date_cancels_its_registrations(
    course, session, learner, enrol, django_capture_on_commit_callbacks
):
    enrol(learner, course)
    services.registration_create(user=learner, session=session)
    second = session.dates.order_by("starts_at").last()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    cancelled = Registration.objects.get(user=learner, status="cancelled")
    assert cancelled.date is None
    calendar, _mimetype = _ics(mail.outbox[-1])
    assert calendar["METHOD"] == "CANCEL"
