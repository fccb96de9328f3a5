"""Reads for surveys: which survey a course asks, in the learner's language,
and whether the learner has answered it."""

from django.utils import translation

from .models import CourseSurveys, Survey, SurveyKind, SurveyQuestion, SurveyResponse


def course_surveys(course_key) -> CourseSurveys | None:
    """The course's survey settings: those of its first page that has any
    (translations copy them from the source)."""
    return (
        CourseSurveys.objects.select_related(
            "feedback_survey__locale", "follow_up_survey__locale"
        )
        .filter(course__translation_key=course_key)
        .order_by("pk")
        .first()
    )


def in_language(survey: Survey, language=None) -> Survey:
    """The survey's translation in ``language`` (the active one by default),
    else the survey as written."""
    code = language or translation.get_language()
    if survey.locale.language_code == code:
        return survey
    translated = Survey.objects.filter(
        translation_key=survey.translation_key, locale__language_code=code
    ).first()
    return translated or survey


def questions(survey: Survey) -> list:
    return list(survey.questions.order_by("sort_order", "pk"))


def questions_in_every_language(survey: Survey, language=None) -> list:
    """Every question of the survey in any of its languages, once each (by
    translation key), worded in ``language`` (the active one) where that
    translation has it: a translation with a question fewer loses no answers
    in the reports. In the order of the survey as written first."""
    from django.db.models import Case, IntegerField, When

    code = language or translation.get_language()
    rows = (
        SurveyQuestion.objects.filter(survey__translation_key=survey.translation_key)
        .select_related("survey__locale")
        .annotate(
            preferred=Case(
                When(survey__locale__language_code=code, then=0),
                default=1,
                output_field=IntegerField(),
            )
        )
        .order_by("survey_id", "sort_order", "pk")
    )
    chosen = {}
    order = []
    for question in rows:
        key = question.translation_key
        if key not in chosen:
            order.append(key)
            chosen[key] = question
        elif question.preferred < chosen[key].preferred:
            chosen[key] = question
    return [chosen[key] for key in order]


def answered(*, user, course_key, kind) -> bool:
    return SurveyResponse.objects.filter(
        user=user, course_key=course_key, kind=kind
    ).exists()


def withdrawn(*, user, course_key) -> bool:
    """Whether the learner's current round of the course is withdrawn."""
    from courses.models import Enrolment, EnrolmentStatus

    return Enrolment.objects.filter(
        user=user,
        course_key=course_key,
        is_current=True,
        status=EnrolmentStatus.WITHDRAWN,
    ).exists()


def feedback_due(*, user, course_key) -> tuple[Survey, bool] | None:
    """(the feedback survey, whether it is required) when ``user`` has
    completed the course and not answered it yet; None otherwise."""
    from courses.models import Enrolment, EnrolmentStatus

    settings_row = course_surveys(course_key)
    if settings_row is None or settings_row.feedback_survey is None:
        return None
    completed = Enrolment.objects.filter(
        user=user, course_key=course_key, status=EnrolmentStatus.COMPLETED
    ).exists()
    if not completed or answered(
        user=user, course_key=course_key, kind=SurveyKind.FEEDBACK
    ):
        return None
    return settings_row.feedback_survey, settings_row.feedback_required


def feedback_due_list(user) -> list[dict]:
    """The feedback surveys ``user`` may still answer: one per completed
    course that has one, titles in the learner's language. At most four
    queries, whatever the number of courses (it is part of "My learning")."""
    from django.urls import reverse
    from wagtail.models import Page

    from courses.models import Enrolment, EnrolmentStatus

    answered_keys = SurveyResponse.objects.filter(
        user=user, kind=SurveyKind.FEEDBACK
    ).values("course_key")
    keys = set(
        Enrolment.objects.filter(user=user, status=EnrolmentStatus.COMPLETED)
        .exclude(course_key__in=answered_keys)
        .values_list("course_key", flat=True)
    )
    if not keys:
        return []
    rows = (
        CourseSurveys.objects.filter(
            course__translation_key__in=keys, feedback_survey__isnull=False
        )
        .select_related("feedback_survey", "course")
        .order_by("pk")
    )
    first = {}
    for row in rows:
        first.setdefault(row.course.translation_key, row)
    if not first:
        return []
    language = translation.get_language()
    titles = dict(
        Page.objects.filter(
            translation_key__in=list(first),
            locale__language_code=language,
            live=True,
        ).values_list("translation_key", "title")
    )
    surveys = {
        survey.translation_key: survey
        for survey in Survey.objects.filter(
            translation_key__in=[
                r.feedback_survey.translation_key for r in first.values()
            ],
            locale__language_code=language,
        )
    }
    return [
        {
            "survey": surveys.get(
                row.feedback_survey.translation_key, row.feedback_survey
            ),
            "course_title": titles.get(course_key, row.course.title),
            "required": row.feedback_required,
            "url": reverse("surveys:feedback", kwargs={"course_key": course_key}),
        }
        for course_key, row in first.items()
    ]


def dashboard_context(request):
    if not request.user.is_authenticated:
        return None
    due = feedback_due_list(request.user)
    return {"due": due} if due else None
