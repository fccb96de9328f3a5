import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone

from training_platform.notifications import services, tasks
from training_platform.notifications.models import Notification, NotificationStatus

pytestmark = pytest.mark.django_db


def _notify(learner, key="k1", event="test_message"):
    return services.notify(recipient=learner, event=event, key=key, context={"n": 1})


def test_notify_records_once_per_recipient_event_and_key_K08(
    learner, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify(learner)
        second = _notify(learner)
    assert first is not None and second is None
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    first.refresh_from_db()
    assert first.status == NotificationStatus.SENT
    assert first.sent_at is not None and first.attempts == 1


def test_the_database_refuses_a_second_row_for_the_same_key(learner, event):
    Notification.objects.create(recipient=learner, event=event, key="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=learner, event=event, key="same")


def test_nothing_is_sent_before_commit(learner, event):
    _notify(learner)  # the test's transaction never commits
    assert mail.outbox == []
    assert Notification.objects.get().status == NotificationStatus.PENDING


def test_message_is_html_with_a_plain_text_part_in_the_recipients_language(
    learner, event, django_capture_on_commit_callbacks
):
    learner.preferred_language = "ru"
    learner.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(learner)
    message = mail.outbox[0]
    assert message.subject == "Мой профиль"
    assert "Body text" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Мой профиль" in html
    assert 'lang="ru"' in html
    assert message.extra_headers["Content-Language"] == "ru"
    assert f"notification-{notification.pk}@" in message.extra_headers["Message-ID"]
    notification.refresh_from_db()
    assert notification.language == "ru" and notification.subject == "Мой профиль"


def test_one_failed_delivery_is_retried_and_sent_once_K22(
    learner, event, monkeypatch, django_capture_on_commit_callbacks
):
    original = EmailMultiAlternatives.send
    calls = []

    def flaky(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("down")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(learner)
    notification.refresh_from_db()
    assert len(calls) == 2
    assert len(mail.outbox) == 1
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 2
    # A late second delivery of the task sends nothing more.
    tasks.deliver_notification.apply(args=[notification.pk])
    assert len(mail.outbox) == 1


def test_a_mail_server_that_stays_down_marks_the_notification_failed(
    learner, event, monkeypatch, django_capture_on_commit_callbacks
):
    def down(self, *args, **kwargs):
        raise smtplib.SMTPConnectError(421, "down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", down)
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(learner)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert notification.attempts == tasks.MAX_RETRIES + 1
    assert "SMTPConnectError" in notification.last_error
    assert mail.outbox == []


def test_a_failure_releases_the_claim_for_the_retry(learner, event, monkeypatch):
    notification = _notify(learner)

    def down(self, *args, **kwargs):
        raise OSError("unreachable")

    monkeypatch.setattr(EmailMultiAlternatives, "send", down)
    with pytest.raises(OSError):
        services.notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.claimed_at is None
    assert notification.status == NotificationStatus.PENDING
    monkeypatch.undo()
    assert services.notification_deliver(notification_id=notification.pk)
    assert not services.notification_deliver(notification_id=notification.pk)
    assert len(mail.outbox) == 1


def test_a_claim_held_by_a_live_worker_is_respected_and_a_stale_one_taken_K06(
    learner, event
):
    notification = _notify(learner)
    Notification.objects.filter(pk=notification.pk).update(claimed_at=timezone.now())
    assert not services.notification_deliver(notification_id=notification.pk)
    assert mail.outbox == []
    stale = timezone.now() - services.CLAIM_TIMEOUT - timedelta(seconds=1)
    Notification.objects.filter(pk=notification.pk).update(claimed_at=stale)
    assert services.notification_deliver(notification_id=notification.pk)
    assert len(mail.outbox) == 1


def test_stalled_notifications_are_queued_again_K01(learner, event):
    notification = _notify(learner)
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    assert services.notifications_resend_stalled() == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert services.notifications_resend_stalled() == 0


def test_a_recipient_without_an_address_is_skipped(learner, event):
    notification = _notify(learner)
    type(learner).objects.filter(pk=learner.pk).update(email="")
    assert not services.notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SKIPPED


def test_unknown_event_is_refused(learner):
    with pytest.raises(LookupError):
        services.notify(recipient=learner, event="no_such_event", key="x")


def test_administrators_search_the_notification_record(
    staff_client, administrator, learner, event
):
    _notify(learner)
    client = staff_client(administrator)
    response = client.get("/admin/notifications/log/", {"q": learner.email})
    assert response.status_code == 200
    assert learner.email in response.content.decode()
    response = client.get(
        "/admin/notifications/log/", {"event": "test_message", "status": "pending"}
    )
    assert learner.email in response.content.decode()
    response = client.get("/admin/notifications/log/", {"status": "sent"})
    assert learner.email not in response.content.decode()


def test_the_notification_record_is_for_administrators_only_E01(
    staff_client, coordinator, event
):
    response = staff_client(coordinator).get("/admin/notifications/log/")
    assert response.status_code in (302, 403)
