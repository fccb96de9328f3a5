"""Assessments inside the course tree: the page type under modules, grades
feeding course progress (server-graded), a passed final exam completing the
course, the pre-test gate, enrolment, translations and the final score."""

from decimal import Decimal

import pytest
from django.test import Client

from assessments import selectors, services
from assessments.factories import make_assessment, make_question
from assessments.models import AssessmentPage, Attempt
from courses.factories import build_course, translate
from courses.models import (
    CourseCompletion,
    Enrolment,
    ItemProgress,
    LessonPage,
    ModulePage,
)
from courses.services import enrolment_create, enrolment_withdraw

from .helpers import correct_answers, submit, wrong_answers

pytestmark = pytest.mark.django_db


def test_assessment_page_lives_under_modules_only():
    assert "assessments.AssessmentPage" in ModulePage.subpage_types
    assert AssessmentPage.parent_page_types == ["courses.ModulePage"]
    assert ModulePage in AssessmentPage.allowed_parent_page_models()


def test_grade_feeds_course_progress_as_server_graded(learner, quiz):
    attempt = services.attempt_start(user=learner, page=quiz)
    submit(attempt=attempt, answers=wrong_answers(attempt), sequence=0)
    progress = ItemProgress.objects.get(user=learner, item_key=quiz.translation_key)
    assert progress.status == "completed"
    assert progress.score == Decimal("0.00") and progress.passed is False
    assert progress.source == "server"
    attempt = services.attempt_start(user=learner, page=quiz)
    submit(attempt=attempt, answers=correct_answers(attempt), sequence=0)
    progress.refresh_from_db()
    assert progress.score == Decimal("100.00") and progress.passed is True


def test_a_passed_required_final_exam_completes_the_course(learner):
    course = build_course(modules=1, lessons=0, title="Exam only")
    enrolment_create(user=learner, course=course, source="bulk")
    module = course.get_children().first().specific
    questions = [make_question("truefalse") for _ in range(2)]
    final = make_assessment(
        module, title="Final", kind="final", questions=questions, pass_mark=70
    )
    failed = services.attempt_start(user=learner, page=final)
    submit(attempt=failed, answers=correct_answers(failed, [1]), sequence=0)
    enrolment = Enrolment.objects.get(user=learner)
    assert not CourseCompletion.objects.filter(enrolment=enrolment).exists()
    final.max_attempts = 2
    final.save()
    passed = services.attempt_start(user=learner, page=final)
    submit(attempt=passed, answers=correct_answers(passed), sequence=0)
    completion = CourseCompletion.objects.get(enrolment=enrolment)
    assert completion.final_score == Decimal("100.00")
    assert selectors.final_score_for(enrolment) == Decimal("100.00")


def test_pretest_never_counts_for_passing(learner, module_page, questions):
    pretest = make_assessment(
        module_page, title="Pre", kind="pretest", questions=[questions["single"]]
    )
    assert pretest.required_for_completion is False
    assert pretest.completion_requires_pass() is False
    attempt = services.attempt_start(user=learner, page=pretest)
    submit(attempt=attempt, answers=wrong_answers(attempt), sequence=0)
    progress = ItemProgress.objects.get(user=learner, item_key=pretest.translation_key)
    assert progress.passed is None and progress.status == "completed"


def test_learner_not_enrolled_cannot_start(quiz):
    from training_platform.accounts.factories import UserFactory

    outsider = UserFactory(email="outsider@example.org")
    Enrolment.objects.filter(user=outsider).delete()
    with pytest.raises(services.NotEnrolled):
        services.attempt_start(user=outsider, page=quiz)
    client = Client()
    client.force_login(outsider)
    assert b"Enrol in the course" in client.get(quiz.url).content


def test_withdrawn_during_the_attempt_still_gets_the_grade(
    learner, administrator, quiz
):
    attempt = services.attempt_start(user=learner, page=quiz)
    enrolment_withdraw(enrolment=Enrolment.objects.get(user=learner), by=administrator)
    attempt = submit(attempt=attempt, answers=correct_answers(attempt), sequence=0)
    assert attempt.state == "finished" and attempt.percent == 100
    assert not ItemProgress.objects.filter(item_key=quiz.translation_key).exists()


def test_pretest_gates_the_course_until_taken(
    learner, trainer, mfa, module_page, questions
):
    module = module_page
    lesson = LessonPage.objects.child_of(module).first()
    pretest = make_assessment(
        module, title="Pre", kind="pretest", questions=[questions["single"]]
    )
    quiz = make_assessment(module, title="Quiz", questions=[questions["truefalse"]])
    client = Client()
    client.force_login(learner)
    response = client.get(lesson.url)
    assert response.status_code == 302 and response.url == pretest.url
    assert client.get(pretest.url).status_code == 200
    with pytest.raises(services.PretestFirst):
        services.attempt_start(user=learner, page=quiz)
    attempt = services.attempt_start(user=learner, page=pretest)
    submit(attempt=attempt)
    assert client.get(lesson.url).status_code == 200
    assert services.attempt_start(user=learner, page=quiz).state == "inprogress"
    # Staff preview the course without taking the pre-test.
    mfa(trainer)
    staff = Client()
    staff.force_login(trainer)
    assert staff.get(lesson.url).status_code == 200


def test_pretest_gate_can_be_turned_off(learner, module_page, questions):
    module = module_page
    lesson = LessonPage.objects.child_of(module).first()
    make_assessment(
        module,
        title="Pre",
        kind="pretest",
        questions=[questions["single"]],
        gate_course_content=False,
    )
    client = Client()
    client.force_login(learner)
    assert client.get(lesson.url).status_code == 200


def test_translations_are_one_assessment(learner, course, module_page, questions):
    page = make_assessment(module_page, title="Quiz", questions=[questions["single"]])
    translate(course, "ru", title="Курс")
    translate(module_page, "ru", title="Модуль")
    russian = translate(page, "ru", title="Тест")
    assert russian.translation_key == page.translation_key
    submit(attempt=services.attempt_start(user=learner, page=russian))
    with pytest.raises(services.NoAttemptsLeft):
        services.attempt_start(user=learner, page=page)
    assert Attempt.objects.get().course_key == course.course_key
