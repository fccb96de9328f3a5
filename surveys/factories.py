"""Surveys for tests and the demo."""

from wagtail.models import Locale

from .models import CourseSurveys, Survey, SurveyQuestion

FEEDBACK_QUESTIONS = [
    ("rating", "How satisfied are you with the course?", True, "satisfaction", ""),
    ("single", "How much of it was new to you?", False, "", "Most\nSome\nLittle"),
    (
        "multiple",
        "Which parts were most useful?",
        False,
        "",
        "Cases\nIndicators\nReferral",
    ),
    ("text", "What should we change?", False, "", ""),
]
FOLLOW_UP_QUESTIONS = [
    ("yes_no", "Have you used the indicators in your work?", True, "use", ""),
    ("number", "How many presumed victims have you referred since?", False, "", ""),
    ("rating", "How confident do you feel identifying victims?", False, "", ""),
    ("text", "Tell us about a case where the course helped.", False, "", ""),
]


def build_survey(title, questions, *, language="en", named=False) -> Survey:
    survey = Survey(
        title=title, locale=Locale.objects.get(language_code=language), named=named
    )
    for n, (kind, text, required, indicator, choices) in enumerate(questions):
        survey.questions.add(
            SurveyQuestion(
                kind=kind,
                text=text,
                required=required,
                indicator=indicator,
                choices=choices,
                sort_order=n,
                locale=survey.locale,
            )
        )
    if any(q[0] == "number" for q in questions):
        for question in survey.questions.all():
            if question.kind == "number":
                question.minimum, question.maximum = 0, 1000
    survey.save()
    return survey


def attach(course, *, feedback=None, follow_up=None, required=False, days=90):
    row = CourseSurveys.objects.filter(course=course).first() or CourseSurveys(
        course=course
    )
    row.feedback_survey = feedback
    row.follow_up_survey = follow_up
    row.feedback_required = required
    row.follow_up_days = days
    row.save()
    return row
