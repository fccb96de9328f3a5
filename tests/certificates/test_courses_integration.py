"""Certificates driven by the courses app: completing a course issues one
certificate (K13), the rule lives on the course page's editor, the reconciler
catches completions whose signal was lost (K21), and the demo seeds them."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from certificates import receivers, services
from certificates.models import Certificate, CertificateStatus, CourseCertificateRule
from courses import services as course_services
from courses.models import CourseCompletion
from training_platform.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _complete(user, course):
    course_services.enrolment_create(user=user, course=course, source="self")
    for item in course.get_course_items():
        course_services.item_progress_record(user=user, page=item, completed=True)


def test_completing_a_course_issues_one_certificate_and_one_email(
    learner, course, django_capture_on_commit_callbacks
):
    learner.certificate_name = "Ана Петровић"
    learner.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _complete(learner, course)
    assert callbacks, "course_completed was not sent"
    certificate = Certificate.objects.get(user=learner)
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.learner_name == "Ана Петровић"
    assert certificate.course_title == "Identifying victims"
    assert certificate.completion_ref == learner.enrolments.get().completion.pk
    assert certificate.enrolment == learner.enrolments.get()
    assert certificate.hours == course.estimated_hours
    assert certificate.expires_at > timezone.now() + timedelta(days=360)
    # One message for the completion: the certificate's, which congratulates;
    # the course's own "completed" e-mail is not sent as well.
    assert len(mail.outbox) == 1
    assert list(
        Notification.objects.filter(recipient=learner).values_list("event", flat=True)
    ) == ["certificate_issued"]
    # The signal delivered again changes nothing.
    enrolment = learner.enrolments.get()
    receivers.on_course_completed(
        sender=CourseCompletion, completion=enrolment.completion, enrolment=enrolment
    )
    assert Certificate.objects.count() == 1


def test_minimum_final_score_uses_the_completion_score(
    learner, course, django_capture_on_commit_callbacks
):
    rule = course.certificate_rules.get()
    rule.minimum_score = Decimal("80")
    rule.save()
    with django_capture_on_commit_callbacks(execute=True):
        _complete(learner, course)
    certificate = Certificate.objects.get(user=learner)
    assert certificate.status == CertificateStatus.NOT_ELIGIBLE
    # No certificate e-mail: the course's own "completed" message instead.
    (message,) = mail.outbox
    assert "You have completed" in message.subject
    assert not message.attachments


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_completions_of_one_enrolment_K13(learner, course):
    if connection.vendor == "sqlite":
        pytest.skip("20 concurrent writers need PostgreSQL (services run)")
    course_services.enrolment_create(user=learner, course=course, source="self")
    items = course.get_course_items()
    for item in items[:-1]:
        course_services.item_progress_record(user=learner, page=item, completed=True)
    barrier = threading.Barrier(20)
    errors = []

    def finish():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            course_services.item_progress_record(
                user=learner, page=items[-1], completed=True
            )
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=finish) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert CourseCompletion.objects.count() == 1
    assert Certificate.objects.count() == 1
    assert Certificate.objects.get().status == CertificateStatus.ISSUED
    assert len(mail.outbox) == 1


def test_reconciler_issues_completions_whose_signal_was_lost_K21(learner, course):
    from courses.signals import course_completed

    course_completed.disconnect(dispatch_uid="certificates.on_course_completed")
    try:
        _complete(learner, course)  # on_commit never runs here: no signal
    finally:
        receivers.connect()
    assert not Certificate.objects.exists()
    counts = services.certificates_reconcile(grace=timedelta(0))
    assert counts["requested"] == 1
    certificate = Certificate.objects.get(user=learner)
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.pdf_status == "ready"
    assert len(mail.outbox) == 1
    assert not any(services.certificates_reconcile(grace=timedelta(0)).values())


def test_course_editor_has_the_certificate_rule_panel(
    client, administrator, mfa, course
):
    from courses.models import CoursePage

    handler = CoursePage.get_edit_handler()
    relations = [
        getattr(panel, "relation_name", None)
        for tab in handler.children
        for panel in getattr(tab, "children", [])
    ]
    assert "certificate_rules" in relations
    mfa(administrator)
    client.force_login(administrator)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "mfa", "type": "totp", "at": timezone.now().timestamp()}
    ]
    session.save()
    response = client.get(f"/admin/pages/{course.pk}/edit/")
    assert response.status_code == 200
    assert "certificate_rules-TOTAL_FORMS" in response.content.decode()


def test_seed_demo_issues_a_cyrillic_certificate_and_a_revoked_one():
    from django.core.management import call_command

    call_command("seed_demo")
    call_command("seed_demo")  # safe to run again
    names = dict(
        Certificate.objects.filter(status__in=["issued", "revoked"]).values_list(
            "learner_name", "status"
        )
    )
    assert names == {"Айгерим Сейтқали": "issued", "Олег Ковальчук": "revoked"}
    # The demo learners read Russian and took the Russian course: 21.
    assert set(Certificate.objects.values_list("language", flat=True)) == {"ru"}
    assert Certificate.objects.count() == 2
    assert all(
        c.pdf_status == "ready" for c in Certificate.objects.filter(status="issued")
    )


def test_database_allows_one_current_certificate_per_enrolment(learner, course):
    from django.db import IntegrityError, transaction

    course_services.enrolment_create(user=learner, course=course, source="self")
    enrolment = learner.enrolments.get()
    Certificate.objects.create(
        user=learner, course_key=course.translation_key, enrolment=enrolment
    )
    other = type(learner).objects.create(email="x@example.org", full_name="X")
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            user=other, course_key=course.translation_key, enrolment=enrolment
        )


def test_certificate_uses_the_template_of_the_language_the_course_was_taken_in(
    learner, course, django_capture_on_commit_callbacks
):
    """Enrolled from the English page, the learner worked through the Russian
    translation: the certificate is the Russian one, with the Russian title."""
    from certificates.models import CertificateTemplate
    from courses.factories import translate_tree

    russian_template = CertificateTemplate.objects.create(
        name="Russian", language="ru", title="Сертификат о прохождении курса"
    )
    russian = translate_tree(course, "ru", title_prefix="Курс: ")
    CourseCertificateRule.objects.filter(course=russian).update(
        template=russian_template
    )
    course_services.enrolment_create(user=learner, course=course, source="self")
    with django_capture_on_commit_callbacks(execute=True):
        for item in russian.get_course_items():
            course_services.item_progress_record(
                user=learner, page=item, completed=True
            )
    certificate = Certificate.objects.get(user=learner)
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.language == "ru"
    assert certificate.template == russian_template
    assert certificate.template_snapshot["title"] == "Сертификат о прохождении курса"
    assert certificate.course_title == "Курс: Identifying victims"
    assert certificate.course.pk == russian.pk
