"""Workshop e-mails, sent through ``training_platform.notifications``: one
notification per registration and state (status and calendar revision), so a
repeated call sends nothing. Registered learners receive the iCalendar
invitation (METHOD REQUEST), a cancelled place its cancellation (METHOD
CANCEL); the waiting list is told its position."""

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
    session = notifications.page_in_language(registration.session)
    return {
        "registration": registration,
        "session": session,
        "date": registration.date,
        "position": selectors.waiting_position(registration),
        "session_url": notifications.page_link(session),
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


# ---------------------------------------------------------------- reminders

SOON = "session_soon"
THRESHOLDS = (7, 1)


def _soon_context(notification):
    from .models import SessionDate

    date = (
        SessionDate.objects.select_related("page")
        .filter(pk=notification.context.get("date_id"))
        .first()
    )
    if date is None:
        return {}
    session = notifications.page_in_language(date.page)
    return {
        "session": session,
        "date": date,
        "session_url": notifications.page_link(session),
        "threshold": notification.context.get("threshold"),
    }


def register_reminders():
    registry.register(
        SOON,
        label=_("Reminder: a workshop or webinar date is near"),
        reminder=True,
        template="workshops/email/soon",
        context=_soon_context,
    )


def session_dates_remind(*, now=None) -> int:
    """Beat, hourly: 7 days and 1 day before a date starts, a reminder to each
    learner registered for it. The date's start and the threshold are in the
    key, so beat firing twice sends nothing more and a moved date is reminded
    again; unsubscribed learners get none."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import Registration, RegistrationStatus, SessionDate

    now = now or timezone.now()
    dates = SessionDate.objects.filter(
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=max(THRESHOLDS)),
        page__live=True,
    )
    sent = 0
    for date in dates:
        left = (date.starts_at - now).total_seconds() / 86400
        threshold = min(days for days in THRESHOLDS if left <= days)
        registrations = (
            Registration.objects.filter(date=date, status=RegistrationStatus.REGISTERED)
            .exclude(user__notification_preference__reminders=False)
            .select_related("user")
        )
        key = f"session-date:{date.pk}:{date.starts_at:%Y%m%d%H%M}:{threshold}"
        for registration in registrations.iterator(chunk_size=500):
            created = notifications.notify(
                recipient=registration.user,
                event=SOON,
                key=key,
                context={"date_id": date.pk, "threshold": threshold},
            )
            sent += created is not None
    return sent
