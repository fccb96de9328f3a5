"""Hands activity results to the courses app, which owns lesson and course
progress (``courses.services.activity_progress_record``), and reads back what
the lesson page shows of it."""

import logging

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
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


def _result_summary(result):
    if result.score_scaled is None:
        return _("Done.")
    return _("Done. Your score: %(score)s of %(max)s.") % {
        "score": floatformat(result.score_raw, "-2"),
        "max": floatformat(result.score_max, "-2"),
    }


def _lesson_state(*, user, lesson_id):
    try:
        from courses import selectors as course_selectors
    except ImportError:
        return None
    lesson = Page.objects.filter(pk=lesson_id).first()
    if lesson is None:
        return None
    lesson = lesson.specific
    course = course_selectors.course_for_page(lesson)
    if course is None:
        return None
    enrolment = course_selectors.enrolment_for(user=user, course=course)
    if enrolment is None:
        return None
    progress = course_selectors.progress_by_item(enrolment=enrolment)
    item = progress.get(lesson.translation_key)
    percent = course_selectors.percent_complete(course.get_course_items(), progress)
    return {
        "completed": bool(item is not None and item.is_completed),
        "completed_label": _("Completed"),
        "percent": percent,
        "percent_label": _("%(percent)s%% complete") % {"percent": percent},
    }


def page_state(*, user, launch):
    """What the lesson page shows once an activity is done (its result note,
    the lesson's "completed" mark and the course progress bar), so that the
    page can show the server's word without a reload. Empty until the
    activity is completed."""
    from .selectors import result_for  # selectors reads services

    result = result_for(
        user=user, activity_key=launch.activity_key, context_key=launch.context_key
    )
    if result is None or not result.completed:
        return {}
    state = {"activity": {"completed": True, "summary": _result_summary(result)}}
    if launch.lesson_id:
        lesson = _lesson_state(user=user, lesson_id=launch.lesson_id)
        if lesson is not None:
            state["lesson"] = lesson
    return state
