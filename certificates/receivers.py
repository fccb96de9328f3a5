"""Reacting to the apps below: a completed course asks for a certificate."""

import logging
from decimal import Decimal

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


def certificate_announces_completion(enrolment) -> bool:
    """Whether a certificate (and its e-mail) follows this completion: the
    course has a certificate rule with a template, and its minimum score, if
    any, is met."""
    from . import integration

    rule = integration.rule_for(
        course=getattr(enrolment, "course", None), course_key=enrolment.course_key
    )
    if rule is None or rule.template is None:
        return False
    if rule.minimum_score is None:
        return True
    score = integration.final_score(
        user=enrolment.user, course_key=enrolment.course_key
    )
    return score is not None and Decimal(score) >= rule.minimum_score


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


def session_details(*, session, user) -> dict:
    """What an attendance certificate says of ``session`` for ``user``: the
    title, the dates attended (in their time zone), the venue and the hours
    attended."""
    from workshops.models import ATTENDED, Attendance

    attended = [
        row.date
        for row in Attendance.objects.filter(
            date__page=session, user=user, status__in=ATTENDED
        )
        .select_related("date")
        .order_by("date__starts_at")
    ]
    country = getattr(session, "venue_country", None)
    venue = ", ".join(
        part
        for part in (
            session.venue_address,
            session.venue_city,
            country.localized_name if country else "",
        )
        if part
    )
    return {
        "session_title": session.title,
        "dates": [
            [d.starts_at.isoformat(), d.ends_at.isoformat(), d.time_zone]
            for d in attended
        ],
        "venue": venue or str(session.get_kind_display()),
        "hours": str(sum((d.hours for d in attended), Decimal(0)).normalize()),
    }


def attendance_changed(*, user_id, session_id):
    """After an attendance row commits: when the learner now meets the
    session's attendance rule (``workshops.services.attendance_percent``), the
    attendance certificate is requested (once; nothing without an attendance
    template). Attendance marked down later leaves an issued certificate as it
    is: revoking one is a staff decision."""
    from django.contrib.auth import get_user_model

    from workshops import services as workshop_services
    from workshops.models import SessionPage

    session = SessionPage.objects.filter(pk=session_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if session is None or user is None:
        return None
    percent = workshop_services.attendance_percent(user=user, session=session)
    if percent < session.attendance_min_percent or percent <= 0:
        return None
    return services.attendance_certificate_request(
        user=user,
        session_key=session.translation_key,
        details=session_details(session=session, user=user),
        session=session,
    )


def on_attendance_saved(sender, instance, **kwargs):
    from django.db import transaction

    user_id, date_id = instance.user_id, instance.date_id

    def changed():
        from workshops.models import SessionDate

        session_id = (
            SessionDate.objects.filter(pk=date_id)
            .values_list("page_id", flat=True)
            .first()
        )
        if session_id is not None:
            attendance_changed(user_id=user_id, session_id=session_id)

    transaction.on_commit(changed)


def connect_workshops():
    """Listen to the workshops app: its ``session_attended`` signal when it
    sends one, else every saved attendance row (register, QR check-in,
    walk-ins), evaluated after commit."""
    from django.apps import apps

    if not apps.is_installed("workshops"):
        return False
    try:
        from workshops.signals import session_attended
    except ImportError:
        from django.db.models.signals import post_save

        from workshops.models import Attendance

        post_save.connect(
            on_attendance_saved,
            sender=Attendance,
            dispatch_uid="certificates.on_attendance_saved",
        )
        return True
    session_attended.connect(
        on_session_attended, dispatch_uid="certificates.on_session_attended"
    )
    return True


def connect():
    try:
        from courses.signals import (
            course_completed,
            register_completion_announcer,
            register_new_round_check,
        )
    except ImportError:  # courses does not send it yet
        return False
    course_completed.connect(
        on_course_completed, dispatch_uid="certificates.on_course_completed"
    )
    register_new_round_check(refuse_new_round_while_certified)
    register_completion_announcer(certificate_announces_completion)
    return True


connect()
connect_workshops()
