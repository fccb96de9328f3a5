"""Recertification through the course: once a certificate has expired the
learner takes the course again (a new round of their enrolment) and the new
completion issues a new certificate, while the expired one stays on record
and verifiable as expired. One current certificate per round (K13, K21)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates import selectors, services
from certificates.models import Certificate, CertificateStatus
from courses import services as course_services
from courses.models import Enrolment

pytestmark = pytest.mark.django_db


def _finish_lessons(user, course):
    for item in course.get_course_items():
        course_services.item_progress_record(user=user, page=item, completed=True)


@pytest.fixture
def certified(learner, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course_services.enrolment_create(user=learner, course=course, source="self")
        _finish_lessons(learner, course)
    return Certificate.objects.get(user=learner)


def _expire(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )


def test_taking_the_course_again_after_expiry_issues_a_new_certificate_K13(
    learner, course, certified, django_capture_on_commit_callbacks
):
    _expire(certified)
    first_round = Enrolment.objects.get(user=learner)
    with django_capture_on_commit_callbacks(execute=True):
        second_round = course_services.enrolment_start_new_round(
            enrolment=first_round, by=learner
        )
        _finish_lessons(learner, course)

    new = Certificate.objects.exclude(pk=certified.pk).get(user=learner)
    assert new.status == CertificateStatus.ISSUED
    assert new.public_status == "valid"
    assert new.enrolment == second_round
    assert new.completion_ref == second_round.completion.pk
    assert new.course_round == 2
    assert new.expires_at > timezone.now() + timedelta(days=360)
    assert len(mail.outbox) == 2
    # The expired certificate stays what it was, verifiable as expired.
    old = selectors.certificate_for_code(certified.code)
    assert old.status == CertificateStatus.ISSUED
    assert old.public_status == "expired"
    assert old.enrolment == first_round
    assert old.completion_ref == first_round.completion.pk


def test_a_new_round_waits_until_the_certificate_has_expired(
    client, learner, course, certified
):
    enrolment = Enrolment.objects.get(user=learner)
    with pytest.raises(course_services.EnrolmentError) as error:
        course_services.enrolment_start_new_round(enrolment=enrolment, by=learner)
    assert "valid until" in str(error.value.message)
    assert Enrolment.objects.filter(user=learner).count() == 1
    client.force_login(learner)
    page = client.get(course.url).content.decode()
    assert "valid until" in page and "Take the course again" not in page

    _expire(certified)
    page = client.get(course.url).content.decode()
    assert "Take the course again" in page


def test_a_revoked_certificate_does_not_stop_a_new_round(
    learner, course, certified, administrator
):
    services.certificate_revoke(certificate=certified, by=administrator, reason="x")
    enrolment = Enrolment.objects.get(user=learner)
    new = course_services.enrolment_start_new_round(enrolment=enrolment, by=learner)
    assert new.round_number == 2


def test_the_expiry_reminder_links_to_the_course_to_take_it_again(
    learner, course, certified, settings
):
    Certificate.objects.filter(pk=certified.pk).update(
        expires_at=timezone.now() + timedelta(days=10)
    )
    mail.outbox.clear()
    assert services.certificates_send_expiry_reminders(days=30) == 1
    (message,) = mail.outbox
    assert f"{settings.SITE_URL}{course.url}" in message.body
    assert "take the course again" in message.body.lower()


def test_the_reconciler_issues_the_new_round_whose_signal_was_lost_K21(
    learner, course, certified
):
    from certificates import receivers
    from courses.signals import course_completed

    _expire(certified)
    first_round = Enrolment.objects.get(user=learner)
    course_completed.disconnect(dispatch_uid="certificates.on_course_completed")
    try:
        course_services.enrolment_start_new_round(enrolment=first_round, by=learner)
        _finish_lessons(learner, course)  # on_commit never runs: no signal
    finally:
        receivers.connect()
    assert Certificate.objects.filter(user=learner).count() == 1
    counts = services.certificates_reconcile(grace=timedelta(0))
    assert counts["requested"] == 1
    new = Certificate.objects.exclude(pk=certified.pk).get(user=learner)
    assert new.status == CertificateStatus.ISSUED and new.course_round == 2
    assert not any(services.certificates_reconcile(grace=timedelta(0)).values())


def test_one_current_certificate_per_learner_course_and_round(
    learner, course, certified
):
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            user=learner, course_key=course.translation_key, course_round=1
        )
    Certificate.objects.create(
        user=learner, course_key=course.translation_key, course_round=2
    )
