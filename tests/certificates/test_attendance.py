"""Attendance certificates: templates of kind "attendance" name the session,
its dates, venue and hours; issued once per learner and session through the
same pipeline as completion certificates."""

import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from certificates import receivers, rendering, services
from certificates.models import (
    DEFAULT_ATTENDANCE_BODY,
    Certificate,
    CertificateKind,
    CertificateStatus,
    CertificateTemplate,
)

pytestmark = pytest.mark.django_db

DETAILS = {
    "session_title": "Workshop on victim identification",
    # Tirana is UTC+1 in March: 08:00 UTC is 09:00 there.
    "dates": [
        ["2026-03-10T08:00:00+00:00", "2026-03-10T16:00:00+00:00", "Europe/Tirane"],
        ["2026-03-11T08:00:00+00:00", "2026-03-11T15:00:00+00:00", "Europe/Tirane"],
    ],
    "venue": "Hotel Tirana International, Tirana, Albania",
    "hours": "15",
}


@pytest.fixture
def attendance_template(db):
    return CertificateTemplate.objects.create(
        name="Workshop attendance", language="en", kind=CertificateKind.ATTENDANCE
    )


def test_an_attendance_template_starts_from_attendance_wording(attendance_template):
    assert attendance_template.body == DEFAULT_ATTENDANCE_BODY
    assert attendance_template.title == "Certificate of attendance"
    assert attendance_template.snapshot()["kind"] == "attendance"


def test_attendance_certificate_names_the_session_dates_venue_and_hours(
    learner, attendance_template
):
    session_key = uuid.uuid4()
    certificate = services.attendance_certificate_request(
        user=learner, session_key=session_key, details=DETAILS, schedule=False
    )
    assert certificate.kind == CertificateKind.ATTENDANCE
    assert certificate.template == attendance_template
    certificate = services.certificate_issue(certificate_id=certificate.pk)
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.course_title == "Workshop on victim identification"
    assert certificate.hours == Decimal("15")
    assert certificate.expires_at is None
    html = rendering.html_for(rendering.CertificateData.from_certificate(certificate))
    assert "Workshop on victim identification" in html
    assert "Hotel Tirana International, Tirana, Albania" in html
    # In the session's time zone, in the certificate's language.
    assert "March 10, 2026, 9 a.m.–5 p.m." in html
    assert "March 11, 2026, 9 a.m.–4 p.m." in html
    assert 'dir="auto">15</bdi> hours)' in html
    assert learner.name_for_certificate in html


def test_attendance_certificate_in_russian(learner, db):
    CertificateTemplate.objects.create(
        name="Посещение", language="ru", kind=CertificateKind.ATTENDANCE
    )
    certificate = services.attendance_certificate_request(
        user=learner, session_key=uuid.uuid4(), details=DETAILS, schedule=False
    )
    certificate = services.certificate_issue(certificate_id=certificate.pk)
    values = rendering.placeholder_values(
        rendering.CertificateData.from_certificate(certificate), "ru"
    )
    assert values["session_dates"].startswith("10 марта 2026")


def test_attendance_certificate_is_created_once_per_learner_and_session(
    learner, attendance_template, django_capture_on_commit_callbacks
):
    session_key = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.attendance_certificate_request(
            user=learner, session_key=session_key, details=DETAILS
        )
        second = services.attendance_certificate_request(
            user=learner, session_key=session_key, details=DETAILS
        )
    assert first.pk == second.pk
    assert Certificate.objects.filter(user=learner, course_key=session_key).count() == 1
    first.refresh_from_db()
    assert first.status == CertificateStatus.ISSUED  # issued after commit
    # The database holds the rule, whoever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            user=learner,
            kind=CertificateKind.ATTENDANCE,
            course_key=session_key,
            status=CertificateStatus.PENDING,
        )


def test_attendance_does_not_touch_the_course_certificate(
    learner, make_certificate, attendance_template
):
    completion = make_certificate(learner, render=False)
    attendance = services.attendance_certificate_request(
        user=learner, session_key=uuid.uuid4(), details=DETAILS, schedule=False
    )
    assert attendance.pk != completion.pk
    assert attendance.kind == "attendance" and completion.kind == "completion"


def test_without_an_attendance_template_nothing_is_issued(
    learner, certificate_template
):
    """A completion template is never used for attendance."""
    assert (
        services.attendance_certificate_request(
            user=learner, session_key=uuid.uuid4(), details=DETAILS, schedule=False
        )
        is None
    )


def test_course_rules_offer_only_completion_templates(
    certificate_template, attendance_template
):
    from django.forms.models import apply_limit_choices_to_to_formfield

    from certificates.models import CourseCertificateRule

    formfield = CourseCertificateRule._meta.get_field("template").formfield()
    apply_limit_choices_to_to_formfield(formfield)
    choices = formfield.queryset
    assert certificate_template in choices
    assert attendance_template not in choices


def test_the_signal_receiver_requests_the_certificate(learner, attendance_template):
    session_key = uuid.uuid4()
    receivers.on_session_attended(
        sender=None, user=learner, session_key=session_key, details=DETAILS
    )
    receivers.on_session_attended(
        sender=None, user=learner, session_key=session_key, details=DETAILS
    )
    assert Certificate.objects.filter(course_key=session_key).count() == 1
