"""Writing the audit log: ``record`` is the one way in."""

import logging

from .context import current_request
from .models import AuditEntry

logger = logging.getLogger(__name__)


def _address(request):
    if request is None:
        return None
    from certificates.throttle import client_address

    address = client_address(request)
    return None if address == "unknown" else address


def _who(user):
    """The actor's id and label: staff by their address (they act on
    others), anybody else by number only, so that the log, which is never
    changed, holds no learner's name or address."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None, ""
    from training_platform.accounts import roles

    if roles.is_staff_member(user):
        return user.pk, user.email
    return user.pk, f"#{user.pk}"


def _label(obj, label):
    if label:
        return label
    if obj is None:
        return ""
    from django.contrib.auth import get_user_model

    if isinstance(obj, get_user_model()):
        return _who(obj)[1] or f"#{obj.pk}"
    return str(obj)


def record(action, *, obj=None, actor=None, label="", details=None, request=None):
    """Add an entry for ``action`` on ``obj`` (a model instance, or None).
    The actor is ``actor`` or the signed-in person of the request being
    served; the address is the request's client address (none in a worker).
    """
    request = request or current_request.get()
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    actor_id, actor_label = _who(actor)
    entry = AuditEntry.objects.create(
        actor_id=actor_id,
        actor=actor_label,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=_label(obj, label)[:255],
        address=_address(request),
        details=details or {},
    )
    logger.info(
        "audit %s actor=%s object=%s:%s",
        action,
        actor_id,
        entry.object_type,
        entry.object_id,
    )
    return entry
