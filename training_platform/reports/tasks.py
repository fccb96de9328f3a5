"""Thin tasks: they take ids, call a service and are safe to run twice."""

import logging
from datetime import date
from smtplib import SMTPException

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)

# A mail server that is down retries the one e-mail, with a bounded backoff
# far below the broker's visibility timeout (K10, K22).
MAIL_RETRY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (SMTPException, OSError),
    "max_retries": 6,
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "ignore_result": True,
}


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def refresh_reports():
    services.report_refresh()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def build_export(export_id):
    """Build a large export; a second delivery finds it built or being
    built and does nothing."""
    services.export_build(export_id=export_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def purge_expired_exports():
    """Beat, hourly: delete expired exports and send again the ones whose
    task was lost."""
    services.exports_purge()
    services.exports_resume()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_monthly_summaries():
    """Beat, on the first of the month: one task per coordinator."""
    return services.monthly_summaries_send()


@shared_task(**MAIL_RETRY)
def send_monthly_summary(coordinator_id, period):
    services.monthly_summary_send(
        coordinator_id=coordinator_id, period=date.fromisoformat(period)
    )


@shared_task(**MAIL_RETRY)
def send_summary(delivery_id, query, language):
    """An on-demand summary, for the dashboard's filters in ``query``."""
    services.summary_send(delivery_id=delivery_id, query=query, language=language)
