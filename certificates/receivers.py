"""Reacting to the apps below: a completed course asks for a certificate."""

import logging

from . import services

logger = logging.getLogger(__name__)


def on_course_completed(sender, completion=None, enrolment=None, **kwargs):
    """``courses.signals.course_completed`` is sent after the completion
    commits; this creates the pending certificate (once, whatever the number
    of deliveries) and schedules issuing after its own commit."""
    if enrolment is None:
        return
    services.certificate_request(
        user=enrolment.user,
        course_key=enrolment.course_key,
        course=getattr(enrolment, "course", None),
        completed_at=getattr(completion, "completed_at", None),
        completion_ref=getattr(completion, "pk", None),
        enrolment=enrolment,
    )


def connect():
    try:
        from courses.signals import course_completed
    except ImportError:  # courses does not send it yet
        return False
    course_completed.connect(
        on_course_completed, dispatch_uid="certificates.on_course_completed"
    )
    return True


connect()
