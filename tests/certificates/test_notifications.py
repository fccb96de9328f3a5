"""Certificate e-mails through the notifications module (issue 14)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from certificates import services
from certificates.models import Certificate
from training_platform.notifications import services as notifications
from training_platform.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_issued_certificate_mail_has_html_the_pdf_and_the_verification_link(
    learner, make_certificate
):
    certificate = make_certificate(learner, render=False)
    services.certificate_render(certificate_id=certificate.pk)
    assert services.certificate_email_send(certificate_id=certificate.pk)
    (message,) = mail.outbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f"/verify/{certificate.code}" in message.body
    assert f"/verify/{certificate.code}" in html
    assert message.attachments[0][0] == f"certificate-{certificate.code}.pdf"
    assert Notification.objects.get().event == "certificate_issued"


def _expire_in(certificate, days):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() + timedelta(days=days, hours=1),
        email_sent_at=timezone.now(),
    )


def test_expiry_reminders_at_60_30_and_7_days_once_each_even_if_beat_fires_twice(
    learner, make_certificate
):
    certificate = make_certificate(learner, render=False)
    now = timezone.now()
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=now + timedelta(days=90), email_sent_at=now
    )
    sent = []
    for day in (0, 31, 31, 45, 61, 61, 83, 83, 89):
        at = now + timedelta(days=day)
        sent.append(services.certificates_send_expiry_reminders(now=at))
    assert sent == [0, 1, 0, 0, 1, 0, 1, 0, 0]
    keys = sorted(Notification.objects.values_list("key", flat=True))
    assert keys == [f"certificate:{certificate.pk}:expiring:{d}" for d in (30, 60, 7)]
    assert len(mail.outbox) == 3
    assert all("List-Unsubscribe" in m.extra_headers for m in mail.outbox)


def test_no_expiry_reminder_after_unsubscribing(learner, make_certificate):
    certificate = make_certificate(learner, render=False)
    _expire_in(certificate, 20)
    notifications.preference_set(user=learner, reminders=False)
    assert services.certificates_send_expiry_reminders() == 0
    assert mail.outbox == []
