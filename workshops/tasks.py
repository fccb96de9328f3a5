"""E-mails about registrations. Thin tasks that take ids and are safe to run
twice: the state the learner is told about is claimed with a conditional
update first, so a repeated run sends nothing."""

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import Registration, RegistrationStatus


def _state(registration) -> str:
    return f"{registration.status}:{registration.sequence}"


@shared_task(
    autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True
)
def send_registration_email(registration_id):
    from . import ics, notifications, selectors

    registration = (
        Registration.objects.select_related(
            "user", "date", "session", "session__venue_country"
        )
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return
    state = _state(registration)
    previous = registration.notified
    if previous == state:
        return
    claimed = Registration.objects.filter(pk=registration_id, notified=previous).update(
        notified=state
    )
    if not claimed:
        return
    user = registration.user
    status = registration.status
    try:
        with translation.override(user.preferred_language):
            context = {
                "user": user,
                "registration": registration,
                "session": registration.session,
                "date": registration.date,
                "status": status,
                "promoted": previous.startswith(RegistrationStatus.WAITING)
                and status == RegistrationStatus.REGISTERED,
                "updated": status == RegistrationStatus.REGISTERED
                and previous.startswith(RegistrationStatus.REGISTERED),
                "position": selectors.waiting_position(registration),
                "session_url": f"{settings.SITE_URL}{registration.session.url or ''}",
                "site_name": settings.WAGTAIL_SITE_NAME,
            }
            subject = render_to_string(
                "workshops/email/registration_subject.txt", context
            ).strip()
            body = render_to_string("workshops/email/registration_body.txt", context)
        calendar = None
        method = "REQUEST"
        if status == RegistrationStatus.REGISTERED:
            calendar = ics.invitation(registration)
        elif status == RegistrationStatus.CANCELLED and previous.startswith(
            RegistrationStatus.REGISTERED
        ):
            # Only an event the learner's calendar holds needs cancelling.
            calendar, method = ics.invitation(registration), "CANCEL"
        notifications.send(
            to=user.email,
            subject=subject,
            body=body,
            calendar=calendar,
            calendar_method=method,
        )
    except Exception:
        with transaction.atomic():
            Registration.objects.filter(pk=registration_id, notified=state).update(
                notified=previous
            )
        raise
