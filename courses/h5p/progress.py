"""Hands activity results to the courses app, which owns lesson and course
progress (``courses.services.activity_progress_record``)."""

import logging

from wagtail.models import Page

logger = logging.getLogger("courses.h5p")


def _courses_services():
    try:
        from courses import services
    except ImportError:  # the courses app is not installed in this build
        return None
    return getattr(services, "activity_progress_record", None)


def _refusals():
    """Exceptions with which the courses app declines to record progress."""
    try:
        from courses.services import NotEnrolled
    except ImportError:
        return (ValueError,)
    return (ValueError, NotEnrolled)


def activity_recorded(*, user, launch, result):
    """Called inside the transaction that stored the result."""
    if not launch.lesson_id:
        return None  # a preview or a page outside a course
    record = _courses_services()
    if record is None:
        return None
    lesson = Page.objects.filter(pk=launch.lesson_id).first()
    if lesson is None:
        return None
    try:
        return record(
            user=user,
            lesson=lesson.specific,
            activity_key=launch.activity_key,
            completed=result.completed,
            score_scaled=result.score_scaled,
            passed=result.passed,
            source="client",
        )
    except _refusals() as exc:
        # Not (or no longer) enrolled, or a page outside a course: the result
        # is kept; progress is the courses app's to decide.
        logger.info(
            "h5p.progress.skipped user=%s lesson=%s reason=%s",
            user.pk,
            launch.lesson_id,
            type(exc).__name__,
        )
        return None
