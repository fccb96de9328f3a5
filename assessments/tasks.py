from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def finalize_overdue_attempts():
    """Idempotent: an attempt already finished is left alone."""
    return services.attempts_finalize_overdue()
