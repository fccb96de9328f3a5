"""Taking a course again (a new round of the enrolment, for recertification):
the course's assessments allow their attempts again in the new round, while
the earlier attempts stay on record."""

import pytest

from assessments import selectors, services
from courses import services as course_services
from courses.models import CourseCompletion, Enrolment, LessonPage

from .helpers import correct_answers, submit, wrong_answers

pytestmark = pytest.mark.django_db


def _finish_lessons(user, course):
    for lesson in LessonPage.objects.descendant_of(course):
        course_services.item_progress_record(user=user, page=lesson, completed=True)


def test_a_new_round_of_the_course_allows_the_attempts_again(learner, course, quiz):
    first = services.attempt_start(user=learner, page=quiz)
    submit(attempt=first, answers=wrong_answers(first), sequence=0)
    second = services.attempt_start(user=learner, page=quiz)
    submit(attempt=second, answers=correct_answers(second), sequence=0)
    _finish_lessons(learner, course)
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.status == "completed"
    with pytest.raises(services.NoAttemptsLeft):
        services.attempt_start(user=learner, page=quiz)

    course_services.enrolment_start_new_round(enrolment=enrolment, by=learner)
    assert selectors.attempts_left(user=learner, page=quiz) == 2
    third = services.attempt_start(user=learner, page=quiz)
    submit(attempt=third, answers=correct_answers(third), sequence=0)
    assert third.number == 3
    assert selectors.attempts_left(user=learner, page=quiz) == 1
    _finish_lessons(learner, course)
    assert CourseCompletion.objects.filter(enrolment__user=learner).count() == 2
    fourth = services.attempt_start(user=learner, page=quiz)
    submit(attempt=fourth, answers=wrong_answers(fourth), sequence=0)
    assert fourth.number == 4
    with pytest.raises(services.NoAttemptsLeft):
        services.attempt_start(user=learner, page=quiz)
