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
