"""Writes for surveys: a learner's response (once), the follow-up link's
signed token, and the follow-ups and their reminder, sent by beat through the
notifications module."""

from datetime import timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CourseSurveys, SurveyAnswer, SurveyKind, SurveyResponse

TOKEN_SALT = "surveys.follow-up"  # noqa: S105 - a signing salt, not a secret
# A follow-up link works this long after it was sent.
TOKEN_MAX_AGE = timedelta(days=60)


class SurveyError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def response_submit(*, user, survey, kind, course_key, answers) -> SurveyResponse:
    """Record ``user``'s answers (``SurveyForm.answers()`` rows) to ``survey``
    for the course, with the learner's country, organisation type and sex as
    they are now. Once per learner, course and kind: a second submission
    raises ``SurveyError("answered")`` and changes nothing."""
    from courses.models import CourseCompletion

    completion = (
        CourseCompletion.objects.filter(
            enrolment__user=user, enrolment__course_key=course_key
        )
        .order_by("-completed_at")
        .first()
    )
    organisation = user.organisation
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey_key=survey.translation_key,
                survey=survey,
                kind=kind,
                course_key=course_key,
                user=user,
                language=survey.locale.language_code,
                country_id=user.country_id,
                organisation_type=organisation.kind if organisation else "",
                sex=user.sex or "",
                completed_at=completion.completed_at if completion else None,
                named=survey.named,
            )
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(
                    response=response, question_key=key, value=value, text=text
                )
                for key, value, text in answers
            )
    except IntegrityError:
        raise SurveyError(
            "answered", _("You have already answered this survey. Thank you.")
        ) from None
    return response


# ---------------------------------------------------------------- the link


def follow_up_token(*, user, survey_key, course_key) -> str:
    return signing.dumps(
        {"u": user.pk, "s": survey_key.hex, "c": course_key.hex},
        salt=TOKEN_SALT,
        compress=True,
    )


def follow_up_token_read(token, *, survey_key) -> dict:
    """The learner and course a follow-up link is for. Raises ``SurveyError``
    for a forged or damaged token ("invalid"), an expired one ("expired") or
    one made for another survey ("invalid")."""
    import uuid

    from training_platform.accounts.models import User

    try:
        data = signing.loads(
            token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE.total_seconds()
        )
    except signing.SignatureExpired:
        raise SurveyError(
            "expired",
            _(
                "This link has expired. Links to a follow-up survey work for 60 "
                "days after they are sent."
            ),
        ) from None
    except signing.BadSignature:
        raise SurveyError("invalid", _("This link is not valid.")) from None
    if not isinstance(data, dict) or data.get("s") != survey_key.hex:
        raise SurveyError("invalid", _("This link is not valid."))
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise SurveyError("invalid", _("This link is not valid."))
    return {"user": user, "course_key": uuid.UUID(data["c"])}


def follow_up_open(token, *, survey_key) -> dict:
    """Who may answer the follow-up at this link, for which course and
    survey. Raises ``SurveyError``: "invalid" or "expired" for the token
    (``follow_up_token_read``), "closed" when the course no longer asks this
    survey or the learner has withdrawn."""
    from . import selectors

    data = follow_up_token_read(token, survey_key=survey_key)
    row = selectors.course_surveys(data["course_key"])
    survey = row.follow_up_survey if row is not None else None
    if (
        survey is None
        or survey.translation_key != survey_key
        or selectors.withdrawn(user=data["user"], course_key=data["course_key"])
    ):
        raise SurveyError("closed", _("This survey is no longer open."))
    return {**data, "survey": survey}


# ---------------------------------------------------------------- follow-ups


def follow_ups_send(*, now=None) -> int:
    """Beat, daily: the follow-up survey to learners who completed a course
    ``follow_up_days`` ago (or more, within a link's life), and one reminder
    ``follow_up_reminder_days`` after it, once each per completion (the
    completion is in the key, so beat firing twice or a failed delivery,
    retried by the notifications module, sends nothing more). Nothing after
    an answer, nor to withdrawn, deactivated or unsubscribed learners; nothing
    older than a link's life."""
    from courses.models import CourseCompletion, EnrolmentStatus

    from . import notifications, selectors

    now = now or timezone.now()
    sent = 0
    keys = (
        CourseSurveys.objects.filter(follow_up_survey__isnull=False)
        .values_list("course__translation_key", flat=True)
        .distinct()
    )
    for course_key in keys:
        row = selectors.course_surveys(course_key)
        if row is None or row.follow_up_survey is None:
            continue
        answered = SurveyResponse.objects.filter(
            course_key=course_key, kind=SurveyKind.FOLLOW_UP
        ).values("user_id")
        due_at = now - timedelta(days=row.follow_up_days)
        completions = (
            CourseCompletion.objects.filter(
                enrolment__course_key=course_key,
                enrolment__is_current=True,
                enrolment__status=EnrolmentStatus.COMPLETED,
                enrolment__user__is_active=True,
                completed_at__lte=due_at,
                completed_at__gt=due_at - TOKEN_MAX_AGE,
            )
            .exclude(enrolment__user_id__in=answered)
            .select_related("enrolment__user")
        )
        for completion in completions.iterator(chunk_size=500):
            sent += notifications.follow_up_notify(
                completion=completion, row=row, course_key=course_key, now=now
            )
    return sent
