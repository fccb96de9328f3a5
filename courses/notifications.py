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
ENROLMENT_CLOSING = "enrolment_closing"
# Days before a course's enrolment closes when its deciders are reminded of
# the requests still waiting.
CLOSING_THRESHOLDS = (7, 1)
# At most this many inactivity reminders per enrolment.
INACTIVE_MAX = 3


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def course_title_and_url(course, language):
    """The course's title and address in ``language`` when it has a live
    translation there, else the page itself."""
    page = notifications.page_in_language(course, language)
    return (page.title, notifications.page_link(page)) if page else ("", "")


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


def _closing_context(notification):
    from .models import CoursePage

    course = CoursePage.objects.filter(pk=notification.context.get("page_id")).first()
    title, url = course_title_and_url(course, translation.get_language())
    return {
        "course_title": title,
        "course_url": url,
        "closes_at": course.enrolment_closes_at if course else None,
        "waiting": notification.context.get("waiting"),
        "approvals_url": _absolute(
            reverse("courses_coordinator:enrolments") + "?status=pending"
        ),
    }


def register_events():
    registry.register(
        ENROLMENT_CLOSING,
        label=_("For coordinators: enrolment closes with requests still waiting"),
        reminder=True,
        template="courses/email/enrolment_closing",
        context=_closing_context,
    )
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


def deciders_for(user):
    """Who decides ``user``'s enrolment requests: the coordinators of the
    learner's country holding the coordinator role, the administrators when
    the country has none (or the learner has no country)."""
    from training_platform.accounts import roles
    from training_platform.accounts.models import User

    deciders = User.objects.none()
    if user.country_id:
        deciders = user.country.coordinators.filter(
            is_active=True, groups__name=roles.COORDINATORS
        ).distinct()
    if not deciders.exists():
        deciders = User.objects.filter(
            is_active=True, groups__name=roles.ADMINISTRATORS
        ).distinct()
    return deciders


def approval_waiting_notify(enrolment) -> int:
    """Tell the deciders of the learner's request (``deciders_for``) that it
    waits for them; once per request and person."""
    sent = 0
    for decider in deciders_for(enrolment.user):
        created = notifications.notify(
            recipient=decider,
            event=APPROVAL_WAITING,
            key=f"enrolment:{enrolment.pk}:request:{enrolment.enrolled_at:%Y%m%d%H%M%S}",
            context={"enrolment_id": enrolment.pk},
        )
        sent += created is not None
    return sent


def enrolment_closing_remind(*, now=None) -> int:
    """Beat, hourly: 7 days and 1 day before a course's enrolment closes, each
    decider with requests still waiting in it is told how many (once per
    course, closing time, threshold and person: beat firing twice sends nothing
    more). Nothing when no request waits; ``notify`` leaves out deciders who
    turned reminders off."""
    from collections import Counter

    from .models import CoursePage, Enrolment, EnrolmentStatus

    now = now or timezone.now()
    courses = (
        CoursePage.objects.live()
        .filter(
            enrolment_closes_at__gt=now,
            enrolment_closes_at__lte=now + timedelta(days=max(CLOSING_THRESHOLDS)),
        )
        .order_by("translation_key", "pk")
    )
    seen = set()
    sent = 0
    for course in courses:
        # One reminder for all translations of a course.
        if course.translation_key in seen:
            continue
        seen.add(course.translation_key)
        left = (course.enrolment_closes_at - now).total_seconds() / 86400
        threshold = min(days for days in CLOSING_THRESHOLDS if left <= days)
        waiting = Counter()
        deciders = {}
        pending = Enrolment.objects.current().filter(
            course_key=course.translation_key, status=EnrolmentStatus.PENDING
        )
        for enrolment in pending.select_related("user", "user__country"):
            for decider in deciders_for(enrolment.user):
                deciders[decider.pk] = decider
                waiting[decider.pk] += 1
        key = (
            f"course:{course.translation_key}:closing:"
            f"{course.enrolment_closes_at:%Y%m%d%H%M}:{threshold}"
        )
        for pk, count in waiting.items():
            created = notifications.notify(
                recipient=deciders[pk],
                event=ENROLMENT_CLOSING,
                key=key,
                context={"page_id": course.pk, "waiting": count},
            )
            sent += created is not None
    return sent
