"""H5P results feed lesson and course progress through the courses services."""

import json
import uuid

import pytest
from django.test import Client

from courses import services as course_services
from courses.factories import build_course
from courses.h5p.models import H5PResult
from courses.models import (
    ActivityProgress,
    CourseCompletion,
    ItemProgress,
    LessonPage,
)

pytestmark = pytest.mark.django_db

VERBS = "http://adlnet.gov/expapi/verbs/"


def h5p_course(content, *, lessons=1):
    return build_course(
        modules=1,
        lessons=lessons,
        lesson_kwargs={
            "completion_mode": "activities",
            "body": [
                ("rich_text", "<p>Try the activity.</p>"),
                ("h5p", {"content": content, "title": ""}),
            ],
        },
    )


def launch_from_lesson_page(client, lesson):
    """Open the lesson like a learner and take the launch the block issued."""
    html = client.get(lesson.url).content.decode()
    marker = 'data-h5p-launch="'
    assert marker in html, "the lesson shows no H5P activity"
    return html.split(marker, 1)[1].split('"', 1)[0]


def post(client, launch, verb="answered", raw=1, maximum=1, success=True):
    statement = {
        "id": str(uuid.uuid4()),
        "verb": {"id": VERBS + verb},
        "object": {"id": "http://testserver/h5p/activity/x"},
        "result": {
            "score": {"raw": raw, "max": maximum, "min": 0},
            "success": success,
            "completion": True,
        },
    }
    return client.post(
        "/h5p/xapi/",
        json.dumps({"launch": launch, "statements": [statement]}),
        content_type="application/json",
    )


@pytest.fixture
def learner_client(learner):
    client = Client()
    client.force_login(learner)
    return client


def test_the_lesson_shows_the_activity_in_a_sandboxed_lazy_frame(
    learner, learner_client, quiz_content
):
    course = h5p_course(quiz_content)
    lesson = course.get_course_items()[0]
    assert lesson.activity_keys() == [quiz_content.activity_key]
    course_services.enrolment_create(user=learner, course=course, source="self")
    html = learner_client.get(lesson.url).content.decode()
    assert 'sandbox="allow-scripts"' in html and "allow-same-origin" not in html
    assert 'loading="lazy"' in html
    assert "http://localhost/h5p/play/" not in html  # testserver: same origin
    assert "/h5p/play/" in html


def test_answering_completes_the_lesson_and_the_course(
    learner, learner_client, quiz_content
):
    course = h5p_course(quiz_content)
    lesson = course.get_course_items()[0]
    enrolment = course_services.enrolment_create(
        user=learner, course=course, source="self"
    )
    launch = launch_from_lesson_page(learner_client, lesson)
    assert post(learner_client, launch, raw=0).status_code == 200
    activity = ActivityProgress.objects.get(enrolment=enrolment)
    assert activity.completed and activity.passed is False
    assert activity.source == "client"
    item = ItemProgress.objects.get(
        enrolment=enrolment, item_key=lesson.translation_key
    )
    assert item.status == "completed" and item.source == "client"
    assert CourseCompletion.objects.filter(enrolment=enrolment).exists()
    result = H5PResult.objects.get(user=learner)
    assert result.lesson_id == lesson.pk
    assert result.context_key == str(lesson.translation_key)


def test_a_forged_pass_cannot_complete_a_course_that_needs_a_server_graded_item(
    learner, learner_client, quiz_content, monkeypatch
):
    """The H5P lesson stands in for an item that must be passed, graded on the
    server (an assessment): a browser-reported pass never satisfies it."""
    course = h5p_course(quiz_content)
    lesson = course.get_course_items()[0]
    monkeypatch.setattr(LessonPage, "completion_requires_pass", lambda self: True)
    enrolment = course_services.enrolment_create(
        user=learner, course=course, source="self"
    )
    launch = launch_from_lesson_page(learner_client, lesson)
    forged = post(learner_client, launch, verb="passed", raw=1, maximum=1)
    assert forged.status_code == 200
    assert H5PResult.objects.get(user=learner).passed is True
    assert not CourseCompletion.objects.filter(enrolment=enrolment).exists()


def test_b04_learner_not_enrolled_is_refused(learner, learner_client, quiz_content):
    course = h5p_course(quiz_content)
    lesson = course.get_course_items()[0]
    enrolment = course_services.enrolment_create(
        user=learner, course=course, source="self"
    )
    launch = launch_from_lesson_page(learner_client, lesson)
    course_services.enrolment_withdraw(enrolment=enrolment, by=learner)
    response = post(learner_client, launch)
    assert response.status_code == 403
    assert not H5PResult.objects.exists()
    assert not ActivityProgress.objects.exists()


def test_b04_unpublished_lesson_is_refused(learner, learner_client, quiz_content):
    course = h5p_course(quiz_content)
    lesson = course.get_course_items()[0]
    course_services.enrolment_create(user=learner, course=course, source="self")
    launch = launch_from_lesson_page(learner_client, lesson)
    lesson.unpublish()
    assert post(learner_client, launch).status_code == 404
    assert not H5PResult.objects.exists()


def test_question_set_children_do_not_complete_the_lesson(
    learner, learner_client, quiz_content
):
    course = h5p_course(quiz_content)
    lesson = course.get_course_items()[0]
    enrolment = course_services.enrolment_create(
        user=learner, course=course, source="self"
    )
    launch = launch_from_lesson_page(learner_client, lesson)
    child = {
        "id": str(uuid.uuid4()),
        "verb": {"id": VERBS + "answered"},
        "object": {"id": "http://testserver/h5p/activity/x?subContentId=1"},
        "result": {"score": {"raw": 1, "max": 1}},
        "context": {"contextActivities": {"parent": [{"id": "http://x"}]}},
    }
    learner_client.post(
        "/h5p/xapi/",
        json.dumps({"launch": launch, "statements": [child]}),
        content_type="application/json",
    )
    assert not ActivityProgress.objects.filter(enrolment=enrolment).exists()
    assert not ItemProgress.objects.filter(
        enrolment=enrolment, status="completed"
    ).exists()


def test_the_answer_tells_the_lesson_page_what_changed(
    learner, learner_client, quiz_content
):
    """Issue 11 (24): the page shows the new progress without a reload."""
    course = h5p_course(quiz_content, lessons=2)
    lesson = course.get_course_items()[0]
    course_services.enrolment_create(user=learner, course=course, source="self")
    launch = launch_from_lesson_page(learner_client, lesson)
    response = post(learner_client, launch, raw=0)
    assert response.status_code == 200
    answer = response.json()
    assert answer["activity"] == {
        "completed": True,
        "summary": "Done. Your score: 0 of 1.",
    }
    assert answer["lesson"] == {
        "completed": True,
        "completed_label": "Completed",
        "percent": 50,
        "percent_label": "50% complete",
    }


def test_the_answer_says_nothing_before_the_activity_is_done(
    learner, learner_client, quiz_content
):
    course = h5p_course(quiz_content)
    lesson = course.get_course_items()[0]
    course_services.enrolment_create(user=learner, course=course, source="self")
    launch = launch_from_lesson_page(learner_client, lesson)
    attempted = {
        "id": str(uuid.uuid4()),
        "verb": {"id": VERBS + "attempted"},
        "object": {"id": "http://testserver/h5p/activity/x"},
    }
    response = learner_client.post(
        "/h5p/xapi/",
        json.dumps({"launch": launch, "statements": [attempted]}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert "lesson" not in response.json() and "activity" not in response.json()


def test_the_lesson_reads_its_activity_from_the_content_cache_and_sees_changes(
    quiz_content, learner
):
    """A warm lesson view does not read the H5P content row; renaming the
    activity shows on the next view."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    course = h5p_course(quiz_content)
    course_services.enrolment_create(user=learner, course=course, source="self")
    lesson = course.get_course_items()[0]
    client = Client()
    client.force_login(learner)
    client.get(lesson.url)
    with CaptureQueriesContext(connection) as context:
        client.get(lesson.url)
    assert not [q for q in context.captured_queries if "h5p_h5pcontent" in q["sql"]]
    quiz_content.title = "Renamed activity"
    quiz_content.save()
    assert "Renamed activity" in client.get(lesson.url).content.decode()
