"""Workshop e-mails, sent through ``training_platform.notifications``: one
notification per registration and state (status and calendar revision), so a
repeated call sends nothing. Registered learners receive the iCalendar
invitation (METHOD REQUEST), a cancelled place its cancellation (METHOD
CANCEL); the waiting list is told its position."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from training_platform.notifications import registry
from training_platform.notifications import services as notifications

EVENT = "session_registration"


def _registration(notification):
    from .models import Registration

    return (
        Registration.objects.select_related(
            "user", "date", "session", "session__venue_country"
        )
        .filter(pk=notification.context.get("registration_id"))
        .first()
    )


def _context(notification):
    from . import selectors

    registration = _registration(notification)
    if registration is None:
        return {}
    return {
        "registration": registration,
        "session": registration.session,
        "date": registration.date,
        "position": selectors.waiting_position(registration),
        "session_url": f"{settings.SITE_URL}{registration.session.url or ''}",
    }


def _attachments(notification):
    from . import ics

    status = notification.context.get("status")
    reason = notification.context.get("reason")
    registration = _registration(notification)
    if registration is None:
        return []
    if status == "registered":
        method = "REQUEST"
    elif status == "cancelled" and reason != "left_waiting_list":
        # Only an event the learner's calendar may hold needs cancelling.
        method = "CANCEL"
    else:
        return []
    return [
        (
            "invite.ics",
            ics.invitation(registration, method=method),
            f'text/calendar; charset="utf-8"; method={method}',
        )
    ]


def register_events():
    registry.register(
        EVENT,
        label=_("Workshop or webinar registration"),
        template="workshops/email/registration",
        context=_context,
        attachments=_attachments,
    )


def registration_notify(registration, *, reason):
    """Tell the learner about the registration's current state. ``reason``:
    registered, waiting, promoted, updated, cancelled, left_waiting_list."""
    return notifications.notify(
        recipient=registration.user,
        event=EVENT,
        key=f"registration:{registration.pk}:{registration.status}:"
        f"{registration.sequence}",
        context={
            "registration_id": registration.pk,
            "status": registration.status,
            "sequence": registration.sequence,
            "reason": reason,
        },
    )
