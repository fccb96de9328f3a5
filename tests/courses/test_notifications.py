"""Enrolment e-mails go through the notifications module: once per event, in
the learner's language, HTML with a plain-text part (issue 14)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from courses import services
from courses.factories import build_course, translate_tree
from training_platform.accounts.factories import CoordinatorFactory
from training_platform.accounts.models import Country
from training_platform.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _approval_course():
    return build_course(modules=1, lessons=1, enrolment_mode="approval")


def test_approval_is_notified_once_in_the_learners_language(
    learner, django_capture_on_commit_callbacks
):
    course = _approval_course()
    translate_tree(course, "ru")
    learner.preferred_language = "ru"
    learner.save()
    enrolment = services.enrolment_create(user=learner, course=course, source="self")
    serbia = CoordinatorFactory(countries=list(Country.objects.filter(code="RS")))
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_approve(enrolment=enrolment, by=serbia)
        services.enrolment_approve(enrolment=enrolment, by=serbia)
    (message,) = mail.outbox
    assert message.to == [learner.email]
    assert "одобрен" in message.subject.lower() or "Ваш" in message.subject
    assert "/ru/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'lang="ru"' in html
    notification = Notification.objects.get(recipient=learner)
    assert notification.event == "enrolment_approved"
    # The task queued by an older caller records nothing new.
    from courses.tasks import send_enrolment_decision

    with django_capture_on_commit_callbacks(execute=True):
        send_enrolment_decision(enrolment.pk)
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_refusal_is_its_own_event(learner, django_capture_on_commit_callbacks):
    course = _approval_course()
    enrolment = services.enrolment_create(user=learner, course=course, source="self")
    serbia = CoordinatorFactory(countries=list(Country.objects.filter(code="RS")))
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_refuse(enrolment=enrolment, by=serbia)
    assert Notification.objects.get().event == "enrolment_refused"
    (message,) = mail.outbox
    assert "could not approve" in message.body


def _idle(enrolment, days, now):
    from courses.models import Enrolment

    Enrolment.objects.filter(pk=enrolment.pk).update(
        last_accessed_at=now - timedelta(days=days, hours=1)
    )


def test_inactive_learner_is_reminded_at_most_three_times_once_each(
    learner, course, django_capture_on_commit_callbacks
):
    from courses.notifications import inactive_learners_remind

    now = timezone.now()
    enrolment = services.enrolment_create(user=learner, course=course, source="self")
    _idle(enrolment, 13, now)
    assert inactive_learners_remind(now=now) == 0
    sent = []
    for days in (14, 14, 20, 28, 28, 42, 56, 90):
        _idle(enrolment, days, now)
        with django_capture_on_commit_callbacks(execute=True):
            sent.append(inactive_learners_remind(now=now))
    assert sent == [1, 0, 0, 1, 0, 1, 0, 0]
    assert len(mail.outbox) == 3
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    assert "14" in mail.outbox[0].body


def test_the_course_sets_the_inactivity_period(learner, course):
    from courses.notifications import inactive_learners_remind

    course.inactivity_reminder_days = 3
    course.save_revision().publish()
    now = timezone.now()
    enrolment = services.enrolment_create(user=learner, course=course, source="self")
    _idle(enrolment, 3, now)
    assert inactive_learners_remind(now=now) == 1
    course.inactivity_reminder_days = 0
    course.save_revision().publish()
    _idle(enrolment, 9, now)
    assert inactive_learners_remind(now=now) == 0


@pytest.mark.parametrize("state", ["completed", "withdrawn", "unsubscribed"])
def test_no_inactivity_reminder_after_completion_withdrawal_or_unsubscribe(
    learner, course, state
):
    from courses.models import Enrolment
    from courses.notifications import inactive_learners_remind
    from training_platform.notifications import services as notifications

    now = timezone.now()
    enrolment = services.enrolment_create(user=learner, course=course, source="self")
    _idle(enrolment, 30, now)
    if state == "unsubscribed":
        notifications.unsubscribe(token=notifications.unsubscribe_token(learner))
    else:
        Enrolment.objects.filter(pk=enrolment.pk).update(status=state)
    assert inactive_learners_remind(now=now) == 0
    assert not Notification.objects.exists()


def test_a_request_waits_for_the_coordinators_of_the_learners_country(
    learner, django_capture_on_commit_callbacks
):
    """The coordinators of the learner's country hear of a request once, in
    their own language; another country's coordinator does not."""
    course = _approval_course()
    serbia = CoordinatorFactory(
        countries=list(Country.objects.filter(code="RS")), preferred_language="ru"
    )
    georgia = CoordinatorFactory(countries=list(Country.objects.filter(code="GE")))
    learner.country = Country.objects.get(code="RS")
    learner.save()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = services.enrolment_create(
            user=learner, course=course, source="self"
        )
        services.enrolment_create(user=learner, course=course, source="self")
    assert enrolment.status == "pending"
    (message,) = mail.outbox
    assert message.to == [serbia.email]
    assert learner.full_name in message.subject
    assert "/ru/coordinator/enrolments/?status=pending" in message.body
    assert not Notification.objects.filter(recipient=georgia).exists()


def test_without_a_coordinator_the_administrators_are_told(
    learner, administrator, django_capture_on_commit_callbacks
):
    learner.country = Country.objects.get(code="KZ")
    learner.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_create(
            user=learner, course=_approval_course(), source="self"
        )
    assert [m.to for m in mail.outbox] == [[administrator.email]]


def test_course_completed_is_notified_once(learner, django_capture_on_commit_callbacks):
    from courses.models import CourseCompletion, LessonPage

    course = build_course(modules=1, lessons=2)
    enrolment = services.enrolment_create(user=learner, course=course, source="self")
    lessons = [page.specific for page in course.get_descendants().type(LessonPage)]
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons * 2:
            services.item_progress_record(user=learner, page=lesson, completed=True)
        services.course_completion_evaluate(enrolment=enrolment)
    assert CourseCompletion.objects.filter(enrolment=enrolment).count() == 1
    completed = Notification.objects.filter(event="course_completed")
    assert completed.count() == 1
    (message,) = [m for m in mail.outbox if "completed" in m.subject]
    assert course.title in message.subject
    assert "/en/certificates/" in message.body


def test_deciders_are_reminded_before_enrolment_closes_once_per_threshold(
    learner, django_capture_on_commit_callbacks
):
    """7 days and 1 day before a course's enrolment closes, the coordinators
    of learners with requests still waiting are told how many, each once per
    threshold even when beat fires twice, in their language; a country without
    waiting requests, and a course without any, send nothing."""
    from courses.notifications import enrolment_closing_remind
    from training_platform.accounts.factories import UserFactory

    now = timezone.now()
    course = _approval_course()
    translate_tree(course, "ru")
    course.enrolment_closes_at = now + timedelta(days=10)
    course.save_revision().publish()
    quiet = build_course(modules=1, lessons=1, enrolment_mode="approval")
    quiet.enrolment_closes_at = now + timedelta(days=5)
    quiet.save_revision().publish()
    serbia = Country.objects.get(code="RS")
    coordinator = CoordinatorFactory(countries=[serbia], preferred_language="ru")
    georgia = CoordinatorFactory(countries=list(Country.objects.filter(code="GE")))
    second = UserFactory(country=serbia)
    for person in (learner, second):
        person.country = serbia
        person.save()
        services.enrolment_create(user=person, course=course, source="self")
    Notification.objects.all().delete()
    mail.outbox.clear()

    sent = []
    for days_left in (10, 6.9, 6.5, 2, 0.9, 0.5):
        moment = course.enrolment_closes_at - timedelta(days=days_left)
        with django_capture_on_commit_callbacks(execute=True):
            sent.append(enrolment_closing_remind(now=moment))
    assert sent == [0, 1, 0, 0, 1, 0]
    assert [m.to for m in mail.outbox] == [[coordinator.email]] * 2
    message = mail.outbox[0]
    assert "2 заявки" in message.body
    assert "/ru/coordinator/enrolments/?status=pending" in message.body
    assert "закрывается" in message.subject
    assert "List-Unsubscribe" in message.extra_headers
    assert not Notification.objects.filter(recipient=georgia).exists()
    # Once decided, nothing waits: no reminder at the next threshold.
    Notification.objects.all().delete()
    for enrolment in course_enrolments(course):
        services.enrolment_approve(enrolment=enrolment, by=coordinator)
    Notification.objects.all().delete()
    later = course.enrolment_closes_at - timedelta(hours=2)
    assert enrolment_closing_remind(now=later) == 0


def course_enrolments(course):
    from courses.models import Enrolment

    return list(Enrolment.objects.filter(course_key=course.translation_key))
