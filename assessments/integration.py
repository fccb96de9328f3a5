"""The few places where assessments talk to the courses app (below it in the
dependency order): the course of a page, enrolment, progress."""

import logging
from decimal import Decimal

from django.db import transaction

from courses import selectors as course_selectors
from courses import services as course_services

logger = logging.getLogger("assessments")

TAKING_STATUSES = ("active", "completed")


def course_for(page):
    return course_selectors.course_for_page(page)


def course_key_for(page):
    course = course_for(page)
    return course.course_key if course is not None else None


def enrolment_for(user, page):
    course = course_for(page)
    if course is None:
        return None
    return course_selectors.enrolment_for(user=user, course=course)


def round_started_at(user, page):
    """When the learner's current round of the page's course started, when
    they are taking the course again (None in the first round): attempts are
    counted per round, so recertification can pass the assessments again."""
    return round_started_for(enrolment_for(user, page))


def round_started_for(enrolment):
    if enrolment is None or getattr(enrolment, "round_number", 1) <= 1:
        return None
    return enrolment.enrolled_at


def may_take(user, page) -> bool:
    """An active (or completed) enrolment in the page's course is needed."""
    return may_take_with(enrolment_for(user, page))


def may_take_with(enrolment) -> bool:
    return enrolment is not None and enrolment.status in TAKING_STATUSES


def progress_record(*, user, page, percent: Decimal, passed):
    """Feed the grade to course progress, as server-graded. A learner whose
    enrolment was withdrawn during the attempt still gets the grade; the
    course progress is then left alone."""
    try:
        with transaction.atomic():
            return course_services.item_progress_record(
                user=user,
                page=page,
                completed=True,
                score=percent.quantize(Decimal("0.01")),
                passed=passed,
                source="server",
            )
    except course_services.NotEnrolled:
        logger.info("progress not recorded (not enrolled) user=%s", user.pk)
        return None


def next_item(page, user):
    """The course item after ``page`` (to continue the course), or None."""
    course = course_for(page)
    if course is None:
        return None
    outline = course_selectors.course_outline(
        course=course, user=user, current_page=page
    )
    return outline.neighbours(page)[1]


def touch(user, page):
    """Remember ``page`` as where the learner left off."""
    enrolment = enrolment_for(user, page)
    if enrolment is not None:
        course_services.enrolment_touch(enrolment=enrolment, page=page)
