"""The xAPI endpoint reads the lesson and the course from the cache and the
learner's enrolment once: a statement costs a fixed number of queries
(issue 12), and the checks it keeps still hold (B04)."""

import json
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from courses import services as course_services
from courses.h5p.models import H5PAttempt, H5PResult, H5PStatement
from courses.models import ActivityProgress, Enrolment, ItemProgress

from .test_lesson_progress import h5p_course, launch_from_lesson_page

pytestmark = pytest.mark.django_db

VERBS = "http://adlnet.gov/expapi/verbs/"
# Fixed, not derived from the data. Session, user, content, enrolment, the
# INSERT (in a savepoint inside the test's transaction), the result and the
# learner's progress for the answer.
MAX_INTERACTED = 9
# ... and for a scored statement that changes no progress: the result row
# locked, the attempt, the result's UPDATE and the progress row compared.
MAX_SCORED_REPEAT = 15


def statement(verb, raw=None, maximum=1):
    data = {
        "id": str(uuid.uuid4()),
        "verb": {"id": VERBS + verb},
        "object": {"id": "http://testserver/h5p/activity/x", "objectType": "Activity"},
    }
    if raw is not None:
        data["result"] = {
            "score": {"min": 0, "raw": raw, "max": maximum, "scaled": raw / maximum},
            "success": raw == maximum,
            "completion": True,
        }
    return data


def send(client, launch, item):
    return client.post(
        "/h5p/xapi/",
        json.dumps({"launch": launch, "statement": item}),
        content_type="application/json",
    )


def counted(client, launch, item):
    with CaptureQueriesContext(connection) as queries:
        response = send(client, launch, item)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


@pytest.fixture
def setup(learner, quiz_content):
    course = h5p_course(quiz_content, lessons=2)
    lesson = course.get_course_items()[0]
    enrolment = course_services.enrolment_create(
        user=learner, course=course, source="self"
    )
    client = Client()
    client.force_login(learner)
    launch = launch_from_lesson_page(client, lesson)
    return client, launch, lesson, enrolment


def test_an_interacted_statement_costs_a_fixed_number_of_queries(setup):
    client, launch, _lesson, _enrolment = setup
    send(client, launch, statement("interacted"))  # the lesson's facts cached
    count, body = counted(client, launch, statement("interacted"))
    assert count <= MAX_INTERACTED
    assert body == {"stored": 1, "duplicates": 0}


def test_statements_after_completion_cost_a_fixed_number_of_queries(setup, learner):
    client, launch, lesson, _enrolment = setup
    first = send(client, launch, statement("answered", raw=1)).json()
    assert first["lesson"]["completed"] is True
    assert first["lesson"]["percent"] == 50

    count, body = counted(client, launch, statement("answered", raw=1))
    assert count <= MAX_SCORED_REPEAT
    # The same answer as before the change: what the lesson page shows.
    assert body == dict(first, stored=1, duplicates=0)

    count, body = counted(client, launch, statement("interacted"))
    assert count <= MAX_INTERACTED
    assert body["lesson"] == first["lesson"]
    assert body["activity"] == first["activity"]

    result = H5PResult.objects.get(user=learner)
    assert result.attempt_count == 2
    assert H5PAttempt.objects.filter(result=result).count() == 2
    assert H5PStatement.objects.filter(user=learner).count() == 3


def test_a_better_score_still_reaches_the_courses_progress(setup, learner):
    client, launch, lesson, enrolment = setup
    send(client, launch, statement("answered", raw=0))
    row = ActivityProgress.objects.get(enrolment=enrolment)
    assert row.completed and row.passed is False
    body = send(client, launch, statement("answered", raw=1)).json()
    row.refresh_from_db()
    assert row.passed is True and str(row.score_scaled) == "1.0000"
    assert body["activity"]["summary"].startswith("Done.")


def test_a_duplicate_statement_is_counted_once(setup, learner):
    client, launch, _lesson, _enrolment = setup
    item = statement("answered", raw=1)
    assert send(client, launch, item).json()["stored"] == 1
    again = send(client, launch, item).json()
    assert again["stored"] == 0 and again["duplicates"] == 1
    assert H5PResult.objects.get(user=learner).attempt_count == 1
    other = dict(item, verb={"id": VERBS + "completed"})
    assert send(client, launch, other).status_code == 409


def test_b04_a_lesson_unpublished_after_it_was_cached_refuses_statements(setup):
    client, launch, lesson, _enrolment = setup
    assert send(client, launch, statement("interacted")).status_code == 200
    lesson.unpublish()
    response = send(client, launch, statement("interacted"))
    assert response.status_code == 404
    assert response.json() == {"error": "lesson-gone"}


def test_b04_a_withdrawn_learner_is_refused(setup, learner):
    client, launch, _lesson, enrolment = setup
    assert send(client, launch, statement("interacted")).status_code == 200
    course_services.enrolment_withdraw(enrolment=enrolment, by=learner)
    response = send(client, launch, statement("answered", raw=1))
    assert response.status_code == 403
    assert response.json() == {"error": "not-enrolled"}
    assert not H5PResult.objects.exists()


def test_a_new_round_records_the_activity_again(learner, quiz_content):
    """The result is the learner's; progress belongs to each round: the same
    result played again in a new round completes the lesson of that round."""
    course = h5p_course(quiz_content)
    lesson = course.get_course_items()[0]
    enrolment = course_services.enrolment_create(
        user=learner, course=course, source="self"
    )
    client = Client()
    client.force_login(learner)
    launch = launch_from_lesson_page(client, lesson)
    assert send(client, launch, statement("answered", raw=1)).status_code == 200
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    new = course_services.enrolment_start_new_round(enrolment=enrolment, by=learner)
    body = send(client, launch, statement("answered", raw=1)).json()
    assert body["lesson"]["completed"] is True
    assert ActivityProgress.objects.filter(enrolment=new, completed=True).exists()
    assert ItemProgress.objects.get(enrolment=new).is_completed
    assert Enrolment.objects.current().get(user=learner).pk == new.pk
