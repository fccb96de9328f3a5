"""The learner's quiz requests (start, the attempt page, autosave, submit)
issue a fixed, small number of queries, the same whatever the number of
questions (issue 12: thousands of learners in one timed exam)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.factories import make_assessment, make_question
from assessments.models import Attempt, AttemptGrade, AttemptState

from .helpers import correct_answers
from .test_views import form_for

pytestmark = pytest.mark.django_db


# Fixed, not derived from the data.
MAX_START = 10
MAX_PAGE = 10
MAX_SAVE = 8
# A submission also records course progress and completion in its transaction
# (the courses progress path, about twenty of these): the learner's next page
# counts it at once.
MAX_SUBMIT = 32

KINDS = ["single", "multiple", "truefalse", "short", "numeric", "matching"]


def quiz_of(module_page, count, **fields):
    questions = [
        make_question(KINDS[i % len(KINDS)], title=f"Q{count}-{i}")
        for i in range(count)
    ]
    return make_assessment(
        module_page,
        title=f"Quiz of {count}",
        slug=f"quiz-of-{count}",
        questions=questions,
        time_limit_minutes=30,
        **fields,
    )


def counted(call):
    with CaptureQueriesContext(connection) as context:
        response = call()
    return response, len(context.captured_queries)


def measure(learner, page):
    """Queries of start, attempt page, autosave and submit for one attempt."""
    from training_platform.accounts.factories import UserFactory

    # Another learner started first: what is the same for everybody (the
    # course of the page, the questions drawn) is cached, as in an exam.
    services.attempt_start(user=UserFactory(), page=page)
    client = Client()
    client.force_login(learner)
    client.get("/")  # the session and site caches are warm, as in use
    response, start = counted(
        lambda: client.post(reverse("assessments:start", args=[page.pk]))
    )
    attempt = Attempt.objects.get(user=learner, page=page)
    assert response.url == reverse("assessments:attempt", args=[attempt.pk])
    attempt_url = reverse("assessments:attempt", args=[attempt.pk])
    client.get(attempt_url)  # rendered questions are cached per version
    response, page_queries = counted(lambda: client.get(attempt_url))
    assert response.status_code == 200
    data = {**form_for(attempt, correct_answers(attempt)), "sequence": "0"}
    response, save = counted(
        lambda: client.post(
            reverse("assessments:save", args=[attempt.pk]),
            {**data, "batch": "b1"},
            HTTP_ACCEPT="application/json",
        )
    )
    assert response.status_code == 200 and response.json()["sequence"] == 1
    response, submit = counted(
        lambda: client.post(
            reverse("assessments:submit", args=[attempt.pk]),
            {**data, "sequence": "1"},
            HTTP_ACCEPT="application/json",
        )
    )
    assert response.status_code == 200 and response.json()["ok"] is True
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED and attempt.percent == 100
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1
    return {"start": start, "page": page_queries, "save": save, "submit": submit}


def test_quiz_requests_stay_within_fixed_query_bounds(learner, module_page):
    small = measure(learner, quiz_of(module_page, 3))
    large = measure(learner, quiz_of(module_page, 12))
    print("quiz query counts small", small, "large", large)
    assert large == small
    assert large["start"] <= MAX_START
    assert large["page"] <= MAX_PAGE
    assert large["save"] <= MAX_SAVE
    assert large["submit"] <= MAX_SUBMIT


def test_submit_without_answers_stays_within_the_bound(learner, module_page):
    """The bench's quiz submission: answers saved before, none in the POST."""
    page = quiz_of(module_page, 10)
    attempt = services.attempt_start(user=learner, page=page)
    services.attempt_save(attempt=attempt, sequence=0, answers=correct_answers(attempt))
    client = Client()
    client.force_login(learner)
    client.get("/")
    response, queries = counted(
        lambda: client.post(
            reverse("assessments:submit", args=[attempt.pk]),
            {"slots": ""},
            HTTP_ACCEPT="application/json",
        )
    )
    assert response.status_code == 200 and response.json()["ok"] is True
    assert queries <= MAX_SUBMIT
    attempt.refresh_from_db()
    assert attempt.percent == 100
