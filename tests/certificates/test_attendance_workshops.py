"""Attendance certificates from the workshops app: a learner who meets a
session's attendance rule gets one attendance certificate, whether the
register is marked once or again; one who does not gets none."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from certificates.models import Certificate, CertificateKind, CertificateTemplate

pytestmark = pytest.mark.django_db

workshops = pytest.importorskip("workshops.services")


@pytest.fixture
def session(db, trainer):
    from courses.factories import build_course
    from workshops.factories import build_session

    course = build_course(title="Blended", slug="blended", modules=1, lessons=1)
    module = course.get_children().first().specific
    yesterday = (timezone.now() - timedelta(days=1)).date()
    before = yesterday - timedelta(days=1)
    return build_session(
        module=module,
        title="Workshop in Tirana",
        dates=[(before, time(9), time(17)), (yesterday, time(9), time(13))],
        trainers=[trainer],
        every_date_required=True,
        attendance_min_percent=80,
    )


@pytest.fixture
def attendance_template(db):
    return CertificateTemplate.objects.create(
        name="Attendance", language="en", kind=CertificateKind.ATTENDANCE
    )


def mark(session, learner, trainer, statuses, capture):
    from workshops.models import Registration

    for date in session.dates.all():
        Registration.objects.get_or_create(
            session=session, date=date, user=learner, status="registered"
        )
    for date, status in zip(session.dates.order_by("starts_at"), statuses, strict=True):
        with capture(execute=True):
            workshops.attendance_mark(
                date=date, user=learner, status=status, by=trainer
            )


def test_meeting_the_rule_issues_one_attendance_certificate(
    session,
    learner,
    trainer,
    attendance_template,
    django_capture_on_commit_callbacks,
):
    mark(
        session,
        learner,
        trainer,
        ["present", "present"],
        django_capture_on_commit_callbacks,
    )
    mark(
        session,
        learner,
        trainer,
        ["late", "present"],
        django_capture_on_commit_callbacks,
    )
    certificates = Certificate.objects.filter(user=learner)
    assert certificates.count() == 1
    certificate = certificates.get()
    assert certificate.kind == CertificateKind.ATTENDANCE
    assert certificate.course_key == session.translation_key
    assert certificate.status == "issued"
    assert certificate.course_title == "Workshop in Tirana"
    assert certificate.hours == 12  # 8 + 4
    assert certificate.details["venue"].startswith("Rruga e Kavajës 10, Tirana")
    assert len(certificate.details["dates"]) == 2


def test_one_day_of_two_is_not_enough(
    session,
    learner,
    trainer,
    attendance_template,
    django_capture_on_commit_callbacks,
):
    """8 of 12 hours: 66.67 % under the rule's 80 %."""
    mark(
        session,
        learner,
        trainer,
        ["present", "absent"],
        django_capture_on_commit_callbacks,
    )
    assert not Certificate.objects.filter(user=learner).exists()
