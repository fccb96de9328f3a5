"""E-mails about enrolments. Thin tasks that take ids and are safe to run
twice: the enrolment e-mail is claimed with a conditional update first."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Enrolment, EnrolmentStatus


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _course_url(enrolment, language):
    from .selectors import course_for_enrolment

    course = course_for_enrolment(enrolment)
    if course is None:
        return "", ""
    localized = (
        course.get_translation_or_none(_locale(language)) if _locale(language) else None
    )
    page = localized if localized is not None and localized.live else course
    return page.title, _absolute(page.url or "")


def _locale(language):
    from wagtail.models import Locale

    return Locale.objects.filter(language_code=language).first()


def set_password_url(user) -> str:
    """allauth's password-reset link, used as the invitation's set-password
    link (valid for PASSWORD_RESET_TIMEOUT)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    return _absolute(path)


@shared_task(
    autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True
)
def send_enrolment_email(enrolment_id):
    """Tell a learner enrolled by a coordinator; a new account gets a link to
    set its password (an invitation)."""
    claimed = Enrolment.objects.filter(
        pk=enrolment_id, notified_at__isnull=True
    ).update(notified_at=timezone.now())
    if not claimed:
        return
    enrolment = Enrolment.objects.select_related("user").get(pk=enrolment_id)
    user = enrolment.user
    try:
        with translation.override(user.preferred_language):
            title, url = _course_url(enrolment, user.preferred_language)
            context = {
                "user": user,
                "course_title": title,
                "course_url": url,
                "set_password_url": (
                    None if user.has_usable_password() else set_password_url(user)
                ),
                "site_name": settings.WAGTAIL_SITE_NAME,
                "login_url": _absolute(reverse("account_login")),
            }
            subject = render_to_string(
                "courses/email/enrolled_subject.txt", context
            ).strip()
            body = render_to_string("courses/email/enrolled_body.txt", context)
        send_mail(subject, body, None, [user.email])
    except Exception:
        # Give the claim back so that the retry sends it.
        with transaction.atomic():
            Enrolment.objects.filter(pk=enrolment_id).update(notified_at=None)
        raise


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_enrolment_decision(enrolment_id):
    """Tell a learner that their request was approved or refused."""
    enrolment = Enrolment.objects.select_related("user").filter(pk=enrolment_id).first()
    if enrolment is None or enrolment.status == EnrolmentStatus.PENDING:
        return
    user = enrolment.user
    with translation.override(user.preferred_language):
        title, url = _course_url(enrolment, user.preferred_language)
        context = {
            "user": user,
            "course_title": title,
            "course_url": url,
            "approved": enrolment.status != EnrolmentStatus.WITHDRAWN,
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = render_to_string(
            "courses/email/decision_subject.txt", context
        ).strip()
        body = render_to_string("courses/email/decision_body.txt", context)
    send_mail(subject, body, None, [user.email])
