"""Enrolment e-mails go through the notifications module: once per event, in
the learner's language, HTML with a plain-text part (issue 14)."""

import pytest
from django.core import mail

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
