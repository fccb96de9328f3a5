"""Deadline reminders for assessments, sent through
``training_platform.notifications``: 7 days and 1 day before an assessment
closes, to learners of the course who have not passed it yet."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from training_platform.notifications import registry
from training_platform.notifications import services as notifications

CLOSING = "assessment_closing"
THRESHOLDS = (7, 1)


def _context(notification):
    from .models import AssessmentPage

    page = AssessmentPage.objects.filter(pk=notification.context.get("page_id")).first()
    if page is None:
        return {}
    page = notifications.page_in_language(page)
    return {
        "assessment_title": page.title,
        "assessment_url": notifications.page_link(page),
        "closes_at": page.closes_at,
        "threshold": notification.context.get("threshold"),
    }


def register_events():
    registry.register(
        CLOSING,
        label=_("Reminder: an assessment closes soon"),
        reminder=True,
        template="assessments/email/closing",
        context=_context,
    )


def assessment_deadlines_remind(*, now=None) -> int:
    """Beat, hourly: one reminder per learner, assessment and threshold (the
    threshold and the closing time are in the key, so beat firing twice sends
    nothing more). Completed, withdrawn and unsubscribed learners get none."""
    from courses.models import Enrolment, EnrolmentStatus
    from courses.selectors import course_for_page

    from .models import AssessmentPage, Attempt

    now = now or timezone.now()
    pages = AssessmentPage.objects.live().filter(
        closes_at__gt=now, closes_at__lte=now + timedelta(days=max(THRESHOLDS))
    )
    sent = 0
    for page in pages:
        course = course_for_page(page)
        if course is None:
            continue
        left = (page.closes_at - now).total_seconds() / 86400
        threshold = min(days for days in THRESHOLDS if left <= days)
        passed = Attempt.objects.filter(
            assessment_key=page.translation_key, passed=True
        ).values("user_id")
        enrolments = (
            Enrolment.objects.current()
            .filter(course_key=course.translation_key, status=EnrolmentStatus.ACTIVE)
            .exclude(user_id__in=passed)
            .exclude(user__notification_preference__reminders=False)
            .select_related("user")
        )
        key = (
            f"assessment:{page.translation_key}:{page.closes_at:%Y%m%d%H%M}:{threshold}"
        )
        for enrolment in enrolments.iterator(chunk_size=500):
            created = notifications.notify(
                recipient=enrolment.user,
                event=CLOSING,
                key=key,
                context={"page_id": page.pk, "threshold": threshold},
            )
            sent += created is not None
    return sent
