"""A coordinator's bulk registration: the course's bulk-enrolment file
(CSV or XLSX, preview, per-row errors, all or nothing) with one more step,
registering the same learners for a session once they are enrolled."""

from django.utils import formats
from django.utils.translation import gettext as _

from courses import bulk

from . import services
from .models import RegistrationSource, RegistrationStatus, SessionDate, SessionPage

STEP = "session"


def extra_for(session, date=None) -> dict:
    return {"step": STEP, "session": session.pk, "date": date.pk if date else None}


def _target(batch):
    extra = batch.extra or {}
    session = SessionPage.objects.filter(pk=extra.get("session")).first()
    if session is None:
        return None, []
    dates = session.dates.order_by("starts_at", "pk")
    if extra.get("date"):
        dates = dates.filter(pk=extra["date"])
    return session, list(dates)


def _when(date: SessionDate) -> str:
    return formats.date_format(date.local_start, "DATETIME_FORMAT")


class SessionStep:
    def describe(self, batch) -> list[str]:
        session, dates = _target(batch)
        if session is None or not dates:
            return [_("The session of this file no longer exists.")]
        lines = [
            _("Then registered for the session “%(title)s”: %(dates)s.")
            % {"title": session.title, "dates": "; ".join(_when(d) for d in dates)}
        ]
        if session.capacity is not None:
            for date in dates:
                left = max(session.capacity - services.seats_taken(date), 0)
                lines.append(
                    _(
                        "%(when)s: %(left)s places left; learners beyond them go "
                        "on the waiting list in the order of the file."
                    )
                    % {"when": _when(date), "left": left}
                )
        return lines

    def apply(self, batch, users, by) -> str:
        session, dates = _target(batch)
        if session is None or not dates:
            raise services.RegistrationError(
                "no_session", _("The session of this file no longer exists.")
            )
        date = None if session.every_date_required else dates[0]
        registered = waiting = 0
        for user in users:
            rows = services.registration_create(
                user=user,
                session=session,
                date=date,
                by=by,
                source=RegistrationSource.STAFF,
            )
            if any(r.status == RegistrationStatus.WAITING for r in rows):
                waiting += 1
            else:
                registered += 1
        return _(
            "Session “%(title)s”: %(registered)s registered, %(waiting)s on the "
            "waiting list."
        ) % {"title": session.title, "registered": registered, "waiting": waiting}


def register():
    bulk.register_step(STEP, SessionStep())
