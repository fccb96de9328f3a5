"""Knowledge gain (pre/post, normalised gain, per learning objective, by
country) and the final score certificates read, on hand-made data."""

import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest

from assessments import selectors, services
from assessments.factories import (
    LearningObjectiveFactory,
    make_assessment,
    make_question,
)
from training_platform.accounts.factories import UserFactory
from training_platform.accounts.models import Country

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_key(course):
    return course.course_key


@pytest.fixture
def tests_pair(module_page):
    identify = LearningObjectiveFactory(code="identify", name="Identify victims")
    refer = LearningObjectiveFactory(code="refer", name="Refer victims")
    questions = [
        make_question("truefalse", title=f"Identify {i}", objective=identify)
        for i in range(2)
    ] + [
        make_question("truefalse", title=f"Refer {i}", objective=refer)
        for i in range(2)
    ]
    pre = make_assessment(
        module_page, title="Pre", kind="pretest", questions=questions, slug="pre"
    )
    post = make_assessment(
        module_page,
        title="Post",
        kind="posttest",
        questions=questions,
        slug="post",
        max_attempts=2,
    )
    return pre, post, questions


def take(user, page, right_titles):
    attempt = services.attempt_start(user=user, page=page)
    answers = {
        slot.position: {"value": slot.question.title in right_titles}
        for slot in attempt.slots.select_related("question")
    }
    return services.attempt_submit(attempt=attempt, answers=answers, sequence=0)


def test_course_gain_averages_and_normalised_gain(course_key, tests_pair):
    pre, post, _questions = tests_pair
    ana = UserFactory(email="ana@example.org")
    ben = UserFactory(email="ben@example.org", country=Country.objects.get(code="AL"))
    only_pre = UserFactory(email="pre-only@example.org")
    take(ana, pre, {"Identify 0"})  # 25%
    take(ana, post, {"Identify 0", "Identify 1", "Refer 0"})  # 75%
    take(ben, pre, {"Identify 0", "Refer 0"})  # 50%
    take(ben, post, {"Identify 0", "Identify 1", "Refer 0", "Refer 1"})  # 100%
    take(only_pre, pre, set())  # not counted: no post-test
    gain = selectors.knowledge_gain(course_key=course_key)
    assert gain["learners"] == 2
    assert gain["pre"] == Decimal("37.50")
    assert gain["post"] == Decimal("87.50")
    assert gain["gain"] == Decimal("50.00")
    # Hake: (87.5 - 37.5) / (100 - 37.5) = 0.8
    assert gain["normalised_gain"] == Decimal("0.800")
    # Individual gains: ana (75-25)/75 = 0.667, ben (100-50)/50 = 1
    assert gain["mean_normalised_gain"] == Decimal("0.833")
    objectives = {row["objective"].code: row for row in gain["objectives"]}
    # identify: pre (1/2 + 1/2) -> 50%, post (2/2 + 2/2) -> 100%
    assert objectives["identify"]["pre"] == Decimal("50.00")
    assert objectives["identify"]["post"] == Decimal("100.00")
    # refer: pre (0 + 1/2) -> 25%, post (1/2 + 2/2) -> 75%
    assert objectives["refer"]["pre"] == Decimal("25.00")
    assert objectives["refer"]["post"] == Decimal("75.00")
    assert objectives["refer"]["normalised_gain"] == Decimal("0.667")


def test_gain_by_country_and_limited_to_visible_learners(course_key, tests_pair):
    pre, post, _questions = tests_pair
    serbian = UserFactory(email="rs@example.org")
    albanian = UserFactory(
        email="al@example.org", country=Country.objects.get(code="AL")
    )
    take(serbian, pre, set())
    take(serbian, post, {"Identify 0", "Identify 1"})
    take(albanian, pre, {"Identify 0"})
    take(albanian, post, {"Identify 0"})
    rows = {
        row["group"]: row
        for row in selectors.knowledge_gain_by(group_by="country__code")
    }
    assert rows["RS"]["pre"] == Decimal("0.00") and rows["RS"]["post"] == Decimal(
        "50.00"
    )
    assert rows["AL"]["gain"] == Decimal("0.00")
    scoped = selectors.knowledge_gain(
        course_key=course_key, users=type(serbian).objects.filter(country__code="AL")
    )
    assert scoped["learners"] == 1 and scoped["post"] == Decimal("25.00")


def test_learner_sees_own_gain_on_the_post_test_page(course_key, client, tests_pair):
    pre, post, _questions = tests_pair
    learner = UserFactory(email="self@example.org")
    take(learner, pre, {"Identify 0"})
    take(learner, post, {"Identify 0", "Identify 1", "Refer 0", "Refer 1"})
    client.force_login(learner)
    body = client.get(post.url).content.decode()
    assert "Your knowledge gain" in body
    assert "+75" in body
    gain = selectors.learner_knowledge_gain(user=learner, course_key=course_key)
    assert gain["normalised_gain"] == Decimal("1.000")


def test_post_test_counted_by_its_grading_method(course_key, tests_pair):
    pre, post, _questions = tests_pair
    learner = UserFactory(email="twice@example.org")
    take(learner, pre, set())
    take(learner, post, {"Identify 0", "Identify 1", "Refer 0", "Refer 1"})
    take(learner, post, {"Identify 0"})
    gain = selectors.learner_knowledge_gain(user=learner, course_key=course_key)
    assert gain["post"] == Decimal("100.00")  # highest grade
    identify = next(r for r in gain["objectives"] if r["objective"].code == "identify")
    assert identify["post"] == Decimal("100.00")  # from the counted attempt


def test_final_score_for_enrolment(course_key, module_page):
    learner = UserFactory(email="final@example.org")
    questions = [make_question("truefalse") for _ in range(4)]
    final = make_assessment(
        module_page, title="Final", kind="final", questions=questions, slug="final"
    )
    enrolment = SimpleNamespace(user_id=learner.pk, course_key=course_key)
    assert selectors.final_score_for(enrolment) is None
    attempt = services.attempt_start(user=learner, page=final)
    first = attempt.slots.order_by("position").first()
    services.attempt_submit(
        attempt=attempt, answers={first.position: {"value": True}}, sequence=0
    )
    assert selectors.final_score_for(enrolment) == Decimal("25.00")
    other = SimpleNamespace(user_id=learner.pk, course_key=uuid.uuid4())
    assert selectors.final_score_for(other) is None
