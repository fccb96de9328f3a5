"""Attendance: the QR check-in (signed, time-limited, within the date's
window, once per learner, for its own date only), the register for trainers
and coordinators (scoped to their countries), walk-ins, and the attendance
rule completing the session item and the course exactly once."""

from datetime import time, timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.utils import timezone

from courses.models import CourseCompletion, ItemProgress
from courses.signals import course_completed
from training_platform.accounts.factories import UserFactory
from training_platform.accounts.models import Country
from workshops import checkin, services
from workshops.models import Attendance

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_session(course, make_session):
    """A one-date session on now (started an hour ago, ends in three)."""
    now = timezone.now().replace(second=0, microsecond=0)
    midnight = now.replace(hour=0, minute=0)
    start = max(now - timedelta(hours=1), midnight)
    end = min(now + timedelta(hours=3), midnight + timedelta(hours=23, minutes=59))
    return make_session(dates=[(now.date(), start.time(), end.time(), "UTC")])


def _registered(person, course, session, enrol, trainer):
    enrol(person, course)
    services.registration_create(user=person, session=session, by=trainer)


def test_check_in_within_the_window_is_recorded_once(
    course, live_session, learner, enrol, trainer
):
    date = live_session.dates.get()
    _registered(learner, course, live_session, enrol, trainer)
    token = checkin.make_token(date)
    services.check_in(date=date, user=learner, token=token)
    with pytest.raises(services.RegistrationError) as error:
        services.check_in(date=date, user=learner, token=token)
    assert error.value.code == "already"
    assert Attendance.objects.filter(date=date, user=learner).count() == 1


def test_check_in_refusals(course, make_session, live_session, learner, enrol, trainer):
    """Outside the window, forged, expired, and another session's code."""
    date = live_session.dates.get()
    _registered(learner, course, live_session, enrol, trainer)
    token = checkin.make_token(date)
    # Outside the window: an hour after the end.
    with pytest.raises(services.RegistrationError) as error:
        services.check_in(
            date=date, user=learner, token=token, now=date.ends_at + timedelta(hours=1)
        )
    assert error.value.code == "outside_window"
    # Forged: the date's id signed with another key.
    forged = signing.TimestampSigner(key="not-the-key", salt="x").sign(str(date.pk))
    with pytest.raises(services.RegistrationError) as error:
        services.check_in(date=date, user=learner, token=forged)
    assert error.value.code == "bad_code"
    # Another session's code.
    other = make_session(title="Other workshop")
    with pytest.raises(services.RegistrationError) as error:
        services.check_in(
            date=date, user=learner, token=checkin.make_token(other.dates.get())
        )
    assert error.value.code == "bad_code"
    # Expired: older than the code's lifetime.
    with mock.patch("time.time", return_value=timezone.now().timestamp() - 3600):
        old = checkin.make_token(date)
    with pytest.raises(services.RegistrationError) as error:
        services.check_in(date=date, user=learner, token=old)
    assert error.value.code == "bad_code"
    assert not Attendance.objects.exists()


def test_check_in_view_records_presence(
    client, course, live_session, learner, enrol, trainer
):
    date = live_session.dates.get()
    _registered(learner, course, live_session, enrol, trainer)
    client.force_login(learner)
    url = f"/en/workshops/dates/{date.pk}/check-in/"
    token = checkin.make_token(date)
    assert client.get(url, {"t": token}).status_code == 200
    assert not Attendance.objects.exists()  # a scan alone records nothing
    response = client.post(url, {"t": token})
    assert response.status_code == 302
    assert Attendance.objects.get().status == "present"
    assert client.post(url, {"t": token}).status_code == 400


@pytest.fixture
def completions():
    received = []

    def receiver(sender, completion, enrolment, **kwargs):
        received.append(completion.pk)

    course_completed.connect(receiver, dispatch_uid="workshops-completions")
    yield received
    course_completed.disconnect(dispatch_uid="workshops-completions")


def test_attendance_rule_completes_the_session_and_the_course_once(
    course,
    make_session,
    trainer,
    enrol,
    completions,
    django_capture_on_commit_callbacks,
):
    from courses import services as course_services

    past = timezone.now() - timedelta(days=3)
    session = make_session(
        attendance_min_percent=80,
        dates=[
            (past.date(), time(9), time(17), "UTC"),
            ((past + timedelta(days=1)).date(), time(9), time(17), "UTC"),
        ],
    )
    day_one, day_two = session.dates.order_by("starts_at")
    lesson = course.get_course_items()[0]
    both, one_day = UserFactory(), UserFactory()
    for person in (both, one_day):
        enrol(person, course)
        course_services.item_progress_record(user=person, page=lesson, completed=True)
        services.registration_create(user=person, session=session, by=trainer)
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_mark(date=day_one, user=both, status="present", by=trainer)
        services.attendance_mark(
            date=day_one, user=one_day, status="present", by=trainer
        )
        services.attendance_mark(
            date=day_two, user=one_day, status="absent", by=trainer
        )
    # One day of two is 50 %: not enough.
    assert services.attendance_percent(user=one_day, session=session) == 50
    assert not CourseCompletion.objects.filter(enrolment__user=one_day).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_mark(date=day_two, user=both, status="late", by=trainer)
        # Marking again (a second tap, a correction) completes nothing twice.
        services.attendance_mark(date=day_two, user=both, status="present", by=trainer)
    progress = ItemProgress.objects.get(user=both, item_key=session.translation_key)
    assert progress.is_completed and progress.source == "server"
    assert CourseCompletion.objects.filter(enrolment__user=both).count() == 1
    assert len(completions) == 1


def test_coordinator_register_is_scoped_to_their_countries(
    client, course, make_session, coordinator, trainer, enrol, mfa
):
    """E02: a coordinator sees and marks only learners of their countries."""
    session = make_session()
    date = session.dates.get()
    albanian = UserFactory(
        full_name="Arta Albanian", country=Country.objects.get(code="AL")
    )
    georgian = UserFactory(
        full_name="Giorgi Georgian", country=Country.objects.get(code="GE")
    )
    for person in (albanian, georgian):
        enrol(person, course)
        services.registration_create(user=person, session=session, by=trainer)
    mfa(coordinator)
    mfa(trainer)
    client.force_login(coordinator)
    body = client.get(f"/en/workshops/staff/dates/{date.pk}/register/").content.decode()
    assert "Arta Albanian" in body and "Giorgi Georgian" not in body
    response = client.post(
        f"/en/workshops/staff/dates/{date.pk}/register/",
        {"user": georgian.pk, "status": "present"},
    )
    assert response.status_code == 403
    client.post(
        f"/en/workshops/staff/dates/{date.pk}/register/",
        {"user": albanian.pk, "status": "excused"},
    )
    assert Attendance.objects.get().user == albanian
    # The session's trainer sees everybody; a learner sees no register.
    client.force_login(trainer)
    body = client.get(f"/en/workshops/staff/dates/{date.pk}/register/").content.decode()
    assert "Giorgi Georgian" in body
    client.force_login(albanian)
    assert (
        client.get(f"/en/workshops/staff/dates/{date.pk}/register/").status_code == 403
    )


def test_walk_in_gets_an_account_to_claim_and_keeps_attendance(
    client, course, live_session, trainer, django_capture_on_commit_callbacks, mfa
):
    date = live_session.dates.get()
    mfa(trainer)
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/workshops/staff/dates/{date.pk}/walk-in/",
            {
                "full_name": "Besa Krasniqi",
                "email": "Besa@Example.org",
                "country": Country.objects.get(code="AL").pk,
                "organisation": "Labour Inspectorate",
                "position": "Inspector",
                "sex": "female",
            },
        )
    assert response.status_code == 302, response.content.decode()[-3000:]
    from training_platform.accounts.models import User

    person = User.objects.get(email="besa@example.org")
    assert not person.has_usable_password()
    assert person.sex == "female" and person.position == "Inspector"
    assert Attendance.objects.get(user=person).status == "present"
    assert any("besa@example.org" in m.to for m in mail.outbox)
    body = next(m for m in mail.outbox if "besa@example.org" in m.to).body
    assert "password" in body.lower()
