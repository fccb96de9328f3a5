"""The course events sent through ``training_platform.notifications``:
enrolment by a coordinator (an invitation with a set-password link for a new
account), a request approved or refused, and the reminders (an inactive
learner, ``inactivity_reminder_days`` of the course). The e-mails' words are in
``courses/email/``; titles and links are computed when the message is
rendered, in the recipient's language."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from training_platform.notifications import registry
from training_platform.notifications import services as notifications

ENROLLED = "enrolment_confirmed"
INVITED = "enrolment_invitation"
APPROVED = "enrolment_approved"
REFUSED = "enrolment_refused"
INACTIVE = "learner_inactive"
COMPLETED = "course_completed"
APPROVAL_WAITING = "approval_waiting"
# At most this many inactivity reminders per enrolment.
INACTIVE_MAX = 3


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


def _inactive_context(notification):
    return {
        **_course_context(notification),
        "days": notification.context.get("days"),
        "number": notification.context.get("number"),
    }


def _completed_context(notification):
    return {
        **_course_context(notification),
        "certificates_url": _absolute(reverse("certificates:mine")),
    }


def _approval_context(notification):
    enrolment = _enrolment(notification)
    context = _course_context(notification)
    context["learner"] = enrolment.user if enrolment else None
    context["approvals_url"] = _absolute(
        reverse("courses_coordinator:enrolments") + "?status=pending"
    )
    return context


def register_events():
    registry.register(
        COMPLETED,
        label=_("Course completed"),
        template="courses/email/completed",
        context=_completed_context,
    )
    registry.register(
        APPROVAL_WAITING,
        label=_("For coordinators: an enrolment request waits for approval"),
        template="courses/email/approval_waiting",
        context=_approval_context,
    )
    registry.register(
        INACTIVE,
        label=_("Reminder: inactive in a course"),
        reminder=True,
        template="courses/email/inactive",
        context=_inactive_context,
    )
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


def inactive_learners_remind(*, now=None) -> int:
    """Beat, daily: remind learners who have not opened a course they are
    working through for the course's ``inactivity_reminder_days`` (reminder 1),
    twice that (2) and three times that (3). The reminder's number is part of
    its key, so beat firing twice sends nothing more; completed, withdrawn and
    unsubscribed learners get none."""
    from django.db.models import Q

    from .models import Enrolment, EnrolmentStatus

    now = now or timezone.now()
    candidates = (
        Enrolment.objects.current()
        .filter(status=EnrolmentStatus.ACTIVE, course__inactivity_reminder_days__gt=0)
        .filter(
            Q(last_accessed_at__lte=now - timedelta(days=1))
            | Q(last_accessed_at__isnull=True, enrolled_at__lte=now - timedelta(days=1))
        )
        .exclude(user__notification_preference__reminders=False)
        .select_related("user", "course")
    )
    sent = 0
    for enrolment in candidates.iterator(chunk_size=500):
        period = enrolment.course.inactivity_reminder_days
        idle = (now - (enrolment.last_accessed_at or enrolment.enrolled_at)).days
        number = min(INACTIVE_MAX, idle // period)
        if number < 1:
            continue
        created = notifications.notify(
            recipient=enrolment.user,
            event=INACTIVE,
            key=f"enrolment:{enrolment.pk}:inactive:{number}",
            context={"enrolment_id": enrolment.pk, "days": idle, "number": number},
        )
        sent += created is not None
    return sent


def course_completed_notify(*, completion, enrolment):
    """Receiver of ``course_completed``: congratulate the learner, once per
    completion, unless another app's message will (a certificate)."""
    from .signals import completion_announcers

    if any(announcer(enrolment) for announcer in completion_announcers):
        return None
    return notifications.notify(
        recipient=enrolment.user,
        event=COMPLETED,
        key=f"completion:{completion.pk}",
        context={"enrolment_id": enrolment.pk},
    )


def approval_waiting_notify(enrolment) -> int:
    """Tell the coordinators of the learner's country (the administrators
    when the country has none) that a request waits for them; once per
    request and person."""
    from training_platform.accounts import roles
    from training_platform.accounts.models import User

    user = enrolment.user
    deciders = User.objects.none()
    if user.country_id:
        deciders = user.country.coordinators.filter(
            is_active=True, groups__name=roles.COORDINATORS
        ).distinct()
    if not deciders.exists():
        deciders = User.objects.filter(
            is_active=True, groups__name=roles.ADMINISTRATORS
        ).distinct()
    sent = 0
    for decider in deciders:
        created = notifications.notify(
            recipient=decider,
            event=APPROVAL_WAITING,
            key=f"enrolment:{enrolment.pk}:request:{enrolment.enrolled_at:%Y%m%d%H%M%S}",
            context={"enrolment_id": enrolment.pk},
        )
        sent += created is not None
    return sent
