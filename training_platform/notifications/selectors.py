"""Reads: a user's notifications and the unread count shown on every page."""

from django.core.cache import cache

from .models import Notification
from .services import UNREAD_KEY, UNREAD_TIMEOUT


def notifications_for(user):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    """The number in the header's bell. Kept in the cache per user and
    dropped when a notification is created or read, so that a page costs no
    query for it."""
    if not getattr(user, "is_authenticated", False):
        return 0
    key = UNREAD_KEY.format(user.pk)
    value = cache.get(key)
    if value is None:
        value = Notification.objects.filter(
            recipient_id=user.pk, read_at__isnull=True
        ).count()
        cache.set(key, value, UNREAD_TIMEOUT)
    return value
