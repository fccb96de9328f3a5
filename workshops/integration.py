"""The few places where workshops talk to the courses app (below it in the
dependency order): the course of a page, enrolment and item progress."""

import logging

from django.db import transaction

from courses import selectors as course_selectors
from courses import services as course_services

logger = logging.getLogger("workshops")


def course_for(page):
    return course_selectors.course_for_page(page)


def enrolment_for(user, page):
    course = course_for(page)
    if course is None:
        return None
    return course_selectors.enrolment_for(user=user, course=course)


def is_enrolled(user, page) -> bool:
    enrolment = enrolment_for(user, page)
    return enrolment is not None and enrolment.is_open


def item_access(*, user, page, request=None):
    return course_selectors.course_item_access(user=user, page=page, request=request)


def item_complete(*, user, page):
    """The attendance rule holds: the session item is completed (server
    recorded) and the course's completion rule is evaluated, exactly once, as
    for lessons and assessments. A learner no longer enrolled is left alone."""
    try:
        with transaction.atomic():
            return course_services.item_progress_record(
                user=user, page=page, completed=True, source="server"
            )
    except course_services.NotEnrolled:
        logger.info("session progress not recorded (not enrolled) user=%s", user.pk)
        return None


def item_started(*, user, page):
    try:
        with transaction.atomic():
            return course_services.item_progress_record(
                user=user, page=page, completed=False, source="server"
            )
    except course_services.NotEnrolled:
        return None


def enrol_walk_in(*, user, page, by):
    """A walk-in participant is enrolled in the session's course (beyond its
    places: they are in the room) and receives the invitation e-mail."""
    from courses.models import EnrolmentSource
    from courses.tasks import send_enrolment_email

    course = course_for(page)
    source = (
        EnrolmentSource.INVITE
        if not user.has_usable_password()
        else EnrolmentSource.BULK
    )
    enrolment = course_services.enrolment_create(
        user=user, course=course, source=source, by=by, capacity_checked=False
    )
    send_enrolment_email.delay_on_commit(enrolment.pk)
    return enrolment


def learner_create_invited(*, row, page, by):
    """A new account without a usable password, as bulk enrolment creates one:
    the invitation e-mail carries the link to claim it."""
    return course_services._learner_create_invited(
        check=row, course=course_for(page), by=by
    )
