"""Celery tasks: thin, idempotent, taking ids. ``acks_late`` and
``reject_on_worker_lost`` (set for every task in settings, repeated here)
redeliver a task whose worker died (K06); the services make a second run a
no-op (K08). Time limits stay below the broker's visibility timeout (L10);
retries use a bounded exponential backoff, never a countdown near it (K10)."""

import logging

from celery import shared_task

from . import services
from .models import Certificate

logger = logging.getLogger(__name__)

RETRY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
}


@shared_task(autoretry_for=(OSError,), max_retries=5, **RETRY)
def issue_certificate(certificate_id):
    """Issue a pending certificate and produce its documents. Disk errors
    (K16) retry with backoff; the certificate stays issued meanwhile."""
    try:
        services.certificate_issue(certificate_id=certificate_id)
        services.certificate_render(certificate_id=certificate_id)
    except Certificate.DoesNotExist:
        logger.warning("certificate %s no longer exists", certificate_id)


@shared_task(autoretry_for=(Exception,), max_retries=8, **RETRY)
def email_certificate(certificate_id):
    """E-mail the certificate; an SMTP outage retries this task alone (K22)."""
    try:
        services.certificate_email_send(certificate_id=certificate_id)
    except Certificate.DoesNotExist:
        logger.warning("certificate %s no longer exists", certificate_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def reconcile_certificates():
    """Beat, every five minutes: finish whatever was missed (K01, K21)."""
    return services.certificates_reconcile()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_expiry_reminders():
    """Beat, daily: remind learners whose certificate expires soon."""
    return services.certificates_send_expiry_reminders()
