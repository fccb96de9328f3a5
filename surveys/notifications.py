"""The follow-up survey's e-mails, sent through
``training_platform.notifications``: the invitation ``follow_up_days`` after
completion and one reminder. Each carries a signed link that needs no
password; the survey's title and the link are made when the message is
rendered, in the recipient's language."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from training_platform.notifications import registry
from training_platform.notifications import services as notifications

FOLLOW_UP = "survey_follow_up"
FOLLOW_UP_REMINDER = "survey_follow_up_reminder"


def follow_up_url(*, user, survey_key, course_key, language=None) -> str:
    from .services import follow_up_token

    with translation.override(language or translation.get_language()):
        path = reverse(
            "surveys:follow_up",
            kwargs={
                "survey_key": survey_key,
                "token": follow_up_token(
                    user=user, survey_key=survey_key, course_key=course_key
                ),
            },
        )
    return notifications.absolute(path)


def _context(notification):
    import uuid

    from courses.models import CoursePage
    from courses.notifications import course_title_and_url

    from . import selectors
    from .models import Survey

    survey = Survey.objects.filter(pk=notification.context.get("survey_id")).first()
    if survey is None:
        return {}
    course_key = uuid.UUID(notification.context["course_key"])
    course = CoursePage.objects.filter(translation_key=course_key).first()
    title, _url = course_title_and_url(course, translation.get_language())
    return {
        "survey": selectors.in_language(survey),
        "course_title": title,
        "survey_url": follow_up_url(
            user=notification.recipient,
            survey_key=survey.translation_key,
            course_key=course_key,
        ),
        "reminder": notification.event == FOLLOW_UP_REMINDER,
    }


def register_events():
    registry.register(
        FOLLOW_UP,
        label=_("Follow-up survey after a course"),
        reminder=True,
        template="surveys/email/follow_up",
        context=_context,
    )
    registry.register(
        FOLLOW_UP_REMINDER,
        label=_("Reminder: follow-up survey"),
        reminder=True,
        template="surveys/email/follow_up",
        context=_context,
    )


def follow_up_notify(*, completion, row, course_key, now) -> int:
    """The follow-up for ``completion``, once; its reminder, once, when the
    follow-up went out ``follow_up_reminder_days`` ago. Returns how many
    messages this call recorded."""
    from datetime import timedelta

    from training_platform.notifications.models import Notification

    user = completion.enrolment.user
    context = {"survey_id": row.follow_up_survey_id, "course_key": course_key.hex}
    key = f"completion:{completion.pk}"
    if notifications.notify(recipient=user, event=FOLLOW_UP, key=key, context=context):
        return 1
    if not row.follow_up_reminder_days:
        return 0
    first_sent = Notification.objects.filter(
        recipient=user,
        event=FOLLOW_UP,
        key=key,
        created_at__lte=now - timedelta(days=row.follow_up_reminder_days),
    )
    if not first_sent.exists():
        return 0
    reminded = notifications.notify(
        recipient=user, event=FOLLOW_UP_REMINDER, key=f"{key}:reminder", context=context
    )
    return int(reminded is not None)
