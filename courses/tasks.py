"""E-mails about enrolments, kept as thin tasks for callers that queue them;
both record a notification once (``courses.notifications``)."""

from celery import shared_task

from .models import Enrolment
from .notifications import set_password_url  # noqa: F401 - kept for callers


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_enrolment_email(enrolment_id):
    """Tell a learner enrolled by a coordinator; a new account gets a link to
    set its password (an invitation)."""
    from .notifications import enrolment_notify

    enrolment = Enrolment.objects.select_related("user").filter(pk=enrolment_id)
    if enrolment := enrolment.first():
        enrolment_notify(enrolment)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_enrolment_decision(enrolment_id):
    """Tell a learner that their request was approved or refused."""
    from .notifications import enrolment_decision_notify

    enrolment = Enrolment.objects.select_related("user").filter(pk=enrolment_id)
    if enrolment := enrolment.first():
        enrolment_decision_notify(enrolment)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def remind_inactive_learners():
    """Beat, daily: reminders for learners inactive in an open enrolment."""
    from .notifications import inactive_learners_remind

    return inactive_learners_remind()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def remind_enrolment_closing():
    """Beat, hourly: deciders of requests waiting in a course whose enrolment
    closes in 7 days or 1 day."""
    from .notifications import enrolment_closing_remind

    return enrolment_closing_remind()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def refresh_translation_source(source_id):
    """After a source page is published: mark its translations out of date."""
    from .services import translation_source_refresh

    translation_source_refresh(source_id=source_id)
