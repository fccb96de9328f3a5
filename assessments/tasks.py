from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def finalize_overdue_attempts():
    """Idempotent: an attempt already finished is left alone."""
    return services.attempts_finalize_overdue()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def remind_assessment_deadlines():
    """Beat, hourly: reminders 7 days and 1 day before an assessment closes."""
    from .notifications import assessment_deadlines_remind

    return assessment_deadlines_remind()
