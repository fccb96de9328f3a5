"""Builders of sessions for tests and ``seed_demo``."""

from datetime import date as date_cls
from datetime import time, timedelta

from django.utils import timezone

from .models import SessionDate, SessionPage


def build_session(
    *,
    module,
    title="Workshop on identifying victims",
    dates=None,
    trainers=(),
    **fields,
):
    """A published session under ``module``. ``dates`` are tuples
    (day, start time, end time[, time zone]); by default one date a week from
    now, 09:00–17:00 in Tirana."""
    if dates is None:
        day = (timezone.now() + timedelta(days=7)).date()
        dates = [(day, time(9), time(17))]
    fields.setdefault("kind", "in_person")
    fields.setdefault("venue_city", "Tirana")
    fields.setdefault("venue_address", "Rruga e Kavajës 10")
    page = SessionPage(
        title=title, slug=fields.pop("slug", None) or _slug(title), **fields
    )
    for entry in dates:
        day, start, end, *zone = entry
        page.dates.add(
            SessionDate(
                day=day if isinstance(day, date_cls) else day.date(),
                start_time=start,
                end_time=end,
                time_zone=zone[0] if zone else "Europe/Tirane",
            )
        )
    page.locale = module.locale
    module.add_child(instance=page)
    if trainers:
        page.trainers.set(list(trainers))
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _slug(title):
    from django.utils.text import slugify

    return slugify(title)[:50] or "session"
