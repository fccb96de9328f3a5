"""Demo surveys for ``seed_demo``: the demo course's end-of-course feedback
survey and its follow-up three months on, each in English and Russian, and
answers from the demo cohort in both languages (added once the cohort's
completions are committed)."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

FEEDBACK = {
    "en": (
        "Course feedback",
        "Five questions, about three minutes. Your answers are anonymous.",
        [
            (
                "rating",
                "How satisfied are you with the course overall?",
                True,
                "satisfaction",
                "Very dissatisfied\nDissatisfied\nNeither\nSatisfied\nVery satisfied",
            ),
            (
                "single",
                "How much of the content was new to you?",
                False,
                "",
                "Most of it\nSome of it\nLittle of it",
            ),
            (
                "multiple",
                "Which parts will you use in your work?",
                False,
                "",
                "Indicators of trafficking\nInterviewing presumed victims\n"
                "Referral to assistance\nCase studies",
            ),
            ("text", "What should we change in the course?", False, "", ""),
        ],
    ),
    "ru": (
        "Отзыв о курсе",
        "Пять вопросов, около трёх минут. Ответы анонимны.",
        [
            "Насколько вы довольны курсом в целом?",
            "Какая часть материала была для вас новой?",
            "Что из курса вы будете использовать в работе?",
            "Что нам изменить в курсе?",
        ],
        [
            "Совсем недоволен\nНедоволен\nНи то ни другое\nДоволен\nОчень доволен",
            "Бо́льшая часть\nЧасть\nНемногое",
            "Индикаторы торговли людьми\nБеседа с предполагаемыми жертвами\n"
            "Перенаправление для получения помощи\nРазбор случаев",
            "",
        ],
    ),
}
FOLLOW_UP = {
    "en": (
        "Three months on: using what you learnt",
        "Four questions about your work since the course.",
        [
            (
                "yes_no",
                "Have you used the indicators of trafficking in your work since "
                "the course?",
                True,
                "use",
                "",
            ),
            (
                "number",
                "How many presumed victims have you referred to assistance since?",
                False,
                "",
                "",
            ),
            (
                "rating",
                "How confident do you feel identifying a presumed victim?",
                False,
                "",
                "Not at all\nSlightly\nSomewhat\nFairly\nVery",
            ),
            ("text", "Tell us about a case where the course helped.", False, "", ""),
        ],
    ),
    "ru": (
        "Три месяца спустя: применение полученных знаний",
        "Четыре вопроса о вашей работе после курса.",
        [
            "Применяли ли вы индикаторы торговли людьми в работе после курса?",
            "Скольких предполагаемых жертв вы с тех пор перенаправили для получения "
            "помощи?",
            "Насколько уверенно вы выявляете предполагаемую жертву?",
            "Расскажите о случае, в котором курс вам помог.",
        ],
        [
            "",
            "",
            "Совсем нет\nНемного\nОтчасти\nДостаточно\nОчень",
            "",
        ],
    ),
}
COMMENTS = {
    "en": [
        "More case studies from our region, please.",
        "The referral part was the most useful.",
        "The module on interviews could be longer.",
    ],
    "ru": [
        "Больше примеров из нашего региона.",
        "Полезнее всего была часть о перенаправлении.",
        "Хотелось бы больше практики по проведению бесед.",
    ],
}
CASES = {
    "en": ["We referred a young woman from a farm to the shelter after a check."],
    "ru": ["После проверки на стройке мы направили двух рабочих в приют."],
}


def _survey(data):
    from wagtail.models import Locale

    from .factories import build_survey
    from .models import Survey

    title, intro, questions = data["en"]
    survey = Survey.objects.filter(
        title=title, locale__language_code="en"
    ).first() or build_survey(title, questions)
    survey.intro = intro
    survey.save()
    russian = Locale.objects.filter(language_code="ru").first()
    if russian is not None and survey.get_translation_or_none(russian) is None:
        translated = survey.copy_for_translation(russian)
        ru_title, ru_intro, texts, choices = data["ru"]
        translated.title, translated.intro = ru_title, ru_intro
        translated.save()
        for question, text, options in zip(
            translated.questions.order_by("sort_order"), texts, choices, strict=True
        ):
            question.text = text
            question.choices = options or question.choices
            question.save()
    return survey


def seed(context):
    from .factories import attach

    course = context.objects.get("demo_course")
    if course is None:
        return
    feedback = _survey(FEEDBACK)
    follow_up = _survey(FOLLOW_UP)
    attach(course, feedback=feedback, follow_up=follow_up, days=90)
    context.objects["demo_surveys"] = (feedback, follow_up)


def after_commit(context):
    """Answers from the cohort: four in five completed learners give feedback,
    in English or Russian; the follow-ups due are sent (beat's job) and about
    two in three are answered."""
    from courses.models import Enrolment, EnrolmentStatus

    from . import services
    from .models import SurveyResponse

    surveys = context.objects.get("demo_surveys")
    course = context.objects.get("demo_course")
    if not surveys or course is None:
        return
    feedback, follow_up = surveys
    if SurveyResponse.objects.filter(course_key=course.translation_key).exists():
        return  # seeded before: the same answers stay
    rng = random.Random(18)
    enrolments = Enrolment.objects.filter(
        course_key=course.translation_key,
        status=EnrolmentStatus.COMPLETED,
        user__email__startswith="cohort",
    ).select_related("user")
    services.follow_ups_send()
    follow_up_due = set(
        enrolments.filter(
            completion__completed_at__lte=timezone.now() - timedelta(days=90)
        ).values_list("pk", flat=True)
    )
    answered = 0
    for n, enrolment in enumerate(enrolments.order_by("pk")):
        language = "ru" if n % 2 else "en"
        user = enrolment.user
        with transaction.atomic():
            if rng.random() < 0.8:
                _answer(feedback, "feedback", user, course, language, rng)
                answered += 1
            if enrolment.pk in follow_up_due and rng.random() < 0.67:
                _answer(follow_up, "follow_up", user, course, language, rng)
                answered += 1
        _backdate(user, enrolment)
    context.notes.append(
        f"Surveys: {answered} answers from the demo cohort in English and Russian; "
        "the impact section: /en/coordinator/impact/"
    )


def _answer(survey, kind, user, course, language, rng):
    from . import selectors, services

    shown = selectors.in_language(survey, language)
    rows = []
    for question in selectors.questions(shown):
        key = question.translation_key
        if question.kind == "rating":
            rows.append((key, rng.choices([2, 3, 4, 5], [1, 2, 5, 4])[0], ""))
        elif question.kind == "single":
            rows.append((key, rng.randrange(3), ""))
        elif question.kind == "multiple":
            for index in rng.sample(range(4), rng.randint(1, 3)):
                rows.append((key, index, ""))
        elif question.kind == "yes_no":
            rows.append((key, int(rng.random() < 0.7), ""))
        elif question.kind == "number":
            rows.append((key, rng.randint(0, 6), ""))
        elif rng.random() < 0.4:
            pool = COMMENTS if kind == "feedback" else CASES
            rows.append((key, None, rng.choice(pool[language])))
    services.response_submit(
        user=user,
        survey=shown,
        kind=kind,
        course_key=course.translation_key,
        answers=rows,
    )


def _backdate(user, enrolment):
    """Answers dated a few days after the completion (feedback) and three
    months on (follow-up), so the months table spreads like real answers."""
    from .models import SurveyKind, SurveyResponse

    completed = enrolment.completed_at or timezone.now()
    SurveyResponse.objects.filter(user=user, kind=SurveyKind.FEEDBACK).update(
        submitted_at=completed + timedelta(hours=2)
    )
    SurveyResponse.objects.filter(user=user, kind=SurveyKind.FOLLOW_UP).update(
        submitted_at=min(completed + timedelta(days=95), timezone.now())
    )
