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


def refuse_new_round_while_certified(enrolment):
    """Taking a course again renews an expired certificate: while the
    learner's certificate for the course is valid (or being issued) a new
    round is refused, with the date from which it is possible."""
    from django.utils import formats, timezone
    from django.utils.translation import gettext as _

    from .models import Certificate, CertificateStatus

    certificate = (
        Certificate.objects.current()
        .filter(user_id=enrolment.user_id, course_key=enrolment.course_key)
        .order_by("-course_round", "-created_at")
        .first()
    )
    if certificate is None or certificate.is_expired:
        return None
    if certificate.status == CertificateStatus.PENDING:
        return _(
            "Your certificate for this course is being issued. You can take the "
            "course again once it has expired."
        )
    if certificate.expires_at is None:
        return _(
            "Your certificate for this course does not expire, so there is no "
            "need to take the course again."
        )
    return _(
        "Your certificate for this course is valid until %(date)s. You can take "
        "the course again once it has expired."
    ) % {
        "date": formats.date_format(
            timezone.localtime(certificate.expires_at), "DATE_FORMAT"
        )
    }


def on_session_attended(
    sender, *, user, session_key, details, session=None, template=None, **kwargs
):
    """``workshops.signals.session_attended``: a learner met a session's
    attendance rule. Sent after the attendance commits, with the session's
    translation key and what the certificate says of it (``session_title``,
    ``dates`` as ``[start, end, time zone]`` ISO 8601 triples, ``venue``,
    ``hours``); creates the pending attendance certificate once, however many
    times it is delivered, and schedules issuing after its own commit."""
    services.attendance_certificate_request(
        user=user,
        session_key=session_key,
        details=details,
        session=session,
        template=template,
    )


def connect_workshops():
    """Listen to the workshops app when it sends ``session_attended``."""
    try:
        from workshops.signals import session_attended
    except ImportError:  # workshops is not installed or does not send it yet
        return False
    session_attended.connect(
        on_session_attended, dispatch_uid="certificates.on_session_attended"
    )
    return True


def connect():
    try:
        from courses.signals import course_completed, register_new_round_check
    except ImportError:  # courses does not send it yet
        return False
    course_completed.connect(
        on_course_completed, dispatch_uid="certificates.on_course_completed"
    )
    register_new_round_check(refuse_new_round_while_certified)
    return True


connect()
connect_workshops()
