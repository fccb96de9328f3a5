"""Taking a completed course again: a new round of the course is a new
enrolment of the same learner that starts from nothing, while the earlier
round keeps its completion and progress; "exactly once" holds per round."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError

from courses import selectors, services, signals
from courses.factories import build_course
from courses.models import CourseCompletion, Enrolment, ItemProgress
from training_platform.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _complete(user, course):
    for item in course.get_course_items():
        services.item_progress_record(user=user, page=item, completed=True)


@pytest.fixture
def completed(course, learner):
    services.enrolment_create(user=learner, course=course, source="self")
    _complete(learner, course)
    return Enrolment.objects.get(user=learner)


def test_a_completed_course_is_taken_again_in_a_new_round_keeping_the_history(
    course, learner, completed
):
    first_completion = completed.completion
    new = services.enrolment_start_new_round(enrolment=completed, by=learner)

    assert new.pk != completed.pk
    assert (new.status, new.round_number, new.progress_percent) == ("active", 2, 0)
    assert selectors.enrolment_for(user=learner, course=course) == new
    completed.refresh_from_db()
    assert completed.status == "completed" and not completed.is_current
    assert completed.completion == first_completion
    assert ItemProgress.objects.filter(enrolment=completed).count() == 4
    assert not ItemProgress.objects.filter(enrolment=new).exists()
    outline = selectors.course_outline(course=course, user=learner)
    assert outline.percent == 0

    _complete(learner, course)
    new.refresh_from_db()
    assert new.status == "completed"
    assert CourseCompletion.objects.filter(enrolment__user=learner).count() == 2
    assert new.completion.pk != first_completion.pk


def test_starting_a_new_round_twice_is_a_no_op(learner, completed):
    first = services.enrolment_start_new_round(enrolment=completed, by=learner)
    again = services.enrolment_start_new_round(enrolment=completed, by=learner)
    assert again.pk == first.pk
    assert Enrolment.objects.filter(user=learner).count() == 2


def test_a_course_in_progress_cannot_be_started_again(course, learner):
    enrolment = services.enrolment_create(user=learner, course=course, source="self")
    with pytest.raises(services.EnrolmentError) as error:
        services.enrolment_start_new_round(enrolment=enrolment, by=learner)
    assert error.value.code == "not_completed"
    assert Enrolment.objects.filter(user=learner).count() == 1


def test_only_the_learner_or_their_coordinator_starts_a_new_round(
    learner, completed, coordinator
):
    stranger = UserFactory(email="stranger@example.org")
    with pytest.raises(PermissionDenied):
        services.enrolment_start_new_round(enrolment=completed, by=stranger)
    assert Enrolment.objects.filter(user=learner).count() == 1


def test_one_current_enrolment_per_learner_and_course_is_a_database_rule(
    course, learner, completed
):
    services.enrolment_start_new_round(enrolment=completed, by=learner)
    with pytest.raises(IntegrityError):
        Enrolment.objects.create(
            user=learner, course_key=course.translation_key, round_number=3
        )


def test_a_new_round_keeps_its_place_and_counts_once(learner):
    course = build_course(modules=1, lessons=2, capacity=1)
    services.enrolment_create(user=learner, course=course, source="self")
    _complete(learner, course)
    services.enrolment_start_new_round(
        enrolment=Enrolment.objects.get(user=learner), by=learner
    )
    counts = selectors.course_enrolment_counts(course_key=course.translation_key)
    assert (counts["enrolled"], counts["completed"]) == (1, 0)
    with pytest.raises(services.EnrolmentError) as error:
        services.enrolment_create(
            user=UserFactory(email="late@example.org"), course=course, source="self"
        )
    assert error.value.code == "full"


def test_an_app_above_may_refuse_a_new_round_with_its_reason(
    learner, completed, monkeypatch
):
    monkeypatch.setattr(
        signals, "new_round_checks", [lambda enrolment: "Your certificate is valid."]
    )
    with pytest.raises(services.EnrolmentError) as error:
        services.enrolment_start_new_round(enrolment=completed, by=learner)
    assert error.value.message == "Your certificate is valid."
    assert Enrolment.objects.filter(user=learner).count() == 1


def test_the_course_page_offers_a_new_round_and_starts_it(
    client, course, learner, completed
):
    client.force_login(learner)
    page = client.get(course.url).content.decode()
    assert "Take the course again" in page
    assert client.get(course.url + "again/").status_code == 405
    response = client.post(course.url + "again/")
    first_lesson = course.get_course_items()[0]
    assert response.status_code == 302 and response["Location"] == first_lesson.url
    assert Enrolment.objects.get(user=learner, is_current=True).round_number == 2
    page = client.get(course.url).content.decode()
    assert "Start the course" in page
    assert "Take the course again" not in page


def test_the_refusal_is_shown_on_the_course_page_instead_of_the_button(
    client, course, learner, completed, monkeypatch
):
    monkeypatch.setattr(
        signals,
        "new_round_checks",
        [lambda enrolment: "Your certificate is valid until 1 May 2030."],
    )
    client.force_login(learner)
    page = client.get(course.url).content.decode()
    assert "Take the course again" not in page
    assert "Your certificate is valid until 1 May 2030." in page
    response = client.post(course.url + "again/", follow=True)
    assert "Your certificate is valid until 1 May 2030." in response.content.decode()
    assert Enrolment.objects.filter(user=learner).count() == 1
