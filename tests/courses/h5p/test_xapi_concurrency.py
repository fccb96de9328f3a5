"""Retries that race each other on PostgreSQL still count once (B05)."""

import threading
import uuid

import pytest
from django.db import connection

from courses.h5p import services
from courses.h5p.models import H5PAttempt, H5PResult, H5PStatement

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_b05_concurrent_deliveries_of_one_statement_count_once(learner, quiz_content):
    statement = {
        "id": str(uuid.uuid4()),
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"id": "http://127.0.0.1/h5p/activity/x"},
        "result": {"score": {"raw": 1, "max": 1}, "completion": True},
    }
    launch = services.Launch(
        user_id=learner.pk,
        content=quiz_content,
        context_key="",
        lesson_id=None,
        activity_key=quiz_content.activity_key,
        pass_threshold=50,
        grade_policy="best",
    )
    barrier = threading.Barrier(6)
    outcomes = []

    def deliver():
        barrier.wait()
        try:
            outcomes.append(
                services.statements_record(
                    user=learner, launch=launch, statements=[statement]
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [(0, 1)] * 5 + [(1, 0)]
    assert H5PStatement.objects.count() == 1
    assert H5PAttempt.objects.count() == 1
    assert H5PResult.objects.get().attempt_count == 1
