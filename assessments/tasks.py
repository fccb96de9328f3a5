from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def finalize_overdue_attempts():
    """Idempotent: an attempt already finished is left alone."""
    return services.attempts_finalize_overdue()


@shared_task(ignore_result=True)
def record_assessment_progress(user_id, assessment_key):
    """Idempotent: records the learner's grade as it is when it runs."""
    services.assessment_progress_record(user_id=user_id, assessment_key=assessment_key)
