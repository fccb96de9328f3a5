"""Reminders before an assessment closes (issue 14)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from assessments.models import AssessmentPage, Attempt
from assessments.notifications import assessment_deadlines_remind
from training_platform.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_reminded_7_days_and_1_day_before_closing_once_each(
    learner, quiz, django_capture_on_commit_callbacks
):
    now = timezone.now()
    closes = now + timedelta(days=10)
    AssessmentPage.objects.filter(pk=quiz.pk).update(closes_at=closes)
    sent = []
    for days_before in (8, 6.5, 6.5, 3, 0.5, 0.5):
        at = closes - timedelta(days=days_before)
        with django_capture_on_commit_callbacks(execute=True):
            sent.append(assessment_deadlines_remind(now=at))
    assert sent == [0, 1, 0, 0, 1, 0]
    assert len(mail.outbox) == 2
    assert "Module quiz" in mail.outbox[0].subject
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers


def test_no_deadline_reminder_once_passed_or_withdrawn(learner, quiz):
    from courses.models import Enrolment

    closes = timezone.now() + timedelta(days=3)
    AssessmentPage.objects.filter(pk=quiz.pk).update(closes_at=closes)
    Enrolment.objects.filter(user=learner).update(status="withdrawn")
    assert assessment_deadlines_remind() == 0
    Enrolment.objects.filter(user=learner).update(status="active")
    Attempt.objects.create(
        user=learner,
        page=quiz,
        assessment_key=quiz.translation_key,
        kind=quiz.kind,
        number=1,
        started_at=timezone.now(),
        passed=True,
    )
    assert assessment_deadlines_remind() == 0
    assert not Notification.objects.exists()
