"""The certificate events sent through ``training_platform.notifications``:
a certificate issued (the PDF attached, the verification link) and a
certificate about to expire (a reminder, with the link to take the course
again). Words in ``certificates/email/``."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from training_platform.notifications import registry

ISSUED = "certificate_issued"
EXPIRING = "certificate_expiring"
# Days before expiry at which the learner is reminded.
EXPIRY_THRESHOLDS = (60, 30, 7)


def _certificate(notification):
    from .models import Certificate

    return (
        Certificate.objects.select_related("user")
        .filter(pk=notification.context.get("certificate_id"))
        .first()
    )


def _context(notification):
    from . import integration, rendering

    certificate = _certificate(notification)
    if certificate is None:
        return {}
    language = translation.get_language()
    return {
        "certificate": certificate,
        "site_name": _(settings.WAGTAIL_SITE_NAME),
        "verify_url": rendering.verify_url(certificate.code),
        "my_certificates_url": f"{settings.SITE_URL}/{language}/certificates/",
        # Behind a gate (a required survey) the PDF is not attached: the
        # message sends the learner to it first.
        "first_stop_url": _first_stop_url(certificate),
        "course_url": integration.course_url(
            course=certificate.course,
            course_key=certificate.course_key,
            language=language,
        ),
    }


def _first_stop_url(certificate) -> str:
    from .gates import first_stop

    url = first_stop(certificate.user, certificate)
    return f"{settings.SITE_URL}{url}" if url else ""


def _pdf(notification):
    from .gates import first_stop

    certificate = _certificate(notification)
    if certificate is None or not certificate.pdf:
        return []
    if first_stop(certificate.user, certificate):
        return []
    with certificate.pdf.open("rb") as stream:
        content = stream.read()
    return [(f"certificate-{certificate.code}.pdf", content, "application/pdf")]


def register_events():
    registry.register(
        ISSUED,
        label=_("Certificate issued"),
        template="certificates/email/issued",
        context=_context,
        attachments=_pdf,
    )
    registry.register(
        EXPIRING,
        label=_("Certificate expiring"),
        reminder=True,
        template="certificates/email/expiry_reminder",
        context=_context,
    )


def expiry_threshold(days_left: float, *, within=None):
    """The reminder due for a certificate that expires in ``days_left`` days:
    the smallest threshold it has passed (60, 30 or 7), or None."""
    due = [
        days
        for days in EXPIRY_THRESHOLDS
        if days_left <= days and (within is None or days <= within)
    ]
    return min(due) if due else None
