"""Demo assessments for ``seed_demo``: a question bank in English and Russian,
a pre-test, two module quizzes, a post-test and a final exam in the demo
course (both languages); the demo learner has taken the pre-test, and a small
cohort has taken the pre- and post-test so that knowledge gain shows. Safe to
run again."""

import random
from decimal import Decimal

from django.db import transaction
from wagtail.models import Locale

from training_platform.accounts import roles
from training_platform.accounts.models import Country, Organisation

from . import demo_content as content
from . import grading, integration, services
from .models import (
    AcceptedAnswer,
    AssessmentPage,
    AssessmentQuestion,
    Attempt,
    Choice,
    LearningObjective,
    MatchingPair,
    NumericAnswer,
    Question,
    QuestionBank,
    RandomQuestionRule,
)


def _objectives():
    objectives = {}
    for code, name, name_ru in content.OBJECTIVES:
        objectives[code], _ = LearningObjective.objects.get_or_create(
            code=code, defaults={"name": name, "name_ru": name_ru}
        )
    return objectives


def _question(bank, spec, language, objective):
    text = spec[language]
    existing = Question.objects.filter(bank=bank, title=text["title"]).first()
    if existing is not None:
        return existing
    question = Question.objects.create(
        bank=bank,
        kind=spec["kind"],
        title=text["title"],
        text=f"<p>{text['text']}</p>",
        general_feedback=f"<p>{text['feedback']}</p>" if text.get("feedback") else "",
        language=language,
        objective=objective,
        scoring=spec.get("scoring", "all"),
        wrong_choice_penalty=spec.get("penalty", False),
        correct_answer=spec.get("answer"),
        feedback_true=text.get("true", ""),
        feedback_false=text.get("false", ""),
    )
    for order, (choice, correct, feedback) in enumerate(text.get("choices", [])):
        Choice.objects.create(
            question=question,
            sort_order=order,
            text=choice,
            correct=correct,
            feedback=feedback,
        )
    for order, (answer, credit) in enumerate(text.get("accepted", [])):
        AcceptedAnswer.objects.create(
            question=question, sort_order=order, text=answer, credit=Decimal(credit)
        )
    for order, (value, tolerance, credit) in enumerate(spec.get("numeric", [])):
        NumericAnswer.objects.create(
            question=question,
            sort_order=order,
            value=Decimal(value),
            tolerance=Decimal(tolerance),
            credit=Decimal(credit),
        )
    for order, (prompt, answer) in enumerate(text.get("pairs", [])):
        MatchingPair.objects.create(
            question=question, sort_order=order, prompt=prompt, answer=answer
        )
    question.tags.add("trafficking", spec["objective"])
    question.save()
    services.question_version_sync(question=question)
    return question


def _questions():
    objectives = _objectives()
    questions = {}
    for language, name in content.BANKS.items():
        bank, _ = QuestionBank.objects.get_or_create(name=name)
        questions[language] = {
            spec["key"]: _question(bank, spec, language, objectives[spec["objective"]])
            for spec in content.QUESTIONS
        }
        questions[language]["_bank"] = bank
    return questions


def _relations(spec, questions, language):
    fixed = [
        AssessmentQuestion(question=questions[language][key], sort_order=order)
        for order, key in enumerate(spec["questions"])
    ]
    rules = []
    if spec.get("random"):
        rules.append(
            RandomQuestionRule(
                bank=questions[language]["_bank"],
                tag="trafficking",
                count=spec["random"],
                sort_order=0,
            )
        )
    return fixed, rules


def _english_page(module, spec, questions):
    existing = AssessmentPage.objects.child_of(module).filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    page = AssessmentPage(
        title=spec["en"],
        slug=spec["slug"],
        kind=spec["kind"],
        intro=spec["intro_en"],
        locale=module.locale,
        **spec["settings"],
    )
    if spec["kind"] == "pretest":
        page.required_for_completion = False
    page.fixed_questions, page.random_rules = _relations(spec, questions, "en")
    module.add_child(instance=page)
    if spec.get("first"):
        first = module.get_children().exclude(pk=page.pk).first()
        if first is not None:
            page.move(first, pos="left")
    page = AssessmentPage.objects.get(pk=page.pk)
    page.save_revision().publish()
    return AssessmentPage.objects.get(pk=page.pk)


def _russian_page(page, spec, questions, russian):
    existing = page.get_translation_or_none(russian)
    if existing is not None:
        return existing.specific
    copy = page.copy_for_translation(russian)
    copy.title = spec["ru"]
    copy.intro = spec["intro_ru"]
    copy.fixed_questions, copy.random_rules = _relations(spec, questions, "ru")
    copy.save_revision().publish()
    if spec.get("first"):
        copy = AssessmentPage.objects.get(pk=copy.pk)
        first = copy.get_parent().get_children().exclude(pk=copy.pk).first()
        if first is not None:
            copy.move(first, pos="left")
    return AssessmentPage.objects.get(pk=copy.pk)


def _answers(attempt, right_count, rng):
    """Answers with ``right_count`` right ones (the others wrong)."""
    slots = list(attempt.slots.select_related("version").order_by("position"))
    right = set(rng.sample(range(len(slots)), min(right_count, len(slots))))
    answers = {}
    for index, slot in enumerate(slots):
        data = slot.version.data
        if index in right:
            answers[slot.position] = grading.correct_response(data)
        elif data["kind"] in ("single", "multiple"):
            wrong = next(c["key"] for c in data["choices"] if not c["correct"])
            key = "choice" if data["kind"] == "single" else "choices"
            answers[slot.position] = {key: wrong if key == "choice" else [wrong]}
        elif data["kind"] == "truefalse":
            answers[slot.position] = {"value": not data["answer"]}
        elif data["kind"] == "numeric":
            answers[slot.position] = {"value": "14"}
        elif data["kind"] == "short":
            answers[slot.position] = {"text": "police"}
        else:
            answers[slot.position] = None
    return answers


def _take(user, page, right_count, rng):
    if Attempt.objects.filter(user=user, assessment_key=page.translation_key).exists():
        return None
    attempt = services.attempt_start(user=user, page=page, rng=rng)
    return services.attempt_submit(
        attempt=attempt, answers=_answers(attempt, right_count, rng), sequence=0
    )


def _enrol(user, course):
    if integration.course_services is not None:
        integration.course_services.enrolment_create(
            user=user, course=course, source="self"
        )


def seed(context):
    course = context.objects.get("demo_course")
    if course is None:
        return
    rng = random.Random(2026)  # noqa: S311 - demo data, reproducible
    questions = _questions()
    modules = list(course.get_children().specific())
    russian = Locale.objects.filter(language_code="ru").first()
    pages = {}
    for spec in content.ASSESSMENTS:
        page = _english_page(modules[spec["module"]], spec, questions)
        pages[spec["slug"]] = page
        module_ru = (
            modules[spec["module"]].get_translation_or_none(russian)
            if russian
            else None
        )
        if module_ru is not None:
            _russian_page(page, spec, questions, russian)
    context.objects["demo_assessments"] = pages

    learner = context.users.get(roles.LEARNERS)
    if learner is not None:
        _enrol(learner, course)
        enrolment = integration.enrolment_for(learner, course)
        left_off = enrolment.last_page if enrolment else None
        with transaction.atomic():
            _take(learner, pages["pre-test"], 3, rng)
        if left_off is not None:
            # The pre-test came first; the learner left off in a lesson.
            integration.touch(learner, left_off)
    from training_platform.accounts.demo import DEMO_PASSWORD
    from training_platform.accounts.factories import OrganisationFactory, UserFactory

    for email, name, code, pre, post in content.COHORT:
        country = Country.objects.get(code=code)
        organisation = Organisation.objects.filter(country=country).first()
        if organisation is None:
            organisation = OrganisationFactory(
                name=f"Demo organisation ({code})", country=country
            )
        user = UserFactory(
            email=email,
            full_name=name,
            country=country,
            organisation=organisation,
            password=DEMO_PASSWORD,
        )
        _enrol(user, course)
        _take(user, pages["pre-test"], pre, rng)
        _take(user, pages["post-test"], post, rng)
    from . import selectors

    course_key = integration.course_key_for(pages["pre-test"])
    if course_key:
        gain = selectors.knowledge_gain(course_key=course_key)
        context.notes.append(
            f"Assessments: pre-test, 2 quizzes, post-test and final exam in "
            f"English and Russian; knowledge gain of {gain['learners']} demo "
            f"learners: {gain['pre']}% -> {gain['post']}% "
            f"(normalised {gain['normalised_gain']})"
        )
