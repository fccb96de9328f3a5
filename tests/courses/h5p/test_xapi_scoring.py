"""Scores reported by the browser are checked against the package, never
against what another learner claimed first (B01, B02)."""

import io
import json
import uuid

import pytest
from django.test import Client

from courses import services as course_services
from courses.factories import build_course
from courses.h5p import package_builder, scoring, tokens
from courses.h5p.models import H5PContent, H5PResult, H5PStatement
from courses.h5p.services import content_import
from courses.models import ActivityProgress, ItemProgress
from training_platform.accounts.factories import UserFactory

from .conftest import corpus_available, corpus_path

pytestmark = pytest.mark.django_db

VERBS = "http://adlnet.gov/expapi/verbs/"


def statement(verb="answered", score=None, **result):
    data = {
        "id": str(uuid.uuid4()),
        "verb": {"id": VERBS + verb},
        "object": {"id": "http://testserver/h5p/activity/x"},
    }
    if score is not None or result:
        data["result"] = dict(result)
        if score is not None:
            data["result"]["score"] = score
    return data


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def send(user, content, *statements, **launch):
    token = tokens.launch_token(
        user=user,
        content=content,
        parent_origin="http://testserver",
        activity_key=content.activity_key,
        **launch,
    )
    return client_for(user).post(
        "/h5p/xapi/",
        json.dumps({"launch": token, "statements": list(statements)}),
        content_type="application/json",
    )


def test_b02_the_maximum_comes_from_the_package_at_import(quiz_content):
    assert quiz_content.known_max_score == 1


@pytest.mark.skipif(not corpus_available(), reason="H5P corpus not present")
@pytest.mark.parametrize(
    "path, maximum",
    [
        ("playable/h5p-test.h5p", 1),
        ("playable/multiple-choice-713.h5p", 1),
        ("playable/question-set-616.h5p", 6),
        # Keyword-scored essays and informational content: not derived.
        ("playable/essay-4-166755.h5p", None),
        ("playable/accordion-6-7138.h5p", None),
    ],
)
def test_b02_corpus_maxima_are_read_from_the_packages(db, path, maximum):
    with open(corpus_path(path), "rb") as handle:
        content = content_import(file=handle, filename=path)
    assert content.known_max_score == maximum


@pytest.mark.parametrize(
    "library, params, maximum",
    [
        ("H5P.TrueFalse", {"question": "?"}, 1),
        # Multiple choice: one point unless each right answer counts.
        ("H5P.MultiChoice", {"answers": [{"correct": True}, {"correct": True}]}, 1),
        (
            "H5P.MultiChoice",
            {
                "answers": [{"correct": True}, {"correct": True}, {"correct": False}],
                "behaviour": {"singlePoint": False},
            },
            2,
        ),
        (
            "H5P.MultiChoice",
            {"answers": [{"correct": True}], "behaviour": {"singlePoint": False}},
            1,
        ),
        ("H5P.Blanks", {"questions": ["<p>*a* and *b*</p>", "<p>*c*</p>"]}, 3),
        ("H5P.Blanks", {"text": "defaults of the library"}, None),
        (
            "H5P.QuestionSet",
            {
                "questions": [
                    {"library": "H5P.TrueFalse 1.6", "params": {}},
                    {"library": "H5P.Blanks 1.14", "params": {"questions": ["*x*"]}},
                ]
            },
            2,
        ),
        # One question of a kind the server cannot read: the total is unknown.
        (
            "H5P.QuestionSet",
            {
                "questions": [
                    {"library": "H5P.TrueFalse 1.6", "params": {}},
                    {"library": "H5P.Essay 1.5", "params": {}},
                ]
            },
            None,
        ),
        # A random pool of questions: the maximum varies between attempts.
        (
            "H5P.QuestionSet",
            {
                "poolSize": 1,
                "questions": [
                    {"library": "H5P.TrueFalse 1.6", "params": {}},
                    {"library": "H5P.TrueFalse 1.6", "params": {}},
                ],
            },
            None,
        ),
        ("H5P.Essay", {"keywords": []}, None),
    ],
)
def test_b02_maximum_of_a_content_type(library, params, maximum):
    assert scoring.max_score(library, params) == maximum


def test_b02_a_learner_cannot_block_every_other_learners_score(quiz_content):
    """Issue 11: the first statement of an activity no longer fixes its
    maximum for everyone."""
    attacker = UserFactory()
    forged = statement(score={"raw": 1000, "max": 1000})
    response = send(attacker, quiz_content, forged)
    assert response.status_code == 400
    assert response.json()["error"] == "score-max-mismatch"
    for _learner in range(2):
        learner = UserFactory()
        genuine = statement(score={"min": 0, "raw": 1, "max": 1}, success=True)
        response = send(learner, quiz_content, genuine)
        assert response.status_code == 200, response.content
        result = H5PResult.objects.get(user=learner)
        assert (result.score_raw, result.score_max, result.passed) == (1, 1, True)
    assert H5PContent.objects.get(pk=quiz_content.pk).known_max_score == 1


def test_b02_where_the_package_gives_no_maximum_no_learner_sets_one(quiz_content):
    H5PContent.objects.filter(pk=quiz_content.pk).update(known_max_score=None)
    content = H5PContent.objects.get(pk=quiz_content.pk)
    first, second = UserFactory(), UserFactory()
    assert (
        send(first, content, statement(score={"raw": 9, "max": 10})).status_code == 200
    )
    response = send(second, content, statement(score={"raw": 1, "max": 4}))
    assert response.status_code == 200, response.content
    assert H5PResult.objects.get(user=second).score_max == 4
    assert H5PContent.objects.get(pk=content.pk).known_max_score is None


@pytest.mark.parametrize(
    "score, code",
    [
        ({"raw": -5, "max": 1}, "score-raw-below-min"),
        ({"raw": -1}, "score-raw-below-min"),
        ({"raw": 1}, "score-incomplete"),
        ({"scaled": 1}, "score-incomplete"),
        ({"max": 1}, "score-incomplete"),
        ({"raw": 2, "max": 2}, "score-max-mismatch"),
    ],
)
def test_b02_implausible_or_incomplete_scores_are_refused(quiz_content, score, code):
    learner = UserFactory()
    response = send(learner, quiz_content, statement(score=score))
    assert response.status_code == 400
    assert response.json()["error"] == code
    assert not H5PStatement.objects.exists()
    assert not H5PResult.objects.exists()


def activities_lesson(content, learner):
    course = build_course(
        modules=1,
        lessons=1,
        lesson_kwargs={
            "completion_mode": "activities",
            "body": [("h5p", {"content": content, "title": ""})],
        },
    )
    lesson = course.get_course_items()[0]
    enrolment = course_services.enrolment_create(
        user=learner, course=course, source="self"
    )
    return lesson, enrolment


def lesson_completed(enrolment, lesson):
    return ItemProgress.objects.filter(
        enrolment=enrolment, item_key=lesson.translation_key, status="completed"
    ).exists()


@pytest.mark.parametrize(
    "forged",
    [
        # Issue 11: a negative raw score and no minimum.
        statement(score={"raw": -5, "max": 1}),
        # A scored activity "answered" without any score.
        statement(),
        statement(completion=True),
        # Informational verbs do not finish a scored activity.
        dict(
            statement(score={"raw": 1, "max": 1}),
            verb={"id": "http://activitystrea.ms/schema/1.0/consume"},
        ),
    ],
)
def test_b01_a_single_forged_statement_does_not_complete_the_lesson(
    learner, quiz_content, forged
):
    lesson, enrolment = activities_lesson(quiz_content, learner)
    send(learner, quiz_content, forged, lesson_id=lesson.pk)
    assert not H5PResult.objects.filter(user=learner, completed=True).exists()
    assert not ActivityProgress.objects.filter(enrolment=enrolment).exists()
    assert not lesson_completed(enrolment, lesson)


def test_b01_a_plausible_complete_result_completes_the_lesson(learner, quiz_content):
    lesson, enrolment = activities_lesson(quiz_content, learner)
    response = send(
        learner,
        quiz_content,
        statement(score={"min": 0, "raw": 0, "max": 1}, success=False),
        lesson_id=lesson.pk,
    )
    assert response.status_code == 200, response.content
    assert lesson_completed(enrolment, lesson)


def test_unscored_content_is_still_completed_by_its_informational_verb(learner):
    content = content_import(
        file=io.BytesIO(package_builder.quiz_package()), filename="quiz.h5p"
    )
    H5PContent.objects.filter(pk=content.pk).update(known_max_score=None)
    content.refresh_from_db()
    item = statement(completion=True)
    item["verb"] = {"id": "http://activitystrea.ms/schema/1.0/consume"}
    assert send(learner, content, item).status_code == 200
    assert H5PResult.objects.get(user=learner).completed


def test_b02_maxima_stored_from_learners_statements_are_read_again(quiz_content):
    """Activities imported before the fix hold whatever maximum the first
    learner claimed; the migration replaces it with the package's."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "courses.h5p.migrations.0003_max_score_from_packages"
    )
    H5PContent.objects.filter(pk=quiz_content.pk).update(known_max_score=1000)
    migration.read_maxima(apps, None)
    assert H5PContent.objects.get(pk=quiz_content.pk).known_max_score == 1
    learner = UserFactory()
    genuine = statement(score={"min": 0, "raw": 1, "max": 1})
    assert send(learner, quiz_content, genuine).status_code == 200
