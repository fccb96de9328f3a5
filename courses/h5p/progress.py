"""Hands activity results to the courses app, which owns lesson and course
progress (``courses.services.activity_progress_record``), and reads back what
the lesson page shows of it."""

import logging
from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from wagtail.models import Page

from training_platform import content_cache

logger = logging.getLogger("courses.h5p")


@dataclass(frozen=True)
class LessonFacts:
    """What every statement of a lesson needs to know about the lesson, the
    same for every learner: kept in the cache until a page changes."""

    exists: bool
    live: bool = False
    translation_key: object = None
    course: object = None  # the CoursePage, or None outside a course


def _courses_selectors():
    try:
        from courses import selectors
    except ImportError:  # the courses app is not installed in this build
        return None
    return selectors


def lesson_facts(lesson_id):
    def build():
        lesson = Page.objects.filter(pk=lesson_id).first()
        if lesson is None:
            return LessonFacts(exists=False)
        selectors = _courses_selectors()
        course = None
        if selectors is not None and hasattr(selectors, "course_for_page"):
            course = selectors.course_for_page(lesson.specific)
        return LessonFacts(
            exists=True,
            live=lesson.live,
            translation_key=lesson.translation_key,
            course=course,
        )

    return content_cache.cached(
        content_cache.content_key("h5p-lesson", lesson_id), build
    )


def current_enrolment(*, user, course):
    """The learner's current round of ``course`` (one query), or None."""
    from courses.models import Enrolment

    return (
        Enrolment.objects.current()
        .filter(user=user, course_key=course.translation_key)
        .first()
    )


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
    if launch.enrolment is not None and _progress_unchanged(launch, result):
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


def _progress_unchanged(launch, result):
    """True when the learner's progress row for the activity already says
    what ``result`` would record (a repeated attempt that changes nothing):
    then the courses app is not asked again. One query."""
    from courses.models import ActivityProgress

    facts = launch.lesson
    if facts is None or facts.course is None:
        return False
    row = (
        ActivityProgress.objects.filter(
            enrolment=launch.enrolment,
            item_key=facts.translation_key,
            activity_key=str(launch.activity_key)[:200],
        )
        .only("completed", "score_scaled", "passed")
        .first()
    )
    if row is None:
        return False
    if result.completed and not row.completed:
        return False
    if result.score_scaled is not None and row.score_scaled != result.score_scaled:
        return False
    return result.passed is None or row.passed == bool(result.passed)


def _result_summary(result):
    if result.score_scaled is None:
        return _("Done.")
    return _("Done. Your score: %(score)s of %(max)s.") % {
        "score": floatformat(result.score_raw, "-2"),
        "max": floatformat(result.score_max, "-2"),
    }


def _lesson_state(*, launch):
    selectors = _courses_selectors()
    facts = launch.lesson
    if selectors is None or facts is None or facts.course is None:
        return None
    enrolment = launch.enrolment
    if enrolment is None:
        return None
    progress = selectors.progress_by_item(enrolment=enrolment)
    item = progress.get(facts.translation_key)
    _modules, items = selectors.outline_pages(facts.course)
    percent = selectors.percent_complete(items, progress)
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
    result = launch.result
    if result is None:
        from .selectors import result_for  # selectors reads services

        result = result_for(
            user=user, activity_key=launch.activity_key, context_key=launch.context_key
        )
    if result is None or not result.completed:
        return {}
    state = {"activity": {"completed": True, "summary": _result_summary(result)}}
    if launch.lesson_id:
        lesson = _lesson_state(launch=launch)
        if lesson is not None:
            state["lesson"] = lesson
    return state
