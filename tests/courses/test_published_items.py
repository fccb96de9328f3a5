"""The completion rule counts what learners are shown: published lessons of
published modules. A lesson that is a draft, or that sits in a module that is
not published, is neither listed, nor opened, nor required."""

import pytest
from wagtail.models import Page

from courses.factories import build_course
from courses.models import CourseCompletion, LessonPage, ModulePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return build_course(modules=2, lessons=1, title="Child protection")


@pytest.fixture
def learner_client(client, learner, course):
    from courses import services

    services.enrolment_create(user=learner, course=course, source="self")
    client.force_login(learner)
    return client


def _lessons(course):
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


def test_a_lesson_in_an_unpublished_module_is_not_shown_opened_or_required(
    course, learner_client, learner
):
    first, hidden = _lessons(course)
    module = Page.objects.get(pk=hidden.get_parent().pk)
    module.unpublish()  # the module only: its lesson stays live
    hidden.refresh_from_db()
    assert hidden.live

    assert [item.pk for item in course.get_course_items()] == [first.pk]
    assert hidden.title not in learner_client.get(course.url).content.decode()
    assert learner_client.get(hidden.url).status_code == 404

    response = learner_client.post(first.url + "complete/", follow=True)
    assert "Well done: you have completed the course!" in response.content.decode()
    assert CourseCompletion.objects.filter(enrolment__user=learner).exists()


def test_a_draft_lesson_is_required_once_it_is_published(
    course, learner_client, learner
):
    module = ModulePage.objects.child_of(course).first()
    draft = module.add_child(
        instance=LessonPage(
            title="Best interests", slug="best-interests", locale=module.locale
        )
    )
    draft.unpublish()
    assert draft.pk not in [item.pk for item in course.get_course_items()]

    draft.save_revision().publish()
    for lesson in _lessons(course):
        if lesson.pk != draft.pk:
            learner_client.post(lesson.url + "complete/")
    assert not CourseCompletion.objects.filter(enrolment__user=learner).exists()

    response = learner_client.post(draft.url + "complete/", follow=True)
    assert "Well done: you have completed the course!" in response.content.decode()
