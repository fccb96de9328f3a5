from celery import shared_task


@shared_task(ignore_result=True)
def remind_session_dates():
    """Beat, hourly: reminders 7 days and 1 day before a session date."""
    from .notifications import session_dates_remind

    return session_dates_remind()
