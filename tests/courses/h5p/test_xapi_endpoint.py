"""The xAPI endpoint and the resume state endpoint (B01-B12)."""

import json
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from courses.h5p import progress, tokens
from courses.h5p.models import (
    H5PAttempt,
    H5PContent,
    H5PResult,
    H5PStatement,
    H5PUserState,
)

pytestmark = pytest.mark.django_db

VERBS = "http://adlnet.gov/expapi/verbs/"
URL = "/h5p/xapi/"


def statement(verb="answered", raw=1, maximum=1, *, parent=False, **extra):
    data = {
        "id": str(uuid.uuid4()),
        "verb": {"id": VERBS + verb, "display": {"en-US": verb}},
        "object": {
            "id": "http://127.0.0.1:8000/h5p/activity/x",
            "objectType": "Activity",
        },
        "timestamp": timezone.now().isoformat(),
    }
    if raw is not None:
        data["result"] = {
            "score": {"min": 0, "raw": raw, "max": maximum, "scaled": raw / maximum},
            "success": raw == maximum,
            "completion": True,
        }
    if parent:
        data["context"] = {
            "contextActivities": {
                "parent": [{"id": "http://127.0.0.1:8000/h5p/activity/x"}]
            }
        }
    data.update(extra)
    return data


def unknown_maximum(content):
    """As for a content type whose package does not give its maximum."""
    H5PContent.objects.filter(pk=content.pk).update(known_max_score=None)


@pytest.fixture
def launch(learner, quiz_content):
    def make(user=learner, **kwargs):
        kwargs.setdefault("activity_key", quiz_content.activity_key)
        return tokens.launch_token(
            user=user,
            content=quiz_content,
            parent_origin="http://127.0.0.1:8000",
            **kwargs,
        )

    return make


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def send(client, launch_token, *statements, raw_body=None):
    body = (
        raw_body
        if raw_body is not None
        else json.dumps({"launch": launch_token, "statements": list(statements)})
    )
    return client.post(URL, body, content_type="application/json")


def test_scored_top_level_statement_becomes_the_result(learner_client, launch, learner):
    response = send(learner_client, launch(), statement(raw=1, maximum=1))
    assert response.status_code == 200, response.content
    result = H5PResult.objects.get(user=learner)
    assert result.completed and result.passed
    assert result.score_scaled == Decimal("1.0000")
    assert result.source == "client"
    assert result.attempt_count == 1


def test_b01_statement_without_a_launch_token_is_refused(learner_client):
    response = send(learner_client, None, statement())
    assert response.status_code == 403
    assert not H5PStatement.objects.exists()


def test_b01_forged_launch_token_is_refused(learner_client, launch):
    token = launch()
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert send(learner_client, forged, statement()).status_code == 403
    assert not H5PStatement.objects.exists()


def test_b01_launch_token_of_another_user_is_refused(learner_client, launch, trainer):
    assert send(learner_client, launch(user=trainer), statement()).status_code == 403
    assert not H5PResult.objects.exists()


def test_b01_expired_launch_is_refused(learner_client, launch, settings):
    token = launch()
    settings.H5P_LAUNCH_MAX_AGE = -1
    assert send(learner_client, token, statement()).status_code == 403


def test_b03_actor_naming_another_learner_is_refused(learner_client, launch, trainer):
    forged = statement(actor={"mbox": f"mailto:{trainer.email}", "objectType": "Agent"})
    assert send(learner_client, launch(), forged).status_code == 403
    assert not H5PStatement.objects.exists()
    assert not H5PResult.objects.filter(user=trainer).exists()


def test_b03_anonymous_actor_is_ignored_and_the_session_user_is_recorded(
    learner_client, launch, learner
):
    anonymous = statement(
        actor={"account": {"name": str(uuid.uuid4()), "homePage": "http://x"}}
    )
    assert send(learner_client, launch(), anonymous).status_code == 200
    assert H5PStatement.objects.get().user == learner


@pytest.mark.parametrize(
    "score, code",
    [
        ({"raw": 5, "max": 1}, "score-raw-above-max"),
        ({"raw": -1, "min": 0, "max": 1}, "score-raw-below-min"),
        ({"raw": "1", "max": 1}, "score-not-number"),
        ({"raw": True, "max": 1}, "score-not-number"),
        ({"scaled": 1.5}, "score-scaled-range"),
        ({"scaled": -3}, "score-scaled-range"),
        ({"raw": 1, "max": -1}, "score-max-negative"),
    ],
)
def test_b02_impossible_scores_are_refused(learner_client, launch, score, code):
    bad = statement()
    bad["result"]["score"] = score
    response = send(learner_client, launch(), bad)
    assert response.status_code == 400
    assert response.json()["error"] == code
    assert not H5PStatement.objects.exists()


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "1e309"])
def test_b02_non_finite_numbers_are_refused(learner_client, launch, literal):
    body = json.dumps({"launch": launch(), "statements": [statement()]})
    body = body.replace('"raw": 1,', f'"raw": {literal},', 1)
    response = send(learner_client, None, raw_body=body)
    assert response.status_code == 400
    assert not H5PStatement.objects.exists()


def test_b02_a_maximum_other_than_the_contents_is_refused(learner_client, launch):
    assert (
        send(learner_client, launch(), statement(raw=1, maximum=1)).status_code == 200
    )
    response = send(learner_client, launch(), statement(raw=100, maximum=100))
    assert response.status_code == 400
    assert H5PAttempt.objects.count() == 1


def test_scaled_scores_outside_0_1_are_clamped(
    learner_client, launch, learner, quiz_content
):
    unknown_maximum(quiz_content)
    negative = statement()
    negative["result"]["score"] = {"min": -2, "raw": -1, "max": 1}
    assert send(learner_client, launch(), negative).status_code == 200
    result = H5PResult.objects.get(user=learner)
    assert result.score_scaled == Decimal("0")
    assert result.passed is False


def test_raw_score_is_scaled_by_the_server_not_the_client(
    learner_client, launch, learner
):
    lying = statement(raw=0, maximum=1)
    lying["result"]["score"]["scaled"] = 1
    send(learner_client, launch(), lying)
    assert H5PResult.objects.get(user=learner).score_scaled == Decimal("0")


def test_b05_same_statement_twice_is_counted_once(learner_client, launch):
    item = statement()
    token = launch()
    first = send(learner_client, token, item)
    second = send(learner_client, token, item)
    assert (first.json()["stored"], first.json()["duplicates"]) == (1, 0)
    assert second.status_code == 200
    assert (second.json()["stored"], second.json()["duplicates"]) == (0, 1)
    assert H5PAttempt.objects.count() == 1
    assert H5PResult.objects.get().attempt_count == 1


def test_b06_same_id_with_another_body_is_a_conflict(learner_client, launch):
    item = statement(raw=0)
    token = launch()
    send(learner_client, token, item)
    changed = dict(item, result={"score": {"raw": 1, "max": 1}, "completion": True})
    response = send(learner_client, token, changed)
    assert response.status_code == 409
    stored = H5PStatement.objects.get()
    assert stored.body["result"]["score"]["raw"] == 0
    assert H5PResult.objects.get().score_scaled == Decimal("0")


def test_b06_same_id_from_another_user_is_a_conflict(client, launch, learner, trainer):
    item = statement()
    client.force_login(learner)
    send(client, launch(), item)
    client.force_login(trainer)
    assert send(client, launch(user=trainer), item).status_code == 409


def test_b07_batch_with_one_invalid_statement_stores_nothing(learner_client, launch):
    bad = statement()
    bad["verb"] = "answered"
    response = send(learner_client, launch(), statement(), statement(), bad)
    assert response.status_code == 400
    assert not H5PStatement.objects.exists()
    assert not H5PResult.objects.exists()


def test_b08_oversized_statement_is_refused(learner_client, launch):
    big = statement()
    big["result"]["response"] = "x" * (70 * 1024)
    assert send(learner_client, launch(), big).status_code == 413
    assert not H5PStatement.objects.exists()


def test_b08_oversized_body_is_refused_before_parsing(learner_client, launch, settings):
    settings.H5P_MAX_BATCH_STATEMENTS = 1
    body = json.dumps({"launch": launch(), "padding": "x" * 200_000})
    assert send(learner_client, None, raw_body=body).status_code == 413


def test_b08_deeply_nested_extensions_are_refused(learner_client, launch):
    deep = statement()
    nested = {}
    cursor = nested
    for _ in range(40):
        cursor["a"] = {}
        cursor = cursor["a"]
    deep["result"]["extensions"] = {"http://x/e": nested}
    assert send(learner_client, launch(), deep).status_code == 400


def test_b08_too_many_fields_are_refused(learner_client, launch):
    wide = statement()
    wide["result"]["extensions"] = {f"http://x/{i}": i for i in range(1200)}
    assert send(learner_client, launch(), wide).status_code == 400


def test_b09_future_timestamp_is_clamped(learner_client, launch):
    future = statement(timestamp=(timezone.now() + timedelta(days=30)).isoformat())
    assert send(learner_client, launch(), future).status_code == 200
    stored = H5PStatement.objects.get()
    assert stored.client_timestamp <= timezone.now()


def test_b09_completion_never_goes_back(learner_client, launch, learner):
    token = launch()
    send(learner_client, token, statement("completed", raw=1, maximum=1))
    send(learner_client, token, statement("attempted", raw=None))
    result = H5PResult.objects.get(user=learner)
    assert result.completed


def test_b10_post_without_csrf_token_is_refused(learner, launch):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert send(client, launch(), statement()).status_code == 403
    assert not H5PStatement.objects.exists()


def test_b10_post_from_a_foreign_origin_is_refused(learner, launch):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    client.get("/en/my/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        URL,
        json.dumps({"launch": launch(), "statements": [statement()]}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert not H5PStatement.objects.exists()


def test_b10_same_origin_post_with_csrf_token_is_accepted(learner, launch):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    client.get("/en/my/")
    response = client.post(
        URL,
        json.dumps({"launch": launch(), "statements": [statement()]}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 200


def test_anonymous_user_cannot_post(client, launch):
    assert send(client, launch(), statement()).status_code == 403


def test_b04_statement_for_an_unpublished_lesson_is_refused(learner_client, launch):
    from wagtail.models import Page

    root = Page.get_first_root_node()
    lesson = root.add_child(
        instance=Page(title="Lesson", slug="h5p-lesson", live=False)
    )
    response = send(learner_client, launch(lesson_id=lesson.pk), statement())
    assert response.status_code == 404
    assert not H5PStatement.objects.exists()


def test_child_statements_are_stored_but_never_make_a_result(learner_client, launch):
    token = launch()
    send(learner_client, token, statement(raw=1, maximum=1, parent=True))
    assert H5PStatement.objects.filter(top_level=False).count() == 1
    assert not H5PResult.objects.exists()


def test_question_set_counts_once_on_its_top_level_completed(
    learner_client, launch, learner, quiz_content
):
    unknown_maximum(quiz_content)
    token = launch()
    children = [
        statement("answered", raw=r, maximum=m, parent=True)
        for r, m in [(0, 4), (1, 1), (0, 1)]
    ]
    send(learner_client, token, statement("attempted", raw=None), *children)
    assert not H5PResult.objects.exists()
    send(learner_client, token, statement("completed", raw=1, maximum=6))
    result = H5PResult.objects.get(user=learner)
    assert result.attempt_count == 1
    assert result.score_raw == 1 and result.score_max == 6
    assert result.passed is False  # 17% is below the 50% pass mark


@pytest.mark.parametrize(
    "verb",
    [
        "http://activitystrea.ms/schema/1.0/consume",
        VERBS + "experienced",
        VERBS + "completed",
    ],
)
def test_unscored_content_counts_as_completed(
    learner_client, launch, learner, quiz_content, verb
):
    unknown_maximum(quiz_content)
    item = statement(raw=None)
    item["verb"]["id"] = verb
    send(learner_client, launch(), item)
    result = H5PResult.objects.get(user=learner)
    assert result.completed and result.score_scaled is None and result.passed is None


def test_attempted_and_interacted_do_not_complete(learner_client, launch):
    send(
        learner_client,
        launch(),
        statement("attempted", raw=None),
        statement("interacted", raw=None),
    )
    assert not H5PResult.objects.exists()


@pytest.mark.parametrize(
    "policy, expected", [("best", Decimal("1")), ("last", Decimal("0"))]
)
def test_grade_policy_keeps_the_best_or_the_last(
    learner_client, launch, learner, policy, expected
):
    token = launch(grade_policy=policy)
    send(learner_client, token, statement(raw=1))
    send(learner_client, token, statement(raw=0))
    result = H5PResult.objects.get(user=learner)
    assert result.score_scaled == expected
    assert result.attempts.count() == 2
    assert result.attempt_count == 2


def test_pass_threshold_is_the_trainers(learner_client, launch, learner, quiz_content):
    unknown_maximum(quiz_content)
    token = launch(pass_threshold=80)
    send(learner_client, token, statement("completed", raw=3, maximum=4))
    assert H5PResult.objects.get(user=learner).passed is False


def test_results_are_handed_to_course_progress(
    learner_client, launch, learner, monkeypatch
):
    from wagtail.models import Page

    calls = []
    monkeypatch.setattr(
        progress, "_courses_services", lambda: lambda **kw: calls.append(kw)
    )
    root = Page.get_first_root_node()
    lesson = root.add_child(instance=Page(title="Lesson", slug="h5p-lesson-2"))
    send(
        learner_client,
        launch(lesson_id=lesson.pk, context_key=str(lesson.translation_key)),
        statement(raw=1),
    )
    assert len(calls) == 1
    assert calls[0]["user"] == learner
    assert calls[0]["completed"] is True
    assert calls[0]["score_scaled"] == Decimal("1.0000")
    assert calls[0]["passed"] is True
    assert calls[0]["source"] == "client"


# ----------------------------------------------------------------- state


def save_state(client, token, data):
    return client.post(
        "/h5p/state/",
        json.dumps({"launch": token, "data": data}),
        content_type="application/json",
    )


def test_state_is_saved_and_handed_back_to_the_player(
    learner_client, launch, learner, client
):
    token = launch()
    assert (
        save_state(learner_client, token, json.dumps({"chosen": 1})).status_code == 200
    )
    assert H5PUserState.objects.get(user=learner).data == '{"chosen": 1}'
    response = Client().get(f"/h5p/play/{token}/", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert "chosen" in response.content.decode()


def test_b12_oversized_state_is_refused(learner_client, launch, settings):
    settings.H5P_MAX_STATE_BYTES = 1000
    response = save_state(learner_client, launch(), json.dumps({"x": "y" * 5000}))
    assert response.status_code == 413
    assert not H5PUserState.objects.exists()


def test_b12_ten_megabyte_state_is_refused_before_parsing(learner_client, launch):
    response = save_state(learner_client, launch(), "x" * (10 * 1024 * 1024))
    assert response.status_code == 413


def test_b12_state_that_is_not_json_is_refused(learner_client, launch):
    assert save_state(learner_client, launch(), "{not json").status_code == 400
    assert not H5PUserState.objects.exists()


def test_b12_per_user_quota(learner_client, launch, learner, quiz_content, settings):
    settings.H5P_MAX_STATE_BYTES_PER_USER = 3000
    H5PUserState.objects.create(
        user=learner, content=quiz_content, data_type="other", data="{}", size=2500
    )
    response = save_state(learner_client, launch(), json.dumps({"x": "y" * 800}))
    assert response.status_code == 413
