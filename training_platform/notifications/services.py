"""Writes: record a notification once, deliver it, mark it read, and the
learner's preferences. See the package docstring for the API and the one
window in which a message may be sent twice."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import registry
from .models import Notification, NotificationPreference, NotificationStatus

logger = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died.
CLAIM_TIMEOUT = timedelta(minutes=15)
UNREAD_KEY = "notifications:unread:{}"
UNREAD_TIMEOUT = 60 * 60
UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def page_in_language(page, language=None):
    """``page`` as a message in ``language`` (the language being rendered)
    should link to it: its live translation there, else the page itself."""
    from django.utils import translation
    from wagtail.models import Locale

    if page is None:
        return None
    locale = Locale.objects.filter(
        language_code=language or translation.get_language()
    ).first()
    localized = page.get_translation_or_none(locale) if locale else None
    if localized is not None and localized.live:
        return localized.specific
    return page


def page_link(page) -> str:
    """The absolute address of ``page`` for a message ("" for none)."""
    return absolute(page.url or "") if page is not None else ""


def unread_cache_clear(user_id) -> None:
    cache.delete(UNREAD_KEY.format(user_id))


def reminders_allowed(user) -> bool:
    return not NotificationPreference.objects.filter(
        user=user, reminders=False
    ).exists()


def notify(*, recipient, event, key, context=None, deliver=True):
    """Record that ``recipient`` is told about ``event`` (unique by ``key``)
    and send it after commit. Returns the new ``Notification``, or None when
    it was recorded before or the recipient turned this kind of message off.
    ``deliver=False`` leaves sending to the caller (``notification_deliver``),
    for callers that already run in a worker and want the outcome."""
    kind = registry.get(event)
    if kind.reminder and not reminders_allowed(recipient):
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, event=event, key=key, context=context or {}
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: unread_cache_clear(recipient.pk))
    if deliver:
        transaction.on_commit(lambda: _publish(notification.pk), robust=True)
    return notification


def _publish(notification_id) -> None:
    """Queue the delivery once, on a connection whose every socket operation
    is bounded (``publish_bounded``): a broker that is down or does not accept
    writes costs the request no more than ``PUBLISH_TIMEOUT`` (K02); the row
    stays pending and ``resend_stalled`` (beat) queues it again."""
    from training_platform.celery import publish_bounded

    from .tasks import deliver_notification

    try:
        publish_bounded(deliver_notification, [notification_id])
    except Exception:  # noqa: BLE001 - any broker failure: resend_stalled takes over
        logger.warning(
            "could not queue notification %s; resend_stalled will retry",
            notification_id,
            exc_info=True,
        )


def notify_now(*, recipient, event, key, context=None) -> bool:
    """For callers that already run in a worker: record the notification (once)
    and send it in this process. Raises when sending fails (the caller's task
    retries; the row stays pending). True when this call sent it; False when
    it was sent before or the recipient turned this kind of message off."""
    notification = notify(
        recipient=recipient, event=event, key=key, context=context, deliver=False
    )
    if notification is None:
        notification = Notification.objects.filter(
            recipient=recipient, event=event, key=key
        ).first()
        if notification is None:
            return False
    return notification_deliver(notification_id=notification.pk)


def unsubscribe_token(user) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def user_id_from_token(token: str):
    """The user a one-click unsubscribe token was made for, or None when it
    was not made by this site (tampered, truncated, another salt)."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) else None


def unsubscribe_url(user) -> str:
    return absolute(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(user)])
    )


def render(notification, *, language=None):
    """(subject, text, html, language) of a notification, in ``language`` or
    the recipient's."""
    kind = registry.get(notification.event)
    recipient = notification.recipient
    language = language or recipient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            **notification.context,
            "notification": notification,
            "recipient": recipient,
            "user": recipient,
            "language": language,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "site_url": settings.SITE_URL,
            "reminder": kind.reminder,
            "notifications_url": absolute(reverse("notifications:list")),
            "preferences_url": absolute(reverse("notifications:preferences")),
        }
        if kind.reminder:
            context["unsubscribe_url"] = unsubscribe_url(recipient)
        if kind.context is not None:
            context.update(kind.context(notification) or {})
        prefix = kind.template_prefix
        subject = " ".join(render_to_string(f"{prefix}.subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"{prefix}.txt", context)
        html = render_to_string(f"{prefix}.html", context)
    return subject, text, html, language, context


def build_message(notification):
    kind = registry.get(notification.event)
    subject, text, html, language, context = render(notification)
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":")[0]
    headers = {
        # The same id on a second send (see the package docstring).
        "Message-ID": f"<notification-{notification.pk}@{domain or 'localhost'}>",
        "Content-Language": language,
    }
    if kind.reminder:
        # RFC 8058 one-click unsubscribe (and RFC 2369).
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if kind.headers is not None:
        headers.update(kind.headers(notification) or {})
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[notification.recipient.email],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    if kind.attachments is not None:
        for name, content, mimetype in kind.attachments(notification) or []:
            message.attach(name, content, mimetype)
    return message, subject, language


def notification_deliver(*, notification_id) -> bool:
    """Send a pending notification once. The row is claimed by a conditional
    update before sending, so two deliveries of the task send one message; a
    failure gives the claim back and raises, for the task to retry. True when
    this call sent it."""
    now = timezone.now()
    claimable = Q(pk=notification_id, status=NotificationStatus.PENDING) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    )
    if not Notification.objects.filter(claimable).update(
        claimed_at=now, attempts=F("attempts") + 1
    ):
        return False
    notification = Notification.objects.select_related("recipient").get(
        pk=notification_id
    )
    recipient = notification.recipient
    if not recipient.email or not recipient.is_active:
        Notification.objects.filter(pk=notification_id).update(
            status=NotificationStatus.SKIPPED, claimed_at=None
        )
        return False
    try:
        message, subject, language = build_message(notification)
        message.send()
    except Exception as error:
        Notification.objects.filter(pk=notification_id, claimed_at=now).update(
            claimed_at=None, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    # Between send() and this update is the one window described in the
    # package docstring: a crash here leaves the claim for a later resend.
    Notification.objects.filter(pk=notification_id).update(
        status=NotificationStatus.SENT,
        sent_at=timezone.now(),
        claimed_at=None,
        subject=subject[:255],
        language=language,
        last_error="",
    )
    return True


def notification_fail(*, notification_id, error) -> None:
    """Give up on a notification after its retries."""
    Notification.objects.filter(
        pk=notification_id, status=NotificationStatus.PENDING
    ).update(
        status=NotificationStatus.FAILED,
        claimed_at=None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    logger.error("notification %s failed: %s", notification_id, error)


def notifications_resend_stalled(*, older_than=timedelta(minutes=30)) -> int:
    """Queue again the pending notifications whose task was lost (a broker
    outage) or whose worker died while sending."""
    from .tasks import deliver_notification

    now = timezone.now()
    stalled = Notification.objects.filter(
        Q(status=NotificationStatus.PENDING, created_at__lt=now - older_than)
        & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(stalled[:1000]):
        deliver_notification.delay(pk)
        count += 1
    return count


def notification_mark_read(*, notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        unread_cache_clear(notification.recipient_id)


def notifications_mark_all_read(*, user) -> int:
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    unread_cache_clear(user.pk)
    return count


def preference_set(*, user, reminders: bool) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"reminders": reminders}
    )
    return preference


def unsubscribe(*, token) -> bool:
    """Turn reminders off for the user the token names; False for a token this
    site did not make."""
    from django.contrib.auth import get_user_model

    user_id = user_id_from_token(token)
    if user_id is None:
        return False
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return False
    preference_set(user=user, reminders=False)
    return True
