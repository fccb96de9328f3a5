"""Reminders 7 days and 1 day before a session date: once per learner,
date and threshold, even when beat fires twice; none for the waiting list
or after unsubscribing (issue 14)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from training_platform.accounts.factories import UserFactory
from training_platform.notifications import services as notifications
from training_platform.notifications.models import Notification
from workshops import services
from workshops.notifications import session_dates_remind

pytestmark = pytest.mark.django_db


def test_registered_learners_are_reminded_a_week_and_a_day_before(
    course, make_session, learner, enrol, trainer, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1)
    date = session.dates.get()
    waiting = UserFactory()
    for person in (learner, waiting):
        enrol(person, course)
        services.registration_create(user=person, session=session, by=trainer)
    learner.preferred_language = "ru"
    learner.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # Eight days before: nothing yet.
        assert session_dates_remind(now=date.starts_at - timedelta(days=8)) == 0
        six_days = date.starts_at - timedelta(days=6, hours=20)
        assert session_dates_remind(now=six_days) == 1
        assert session_dates_remind(now=six_days + timedelta(hours=1)) == 0
        eve = date.starts_at - timedelta(hours=20)
        assert session_dates_remind(now=eve) == 1
        assert session_dates_remind(now=eve) == 0
    reminders = Notification.objects.filter(event="session_soon")
    assert set(reminders.values_list("recipient", flat=True)) == {learner.pk}
    assert reminders.count() == 2
    assert len(mail.outbox) == 2
    week, day = mail.outbox
    assert session.title in week.subject
    assert "Завтра" in day.subject
    assert "List-Unsubscribe" in day.extra_headers


def test_no_reminder_after_unsubscribing_or_for_a_past_date(
    course, make_session, learner, enrol, trainer
):
    session = make_session()
    date = session.dates.get()
    enrol(learner, course)
    services.registration_create(user=learner, session=session, by=trainer)
    notifications.preference_set(user=learner, reminders=False)
    assert session_dates_remind(now=date.starts_at - timedelta(hours=2)) == 0
    notifications.preference_set(user=learner, reminders=True)
    assert session_dates_remind(now=date.starts_at + timedelta(minutes=1)) == 0
    assert session_dates_remind(now=timezone.now()) in (0, 1)
