"""Factories for tests and for ``seed_demo``: question banks and questions of
every kind (each question gets its first version), assessment pages."""

from decimal import Decimal

import factory

from . import services
from .models import (
    AcceptedAnswer,
    AssessmentPage,
    AssessmentQuestion,
    Choice,
    LearningObjective,
    MatchingPair,
    NumericAnswer,
    Question,
    QuestionBank,
)


class QuestionBankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionBank
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Bank {n}")


class LearningObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningObjective
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"objective-{n}")
    name = factory.LazyAttribute(lambda o: f"Objective {o.code}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    bank = factory.SubFactory(QuestionBankFactory)
    kind = "single"
    title = factory.Sequence(lambda n: f"Question {n}")
    text = factory.LazyAttribute(lambda o: f"<p>{o.title}?</p>")
    points = Decimal("1")


def make_question(
    kind="single",
    *,
    choices=None,
    accepted=None,
    numeric=None,
    pairs=None,
    tags=(),
    **fields,
):
    """A question with its answers and its first version.

    - ``choices``: ``[("text", correct, "feedback"), ...]``
    - ``accepted``: ``[("text", credit), ...]``
    - ``numeric``: ``[(value, tolerance, credit), ...]``
    - ``pairs``: ``[("prompt", "answer"), ...]`` (empty prompt = distractor)
    """
    question = QuestionFactory(kind=kind, **fields)
    if kind in ("single", "multiple"):
        choices = choices or [("Right", True, ""), ("Wrong", False, "")]
        for order, (text, correct, *feedback) in enumerate(choices):
            Choice.objects.create(
                question=question,
                sort_order=order,
                text=text,
                correct=correct,
                feedback=feedback[0] if feedback else "",
            )
    elif kind == "truefalse" and question.correct_answer is None:
        question.correct_answer = True
        question.save()
    elif kind == "short":
        for order, (text, *credit) in enumerate(accepted or [("answer", 100)]):
            AcceptedAnswer.objects.create(
                question=question,
                sort_order=order,
                text=text,
                credit=Decimal(str(credit[0] if credit else 100)),
            )
    elif kind == "numeric":
        for order, (value, tolerance, *credit) in enumerate(numeric or [(42, 0)]):
            NumericAnswer.objects.create(
                question=question,
                sort_order=order,
                value=Decimal(str(value)),
                tolerance=Decimal(str(tolerance)),
                credit=Decimal(str(credit[0] if credit else 100)),
            )
    elif kind == "matching":
        for order, (prompt, answer) in enumerate(pairs or [("One", "1"), ("Two", "2")]):
            MatchingPair.objects.create(
                question=question, sort_order=order, prompt=prompt, answer=answer
            )
    if tags:
        question.tags.add(*tags)
        question.save()
    question = Question.objects.get(pk=question.pk)
    services.question_version_sync(question=question)
    question.refresh_from_db()
    return question


def make_assessment(parent, *, questions=(), random_rules=(), **fields):
    """An ``AssessmentPage`` under ``parent`` with fixed questions (a list of
    questions or ``(question, points)``) and random rules (dicts)."""
    from .models import RandomQuestionRule

    fields.setdefault("title", "Quiz")
    page = AssessmentPage(**fields)
    parent.add_child(instance=page)
    for order, item in enumerate(questions):
        question, points = item if isinstance(item, tuple) else (item, None)
        AssessmentQuestion.objects.create(
            page=page, question=question, points=points, sort_order=order
        )
    for order, rule in enumerate(random_rules):
        RandomQuestionRule.objects.create(page=page, sort_order=order, **rule)
    return AssessmentPage.objects.get(pk=page.pk)
