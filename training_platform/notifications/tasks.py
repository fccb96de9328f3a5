"""Thin tasks: they take ids, call a service and are safe to run twice."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)

MAX_RETRIES = 6
BACKOFF = 30  # seconds, doubled per attempt
BACKOFF_MAX = 600  # far below the broker's visibility timeout (K10)


def backoff(retries: int) -> int:
    return min(BACKOFF_MAX, BACKOFF * 2**retries)


@shared_task(
    bind=True,
    max_retries=MAX_RETRIES,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def deliver_notification(self, notification_id):
    """Send one notification; a mail server that fails is retried with
    backoff, and after the last retry the notification is marked failed."""
    try:
        services.notification_deliver(notification_id=notification_id)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            services.notification_fail(notification_id=notification_id, error=error)
            return
        logger.warning("notification %s: %s; retrying", notification_id, error)
        if self.request.is_eager:
            # Tasks run inline (embedded mode): no worker to come back later.
            deliver_notification.apply(
                args=[notification_id], retries=self.request.retries + 1
            )
            return
        raise self.retry(
            exc=error, countdown=min(backoff(self.request.retries), 600)
        ) from error


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def resend_stalled():
    """Beat, every 15 minutes: queue again pending notifications whose task
    was lost."""
    return services.notifications_resend_stalled()
