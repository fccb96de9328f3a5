"""Issuing and the lifecycle: exactly once, frozen text, revocation, reissue,
regeneration, expiry, and the faults of the catalogue (K01, K08, K16, K17,
K21, K22)."""

import errno
import smtplib
import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from certificates import services, tasks
from certificates.models import (
    Certificate,
    CertificateStatus,
    CourseCertificateRule,
    EventKind,
    PdfStatus,
)

pytestmark = pytest.mark.django_db


def _request(user, course_page, **kwargs):
    return services.certificate_request(
        user=user, course_key=course_page.translation_key, course=course_page, **kwargs
    )


def test_completion_creates_one_pending_certificate_and_repeats_are_no_ops(
    learner, rule, course_page
):
    first = _request(learner, course_page)
    second = _request(learner, course_page)
    assert first.pk == second.pk
    assert first.status == CertificateStatus.PENDING
    assert Certificate.objects.count() == 1


def test_no_certificate_without_a_rule_or_when_the_rule_says_so(learner, course_page):
    assert _request(learner, course_page) is None
    CourseCertificateRule.objects.create(course=course_page, issue_certificates=False)
    assert _request(learner, course_page) is None
    assert not Certificate.objects.exists()


def test_database_allows_one_current_certificate_per_learner_and_course(
    learner, rule, course_page
):
    from django.db import IntegrityError, transaction

    _request(learner, course_page)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(user=learner, course_key=course_page.translation_key)


def test_issuing_freezes_what_the_certificate_says(
    learner, make_certificate, course_page, certificate_template
):
    learner.certificate_name = "Ана Петровић"
    learner.save()
    certificate = make_certificate(learner)
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.learner_name == "Ана Петровић"
    assert certificate.course_title == course_page.title
    assert certificate.template_version == certificate_template.version
    assert certificate.score == Decimal("88")
    assert (
        certificate.expires_at.date()
        == (certificate.issued_at + timedelta(days=731)).date()
        or certificate.expires_at.year == certificate.issued_at.year + 2
    )
    # Later edits to the profile, the course and the template change nothing.
    learner.certificate_name = "Somebody Else"
    learner.save()
    course_page.title = "Renamed"
    course_page.save()
    certificate_template.title = "Changed"
    certificate_template.save()
    certificate.refresh_from_db()
    assert certificate.learner_name == "Ана Петровић"
    assert certificate.course_title == "Identifying victims of trafficking"
    assert certificate.template_snapshot["title"] != "Changed"
    assert certificate_template.version == certificate.template_version + 1


def test_control_and_direction_characters_are_removed_from_the_name_D06(
    learner, make_certificate
):
    learner.certificate_name = "Ana\u202e ‮Petrović\u2066\u200b"
    learner.save(update_fields=[])  # bypass save()'s own cleaning
    type(learner).objects.filter(pk=learner.pk).update(
        certificate_name="Ana\u202e Petrović\u2066\u200b"
    )
    learner.refresh_from_db()
    certificate = make_certificate(learner)
    assert certificate.learner_name == "Ana Petrović"
    from certificates import rendering

    text = rendering.pdf_text(certificate.pdf.read())
    assert "Ana Petrović" in text
    assert "\u202e" not in text and "\u2066" not in text


def test_minimum_score_not_met_means_no_certificate(learner, rule, course_page):
    rule.minimum_score = Decimal("70")
    rule.save()
    certificate = _request(learner, course_page, score=Decimal("69.5"))
    certificate = services.certificate_issue(certificate_id=certificate.pk)
    assert certificate.status == CertificateStatus.NOT_ELIGIBLE
    assert certificate.events.filter(kind=EventKind.NOT_ELIGIBLE).exists()


def test_render_writes_pdf_and_png_and_emails_once(
    learner, make_certificate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = make_certificate(learner)
    assert certificate.pdf_status == PdfStatus.READY
    assert certificate.pdf.read().startswith(b"%PDF")
    assert certificate.png.read().startswith(b"\x89PNG")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [learner.email]
    assert message.attachments[0][2] == "application/pdf"
    assert certificate.code in message.body


def test_a_task_delivered_twice_gives_one_certificate_and_one_email_K08(
    learner, rule, course_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = _request(learner, course_page)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED
    rendered_at = certificate.rendered_at
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.issue_certificate.apply(args=[certificate.pk])
            tasks.email_certificate.apply(args=[certificate.pk])
    certificate.refresh_from_db()
    assert Certificate.objects.count() == 1
    assert certificate.rendered_at == rendered_at
    assert certificate.events.filter(kind=EventKind.RENDERED).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_completions_give_one_certificate_and_one_email_K13(
    learner, rule, course_page
):
    if connection.vendor == "sqlite" and "memory" in str(
        connection.settings_dict["NAME"]
    ):
        pytest.skip("threads need a shared database file (PostgreSQL run)")
    barrier = threading.Barrier(20)
    errors = []

    def complete():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            _request(learner, course_page)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=complete) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Certificate.objects.count() == 1
    assert Certificate.objects.get().status == CertificateStatus.ISSUED
    assert len(mail.outbox) == 1


def test_broker_down_at_completion_commits_quickly_and_reconciler_issues_K01(
    learner,
    rule,
    course_page,
    django_capture_on_commit_callbacks,
    caplog,
    monkeypatch,
    settings,
):
    """The task is published to a Redis that is not there (a closed port),
    with the project's broker options; the completion still commits fast."""
    from celery import Celery

    # Celery lets CELERY_BROKER_URL in the environment override an app's
    # broker (the services run sets it): keep it away from this app.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    dead = Celery("dead-broker", broker="redis://127.0.0.1:1/0", set_as_current=False)
    dead.conf.update(
        broker_transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        broker_connection_timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
        task_always_eager=False,
    )
    unreachable = dead.task(name="certificates.tasks.issue_certificate")(
        lambda certificate_id: None
    )
    monkeypatch.setattr(tasks, "issue_certificate", unreachable)
    try:
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            certificate = _request(learner, course_page)
        elapsed = time.monotonic() - started
    finally:
        dead.pool.force_close_all()
    monkeypatch.undo()
    assert "could not enqueue issue_certificate" in caplog.text
    assert elapsed < 5
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.PENDING
    assert not mail.outbox
    counts = services.certificates_reconcile(grace=timedelta(0))
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.pdf_status == PdfStatus.READY
    assert counts["issued"] == 1 and counts["emailed"] == 1
    assert len(mail.outbox) == 1
    # A second pass finds nothing to do.
    assert not any(services.certificates_reconcile(grace=timedelta(0)).values())
    assert len(mail.outbox) == 1


def test_issue_missing_certificates_command_runs_the_reconciler(
    learner, rule, course_page
):
    certificate = _request(learner, course_page)
    Certificate.objects.filter(pk=certificate.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    call_command("issue_missing_certificates", "--grace-minutes", "0")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.pdf_status == PdfStatus.READY


def test_disk_full_keeps_the_certificate_issued_with_document_pending_K16(
    learner, make_certificate, monkeypatch, client
):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(services, "_write_atomically", full)
    certificate = make_certificate(learner, render=False)
    with pytest.raises(OSError):
        services.certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.pdf_status == PdfStatus.PENDING
    assert not certificate.pdf
    response = client.get(f"/en/verify/{certificate.code}/")
    assert response.status_code == 200
    assert b"Valid" in response.content
    monkeypatch.undo()
    services.certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert certificate.pdf_status == PdfStatus.READY


def test_disk_full_task_retries_with_bounded_backoff_K16():
    assert OSError in tasks.issue_certificate.autoretry_for
    assert tasks.issue_certificate.max_retries == 5
    assert tasks.issue_certificate.acks_late
    assert tasks.issue_certificate.reject_on_worker_lost


def test_atomic_write_leaves_no_partial_file_K06(
    learner, make_certificate, monkeypatch
):
    import os

    from django.core.files.storage import default_storage

    certificate = make_certificate(learner, render=False)

    def boom(fd):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError):
        services.certificate_render(certificate_id=certificate.pk)
    monkeypatch.undo()
    directory = os.path.join(default_storage.location, "certificates", "pdf")
    assert not os.path.exists(directory) or os.listdir(directory) == []


def test_a_document_that_always_fails_stops_being_retried_K17(
    learner, make_certificate, monkeypatch
):
    certificate = make_certificate(learner, render=False)

    def crash(data):
        raise MemoryError("poison")

    monkeypatch.setattr(services.rendering, "render_pdf", crash)
    for _ in range(services.MAX_RENDER_ATTEMPTS):
        with pytest.raises(MemoryError):
            services.certificate_render(certificate_id=certificate.pk)
    # The worker died during each of those; the next delivery gives up.
    Certificate.objects.filter(pk=certificate.pk).update(
        render_attempts=services.MAX_RENDER_ATTEMPTS
    )
    result = services.certificate_render(certificate_id=certificate.pk)
    assert result.pdf_status == PdfStatus.FAILED
    assert result.events.filter(kind=EventKind.RENDER_FAILED).exists()
    # Failed documents are not picked up again by the reconciler.
    assert services.certificates_reconcile(grace=timedelta(0))["rendered"] == 0


def test_smtp_down_does_not_affect_issuing_and_email_is_retried_K22(
    learner, make_certificate, monkeypatch
):
    from django.core.mail import EmailMultiAlternatives

    certificate = make_certificate(learner)

    def down(self, *args, **kwargs):
        raise smtplib.SMTPConnectError(421, "down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", down)
    with pytest.raises(smtplib.SMTPException):
        services.certificate_email_send(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.email_sent_at is None
    assert certificate.email_claimed_at is None  # released for the retry
    monkeypatch.undo()
    assert services.certificate_email_send(certificate_id=certificate.pk)
    assert not services.certificate_email_send(certificate_id=certificate.pk)
    assert len(mail.outbox) == 1


def test_revoke_needs_a_reason_and_is_kept_in_history(
    learner, administrator, make_certificate
):
    certificate = make_certificate(learner)
    with pytest.raises(ValidationError):
        services.certificate_revoke(
            certificate=certificate, by=administrator, reason=" "
        )
    services.certificate_revoke(
        certificate=certificate, by=administrator, reason="Issued in error"
    )
    again = services.certificate_revoke(
        certificate=certificate, by=administrator, reason="twice"
    )
    assert again.status == CertificateStatus.REVOKED
    assert again.public_status == "revoked"
    events = list(again.events.filter(kind=EventKind.REVOKED))
    assert len(events) == 1
    assert events[0].actor == administrator
    assert events[0].reason == "Issued in error"


def test_reissue_after_name_correction_supersedes_the_old_one(
    learner, administrator, make_certificate, django_capture_on_commit_callbacks
):
    certificate = make_certificate(learner)
    with django_capture_on_commit_callbacks(execute=True):
        new = services.certificate_reissue(
            certificate=certificate,
            by=administrator,
            reason="Name misspelt",
            learner_name="Ana Petrović-Jovanović",
        )
    certificate.refresh_from_db()
    new.refresh_from_db()
    assert certificate.status == CertificateStatus.SUPERSEDED
    assert certificate.public_status == "superseded"
    assert new.code != certificate.code
    assert new.learner_name == "Ana Petrović-Jovanović"
    assert new.replaces == certificate
    assert new.course_title == certificate.course_title
    assert new.expires_at == certificate.expires_at
    assert new.pdf_status == PdfStatus.READY
    assert new.events.filter(kind=EventKind.REISSUED, reason="Name misspelt").exists()
    assert certificate.events.filter(kind=EventKind.SUPERSEDED).exists()


def test_regenerate_is_an_explicit_action_with_reason_and_keeps_the_code(
    learner,
    administrator,
    make_certificate,
    certificate_template,
    django_capture_on_commit_callbacks,
):
    certificate = make_certificate(learner)
    old_pdf = certificate.pdf.name
    certificate_template.title = "New title"
    certificate_template.save()
    with pytest.raises(ValidationError):
        services.certificate_regenerate(
            certificate=certificate, by=administrator, reason=""
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_regenerate(
            certificate=certificate,
            by=administrator,
            reason="New logo",
            use_current_template=True,
        )
    certificate.refresh_from_db()
    assert certificate.pdf.name != old_pdf
    assert certificate.template_snapshot["title"] == "New title"
    event = certificate.events.get(kind=EventKind.REGENERATED)
    assert event.reason == "New logo" and event.actor == administrator


def test_expiry_and_recertification_issue_a_new_certificate_with_history(
    learner, make_certificate, course_page, django_capture_on_commit_callbacks
):
    certificate = make_certificate(learner)
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    certificate.refresh_from_db()
    assert certificate.public_status == "expired"
    with django_capture_on_commit_callbacks(execute=True):
        new = _request(learner, course_page)
    new.refresh_from_db()
    certificate.refresh_from_db()
    assert new.pk != certificate.pk
    assert new.replaces == certificate
    assert new.status == CertificateStatus.ISSUED
    assert certificate.status == CertificateStatus.SUPERSEDED


def test_expiry_reminders_are_sent_once(learner, make_certificate):
    certificate = make_certificate(learner)
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() + timedelta(days=10), email_sent_at=timezone.now()
    )
    assert services.certificates_send_expiry_reminders(days=30) == 1
    assert services.certificates_send_expiry_reminders(days=30) == 0
    assert len(mail.outbox) == 1
    assert "expires" in mail.outbox[0].subject


def test_no_countdown_or_eta_near_the_visibility_timeout_K10_L10(settings):
    from pathlib import Path

    import certificates

    source = "\n".join(
        path.read_text() for path in Path(certificates.__file__).parent.glob("*.py")
    )
    assert "countdown=" not in source and "eta=" not in source
    visibility = settings.CELERY_BROKER_VISIBILITY_TIMEOUT
    assert visibility > settings.CELERY_TASK_TIME_LIMIT
    for task in (tasks.issue_certificate, tasks.email_certificate):
        assert task.retry_backoff_max < visibility


def test_a_redelivered_completion_never_reissues_a_revoked_certificate(
    learner, administrator, rule, course_page
):
    first = _request(learner, course_page, completion_ref=41)
    services.certificate_issue(certificate_id=first.pk)
    services.certificate_revoke(certificate=first, by=administrator, reason="Fraud")
    again = _request(learner, course_page, completion_ref=41)
    assert again.pk == first.pk
    assert Certificate.objects.count() == 1


def test_tasks_lost_with_the_broker_are_all_issued_by_the_reconciler_K04(
    rule, course_page, monkeypatch
):
    """500 certificates whose tasks were lost (Redis restarted without
    persistence): one reconciler pass issues each of them exactly once."""
    from training_platform.accounts.models import User

    monkeypatch.setattr(services.rendering, "render_pdf", lambda data: b"%PDF-1.7 x")
    monkeypatch.setattr(services.rendering, "render_png", lambda pdf: b"\x89PNG x")
    users = User.objects.bulk_create(
        [
            User(email=f"k04-{i}@example.org", full_name=f"Learner {i}")
            for i in range(500)
        ]
    )
    old = timezone.now() - timedelta(hours=1)
    Certificate.objects.bulk_create(
        [
            Certificate(
                user=user,
                course_key=course_page.translation_key,
                course=course_page,
                created_at=old,
            )
            for user in users
        ]
    )
    counts = services.certificates_reconcile(grace=timedelta(minutes=1), limit=1000)
    assert counts["issued"] == 500 and counts["rendered"] == 500
    assert counts["emailed"] == 500 and counts["failed"] == 0
    assert Certificate.objects.filter(status=CertificateStatus.ISSUED).count() == 500
    assert len(mail.outbox) == 500
    assert not any(services.certificates_reconcile(grace=timedelta(0)).values())
