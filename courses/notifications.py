"""The course events sent through ``training_platform.notifications``:
enrolment by a coordinator (an invitation with a set-password link for a new
account), a request approved or refused, and the reminders (an inactive
learner, an enrolment window about to close). The e-mails' words are in
``courses/email/``; titles and links are computed when the message is
rendered, in the recipient's language."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from training_platform.notifications import registry
from training_platform.notifications import services as notifications

ENROLLED = "enrolment_confirmed"
INVITED = "enrolment_invitation"
APPROVED = "enrolment_approved"
REFUSED = "enrolment_refused"
INACTIVE = "learner_inactive"
ENROLMENT_CLOSING = "enrolment_window_closing"


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def course_title_and_url(course, language):
    """The course's title and address in ``language`` when it has a live
    translation there, else the page itself."""
    if course is None:
        return "", ""
    from wagtail.models import Locale

    locale = Locale.objects.filter(language_code=language).first()
    localized = course.get_translation_or_none(locale) if locale else None
    page = localized if localized is not None and localized.live else course
    return page.title, _absolute(page.url or "")


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


def _enrolment(notification):
    from .models import Enrolment

    return (
        Enrolment.objects.select_related("course")
        .filter(pk=notification.context.get("enrolment_id"))
        .first()
    )


def _course_context(notification):
    from .selectors import course_for_enrolment

    enrolment = _enrolment(notification)
    course = course_for_enrolment(enrolment) if enrolment else None
    title, url = course_title_and_url(course, translation.get_language())
    return {"enrolment": enrolment, "course_title": title, "course_url": url}


def _enrolled_context(notification):
    user = notification.recipient
    context = _course_context(notification)
    context["login_url"] = _absolute(reverse("account_login"))
    context["set_password_url"] = (
        None
        if notification.event != INVITED or user.has_usable_password()
        else set_password_url(user)
    )
    return context


def _decision_context(notification):
    return {
        **_course_context(notification),
        "approved": notification.event == APPROVED,
    }


def register_events():
    registry.register(
        ENROLLED,
        label=_("Enrolled by a coordinator"),
        template="courses/email/enrolled",
        context=_enrolled_context,
    )
    registry.register(
        INVITED,
        label=_("Invitation from a bulk enrolment"),
        template="courses/email/enrolled",
        context=_enrolled_context,
    )
    registry.register(
        APPROVED,
        label=_("Enrolment request approved"),
        template="courses/email/decision",
        context=_decision_context,
    )
    registry.register(
        REFUSED,
        label=_("Enrolment request refused"),
        template="courses/email/decision",
        context=_decision_context,
    )


def enrolment_notify(enrolment):
    """Tell a learner enrolled by somebody else; a new account is invited to
    set its password. Once per enrolment."""
    user = enrolment.user
    event = ENROLLED if user.has_usable_password() else INVITED
    return notifications.notify(
        recipient=user,
        event=event,
        key=f"enrolment:{enrolment.pk}",
        context={"enrolment_id": enrolment.pk},
    )


def enrolment_decision_notify(enrolment):
    from .models import EnrolmentStatus

    if enrolment.status == EnrolmentStatus.PENDING:
        return None
    event = REFUSED if enrolment.status == EnrolmentStatus.WITHDRAWN else APPROVED
    return notifications.notify(
        recipient=enrolment.user,
        event=event,
        key=f"enrolment:{enrolment.pk}",
        context={"enrolment_id": enrolment.pk},
    )
