def date_deleted(sender, instance, **kwargs):
    """A date removed from a session: its registrations are cancelled and the
    learners receive the calendar cancellation."""
    from .services import date_removed

    date_removed(date=instance)


def session_published(sender, instance, **kwargs):
    """More places after a publish: learners waiting move up, in order."""
    from .services import capacity_changed

    capacity_changed(session=instance.specific)
