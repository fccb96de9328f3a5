"""The session page: a course item under a module, with its dates, venue,
registration buttons and waiting-list position; the meeting link only for
registered learners; within ten queries and never stored by a shared cache."""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import ModulePage
from training_platform.accounts.factories import UserFactory
from workshops import services
from workshops.models import SessionPage

from .conftest import days_ahead

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def test_session_page_is_a_course_item_allowed_under_a_module(course, session):
    assert "workshops.SessionPage" in ModulePage.subpage_types
    items = course.get_course_items()
    assert any(isinstance(i, SessionPage) for i in items)
    assert session.dates.count() == 2
    first = session.dates.order_by("starts_at").first()
    assert first.local_start.hour == 9
    assert str(first.local_start.tzinfo) == "Europe/Tirane"
    assert first.hours == 8


def test_unenrolled_learner_is_sent_to_the_course(client, learner, course, session):
    client.force_login(learner)
    response = client.get(session.url)
    assert response.status_code == 302
    assert response["Location"] == course.url


def test_learner_registers_and_sees_dates_venue_and_link(
    client, learner, course, make_session, enrol
):
    session = make_session(
        kind="hybrid", meeting_link="https://meet.example.org/abc", capacity=5
    )
    enrol(learner, course)
    client.force_login(learner)
    response = client.get(session.url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tirana" in body and "Register" in body
    # The venue's wall-clock time, not the server's.
    assert "09:00–17:00" in body and "Europe/Tirane" in body
    assert "https://meet.example.org/abc" not in body  # not registered yet
    assert "private" in response["Cache-Control"]
    response = client.post(session.url + "register/")
    assert response.status_code == 302
    body = client.get(session.url).content.decode()
    assert "https://meet.example.org/abc" in body
    assert "Cancel my registration" in body


def test_meeting_link_hidden_from_the_unregistered_and_waiting(
    client, course, make_session, enrol
):
    """A01: the meeting link is for registered learners only."""
    session = make_session(
        kind="online",
        meeting_link="https://meet.example.org/xyz",
        capacity=1,
        venue_city="",
    )
    first, second = UserFactory(), UserFactory()
    for person in (first, second):
        enrol(person, course)
        services.registration_create(user=person, session=session)
    client.force_login(second)
    body = client.get(session.url).content.decode()
    assert "https://meet.example.org/xyz" not in body
    assert "Waiting list: number 1" in body


def test_session_page_within_ten_queries(client, learner, course, session, enrol):
    enrol(learner, course)
    services.registration_create(user=learner, session=session)
    client.force_login(learner)
    client.get(session.url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(session.url)
    assert response.status_code == 200
    print("session page queries", len(context.captured_queries))
    assert len(context.captured_queries) <= MAX_QUERIES, [
        q["sql"][:120] for q in context.captured_queries
    ]


def test_alternative_dates_register_for_one(
    client, learner, course, make_session, enrol
):
    session = make_session(
        every_date_required=False,
        dates=[
            (days_ahead(7), time(10), time(12)),
            (days_ahead(14), time(10), time(12)),
        ],
    )
    enrol(learner, course)
    first, second = session.dates.order_by("starts_at")
    client.force_login(learner)
    client.post(session.url + "register/", {"date": second.pk})
    rows = list(session.registrations.all())
    assert [r.date_id for r in rows] == [second.pk]
    with pytest.raises(services.RegistrationError):
        services.registration_create(user=learner, session=session, date=first)
