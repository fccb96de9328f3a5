from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_follow_ups():
    """Beat, daily: follow-up surveys and their reminder."""
    from .services import follow_ups_send

    return follow_ups_send()
