"""The learner's pages over HTTP, and the security rows C01-C12."""

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.factories import make_assessment
from assessments.models import Attempt, AttemptGrade, AttemptState

from .helpers import correct_answers, slot_of_kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for():
    def make(user, csrf=False):
        client = Client(enforce_csrf_checks=csrf)
        client.force_login(user)
        return client

    return make


def form_for(attempt, answers):
    """The POST a browser sends for these answers."""
    data = {"slots": ",".join(str(p) for p in answers)}
    for slot in attempt.slots.select_related("version"):
        if slot.position not in answers or answers[slot.position] is None:
            continue
        response = answers[slot.position]
        name = f"q{slot.position}"
        kind = slot.version.data["kind"]
        if kind == "single":
            data[name] = response["choice"]
        elif kind == "multiple":
            data[name] = response["choices"]
        elif kind == "truefalse":
            data[name] = "true" if response["value"] else "false"
        elif kind == "short":
            data[name] = response["text"]
        elif kind == "numeric":
            data[name] = response["value"]
        elif kind == "matching":
            for prompt, answer in response["pairs"].items():
                data[f"{name}-{prompt}"] = answer
    return data


def test_intro_start_take_submit_review(client_for, learner, quiz):
    client = client_for(learner)
    page = client.get(quiz.url)
    assert page.status_code == 200
    assert b"Start" in page.content
    response = client.post(reverse("assessments:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(user=learner)
    assert response.url == reverse("assessments:attempt", args=[attempt.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    assert (
        page["Cache-Control"].startswith("max-age=0")
        or "no-cache" in page["Cache-Control"]
    )
    data = form_for(attempt, correct_answers(attempt))
    data["sequence"] = "0"
    response = client.post(reverse("assessments:submit", args=[attempt.pk]), data)
    assert response.url == reverse("assessments:review", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED and attempt.percent == 100
    review = client.get(response.url)
    assert b"100%" in review.content


def test_autosave_json_and_stale_tab_refusal_c05(client_for, learner, quiz):
    client = client_for(learner)
    attempt = services.attempt_start(user=learner, page=quiz)
    url = reverse("assessments:save", args=[attempt.pk])
    single = slot_of_kind(attempt, "single")
    answers = correct_answers(attempt, [single.position])
    tab_a = client.post(
        url,
        {**form_for(attempt, answers), "sequence": "0", "batch": "a1"},
        HTTP_ACCEPT="application/json",
    )
    assert tab_a.status_code == 200 and tab_a.json()["sequence"] == 1
    tab_b = client.post(
        url,
        {"slots": str(single.position), "sequence": "0", "batch": "b1"},
        HTTP_ACCEPT="application/json",
    )
    assert tab_b.status_code == 409
    body = tab_b.json()
    assert body["code"] == "stale" and "another tab" in body["message"]
    single.refresh_from_db()
    assert single.response == answers[single.position]


def test_answer_for_a_question_not_in_the_attempt_is_400_c01(client_for, learner, quiz):
    client = client_for(learner)
    attempt = services.attempt_start(user=learner, page=quiz)
    url = reverse("assessments:save", args=[attempt.pk])
    for data in (
        {"slots": "99", "q99": "x", "sequence": "0"},
        {"slots": "1", "q1": "x", "q42": "y", "sequence": "0"},
        {"slots": "1,abc", "sequence": "0"},
    ):
        response = client.post(url, data, HTTP_ACCEPT="application/json")
        assert response.status_code == 400, data
    attempt.refresh_from_db()
    assert attempt.sequence == 0
    assert not attempt.slots.exclude(response=None).exists()


def test_another_learners_attempt_is_not_found_c02(client_for, learner, trainer, quiz):
    attempt = services.attempt_start(user=learner, page=quiz)
    intruder = client_for(trainer)
    for name in ("attempt", "review"):
        assert (
            intruder.get(reverse(f"assessments:{name}", args=[attempt.pk])).status_code
            == 404
        )
    data = {**form_for(attempt, correct_answers(attempt)), "sequence": "0"}
    for name in ("save", "submit"):
        response = intruder.post(
            reverse(f"assessments:{name}", args=[attempt.pk]), data
        )
        assert response.status_code == 404
    # Same answer for an id that does not exist: existence is not revealed.
    assert (
        intruder.get(reverse("assessments:attempt", args=[999999])).status_code == 404
    )
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS and attempt.sequence == 0


def test_anonymous_is_sent_to_login(quiz, learner):
    attempt = services.attempt_start(user=learner, page=quiz)
    response = Client().get(reverse("assessments:attempt", args=[attempt.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_submit_after_deadline_and_grace_processes_no_answers_c03_c04(
    client_for, learner, module_page, questions, frozen_clock
):
    from assessments.factories import make_assessment

    page = make_assessment(
        module_page,
        title="Timed",
        questions=[questions["single"]],
        time_limit_minutes=1,
    )
    client = client_for(learner)
    attempt = services.attempt_start(user=learner, page=page)
    frozen_clock.advance(minutes=5)
    data = {
        **form_for(attempt, correct_answers(attempt)),
        "sequence": "0",
        "timeup": "0",  # a tampered client timer claims there is time left
    }
    response = client.post(reverse("assessments:submit", args=[attempt.pk]), data)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED and attempt.timed_out
    assert attempt.percent == 0


def test_double_finish_gives_one_grade_and_the_same_result_c06(
    client_for, learner, quiz
):
    client = client_for(learner)
    attempt = services.attempt_start(user=learner, page=quiz)
    url = reverse("assessments:submit", args=[attempt.pk])
    first = client.post(url, {"slots": ""})
    second = client.post(url, {"slots": ""})
    assert first.url == second.url == reverse("assessments:review", args=[attempt.pk])
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1


def test_answer_after_finish_is_refused_c07(client_for, learner, quiz):
    client = client_for(learner)
    attempt = services.attempt_start(user=learner, page=quiz)
    services.attempt_submit(attempt=attempt)
    response = client.post(
        reverse("assessments:save", args=[attempt.pk]),
        {**form_for(attempt, correct_answers(attempt)), "sequence": "1"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "closed"
    assert not attempt.slots.exclude(response=None).exists()


def test_sequential_navigation_refuses_jumps_over_http_c08(
    client_for, learner, module_page, questions
):
    from assessments.factories import make_assessment

    page = make_assessment(
        module_page,
        title="Sequential",
        questions=[questions["single"], questions["truefalse"], questions["numeric"]],
        questions_per_page=1,
        navigation="sequential",
    )
    client = client_for(learner)
    attempt = services.attempt_start(user=learner, page=page)
    url = reverse("assessments:attempt", args=[attempt.pk])
    jump = client.get(url + "?page=2")
    assert jump.status_code == 302 and jump.url.endswith("?page=0")
    response = client.post(
        reverse("assessments:save", args=[attempt.pk]),
        {"slots": "3", "q3": "90", "sequence": "0"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "out_of_sequence"


def test_more_than_1000_fields_is_refused_c10(client_for, learner, quiz):
    client = client_for(learner)
    attempt = services.attempt_start(user=learner, page=quiz)
    data = {f"x{i}": "1" for i in range(1100)}
    data.update({"slots": "1", "sequence": "0"})
    response = client.post(reverse("assessments:save", args=[attempt.pk]), data)
    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.sequence == 0


def test_request_limits_on_body_fields_and_files_h03_l12(client_for, learner, quiz):
    """H03, L12: a POST with over 2.5 MB of form data, over 1000 fields or
    101 files is refused with 400 and saves nothing; just under each limit it
    is saved."""
    client = client_for(learner)
    attempt = services.attempt_start(user=learner, page=quiz)
    url = reverse("assessments:save", args=[attempt.pk])

    def files(count):
        return {f"f{i}": SimpleUploadedFile(f"{i}.txt", b"x") for i in range(count)}

    def post(sequence, extra):
        data = {"slots": "1", "sequence": str(sequence), **extra}
        return client.post(url, data, HTTP_ACCEPT="application/json")

    for extra in (
        {"padding": "x" * 2_700_000},
        {f"x{i}": "1" for i in range(1000)},
        files(101),
    ):
        assert post(0, extra).status_code == 400
        attempt.refresh_from_db()
        assert attempt.sequence == 0
    for sequence, extra in enumerate(
        ({"padding": "x" * 2_500_000}, {f"x{i}": "1" for i in range(990)}, files(100))
    ):
        response = post(sequence, extra)
        assert response.status_code == 200
        assert response.json()["sequence"] == sequence + 1


def test_duplicate_and_foreign_choices_are_refused_c10(client_for, learner, quiz):
    client = client_for(learner)
    attempt = services.attempt_start(user=learner, page=quiz)
    multiple = slot_of_kind(attempt, "multiple")
    single = slot_of_kind(attempt, "single")
    key = multiple.version.data["choices"][0]["key"]
    url = reverse("assessments:save", args=[attempt.pk])
    duplicate = {
        "slots": str(multiple.position),
        f"q{multiple.position}": [key, key],
        "sequence": "0",
    }
    foreign = {
        "slots": str(single.position),
        f"q{single.position}": key,
        "sequence": "0",
    }
    for data in (duplicate, foreign):
        response = client.post(url, data, HTTP_ACCEPT="application/json")
        assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_correct_answers_are_absent_before_review_c11(
    client_for, learner, quiz, questions
):
    client = client_for(learner)
    attempt = services.attempt_start(user=learner, page=quiz)
    html = client.get(
        reverse("assessments:attempt", args=[attempt.pk])
    ).content.decode()
    for slot in attempt.slots.select_related("version"):
        data = slot.version.data
        for choice in data.get("choices", []):
            assert choice["text"] in html  # the options are shown ...
            if choice.get("feedback"):
                assert choice["feedback"] not in html  # ... but no feedback
        for accepted in data.get("accepted", []):
            assert accepted["text"] not in html
        for answer in data.get("numeric", []):
            assert f'value="{answer["value"]}"' not in html
    assert "correct" not in html.lower().replace("incorrect", "")
    # The review before it is allowed shows no answers either.
    quiz.review_answers = quiz.review_feedback = quiz.review_score = "never"
    quiz.save()
    services.attempt_submit(attempt=attempt)
    review = client.get(
        reverse("assessments:review", args=[attempt.pk])
    ).content.decode()
    assert "Correct answer" not in review
    assert "National Referral Mechanism" not in review


def test_choice_keys_do_not_reveal_the_answer_c11(learner, quiz):
    """Choice keys are random UUIDs, and their order is shuffled per attempt
    when the assessment shuffles choices."""
    attempt = services.attempt_start(user=learner, page=quiz)
    single = slot_of_kind(attempt, "single")
    assert all(re.fullmatch(r"[0-9a-f-]{36}", key) for key in single.order)


def test_submit_without_csrf_token_is_403_c12(client_for, learner, quiz):
    client = client_for(learner, csrf=True)
    attempt = services.attempt_start(user=learner, page=quiz)
    for name in ("save", "submit"):
        response = client.post(
            reverse(f"assessments:{name}", args=[attempt.pk]), {"slots": ""}
        )
        assert response.status_code == 403
    response = client.post(reverse("assessments:start", args=[quiz.pk]))
    assert response.status_code == 403
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS


def test_no_json_leak_in_save_response(client_for, learner, quiz):
    client = client_for(learner)
    attempt = services.attempt_start(user=learner, page=quiz)
    response = client.post(
        reverse("assessments:save", args=[attempt.pk]),
        {**form_for(attempt, correct_answers(attempt, [1])), "sequence": "0"},
        HTTP_ACCEPT="application/json",
    )
    assert set(json.loads(response.content)) == {"ok", "sequence", "state", "saved_at"}


# ---------------------------------------------------------------- feedback and answers


REVEALING = {
    "general": "At least 30 days.",
    "choice": "A tourist visa is not an indicator.",
    "right_choice": "Yes: a withheld passport is an indicator.",
    "truefalse": "Consent is irrelevant once a means was used.",
}


@pytest.fixture
def revealing_questions(db):
    from assessments.factories import make_question

    return [
        make_question(
            "numeric",
            title="Reflection period",
            numeric=[(30, 0)],
            general_feedback=f"<p>{REVEALING['general']}</p>",
        ),
        make_question(
            "single",
            title="Indicator",
            choices=[
                ("Withheld passport", True, REVEALING["right_choice"]),
                ("Tourist visa", False, REVEALING["choice"]),
            ],
        ),
        make_question(
            "truefalse",
            title="Consent of an adult",
            correct_answer=False,
            feedback_true=REVEALING["truefalse"],
            feedback_false="Right.",
        ),
    ]


def _review_html(client, attempt):
    response = client.get(reverse("assessments:review", args=[attempt.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _submit_wrong(learner, page):
    from .helpers import wrong_answers

    attempt = services.attempt_start(user=learner, page=page)
    return services.attempt_submit(
        attempt=attempt, answers=wrong_answers(attempt), sequence=0
    )


def _assert_nothing_revealed(html):
    for text in REVEALING.values():
        assert text not in html
    assert "Correct answer" not in html
    # Right or wrong per question gives a true/false answer away as well.
    assert ">Incorrect<" not in html and ">Correct<" not in html


def test_pretest_feedback_follows_the_never_shown_answers(
    client_for, learner, module_page, revealing_questions
):
    """A pre-test that never shows the answers shows no feedback that gives
    them away either (general, per choice, per true/false answer), while its
    own feedback setting is 'after each attempt'; the grade still shows."""
    pretest = make_assessment(
        module_page,
        title="Pre-test",
        kind="pretest",
        questions=revealing_questions,
        review_score="attempt",
        review_feedback="attempt",
        review_answers="never",
    )
    attempt = _submit_wrong(learner, pretest)
    html = _review_html(client_for(learner), attempt)
    assert "0%" in html
    _assert_nothing_revealed(html)


def test_final_exam_feedback_waits_for_the_answers_after_the_last_attempt(
    client_for, learner, module_page, revealing_questions
):
    """The final exam shows the answers after the last attempt: its feedback,
    set to 'after each attempt', waits as long, so attempt 2 is not taken
    knowing the answers; after the last attempt both show."""
    final = make_assessment(
        module_page,
        title="Final exam",
        kind="final",
        questions=revealing_questions,
        max_attempts=2,
        review_score="attempt",
        review_feedback="attempt",
        review_answers="last",
    )
    client = client_for(learner)
    first = _submit_wrong(learner, final)
    html = _review_html(client, first)
    assert "0%" in html
    _assert_nothing_revealed(html)
    assert "The correct answers are shown after your last attempt." in html
    _submit_wrong(learner, final)
    html = _review_html(client, first)
    assert REVEALING["general"] in html
    assert REVEALING["choice"] in html
    assert REVEALING["truefalse"] in html
    assert "Correct answer" in html


def test_quiz_shows_feedback_and_answers_after_each_attempt(
    client_for, learner, module_page, revealing_questions
):
    quiz = make_assessment(
        module_page,
        title="Quiz",
        questions=revealing_questions,
        max_attempts=0,
        review_feedback="attempt",
        review_answers="attempt",
    )
    html = _review_html(client_for(learner), _submit_wrong(learner, quiz))
    assert REVEALING["general"] in html and REVEALING["choice"] in html


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_finishes_on_sqlite_answer_without_a_500_k24(learner, quiz):
    """K24: on the embedded SQLite database, two finish requests for one
    attempt at the same moment both answer ("database is locked" is waited
    out, never a 500); the attempt is finished once, with one grade."""
    if connection.vendor != "sqlite":
        pytest.skip("the embedded mode's database")
    attempt = services.attempt_start(user=learner, page=quiz)
    services.attempt_save(attempt=attempt, sequence=0, answers=correct_answers(attempt))
    url = reverse("assessments:submit", args=[attempt.pk])
    clients = [Client(raise_request_exception=False) for _ in range(2)]
    for client in clients:
        client.force_login(learner)
    barrier = threading.Barrier(2)

    def finish(client):
        barrier.wait(timeout=30)
        try:
            return client.post(url, HTTP_ACCEPT="application/json").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = list(pool.map(finish, clients))
    assert statuses == [200, 200]
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1
