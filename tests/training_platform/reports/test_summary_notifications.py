"""The coordinators' monthly summary goes through the notifications module
(issue 14): recorded once per coordinator and month, in their language."""

from datetime import date

import pytest
from django.core import mail

from training_platform.notifications.models import Notification, NotificationStatus
from training_platform.reports import services

pytestmark = pytest.mark.django_db


def test_monthly_summary_is_one_recorded_notification(coordinator):
    coordinator.preferred_language = "ru"
    coordinator.save()
    assert services.monthly_summaries_send(today=date(2026, 11, 1)) == 1
    assert services.monthly_summaries_send(today=date(2026, 11, 1)) == 0
    (message,) = mail.outbox
    assert message.alternatives[0][1] == "text/html"
    assert message.extra_headers["Content-Language"] == "ru"
    notification = Notification.objects.get(recipient=coordinator)
    assert notification.event == "coordinator_monthly_summary"
    assert notification.key == "monthly:2026-10-01"
    assert notification.status == NotificationStatus.SENT
