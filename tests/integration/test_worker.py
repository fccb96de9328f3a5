"""The real Celery worker, PostgreSQL and Redis, as CI runs them."""

import time

import pytest

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_task_runs_on_the_real_worker_against_the_test_database(real_celery):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from training_platform.accounts.tasks import clear_expired_sessions

    Session.objects.create(
        session_key="x" * 32,
        session_data="",
        expire_date=timezone.now() - timezone.timedelta(days=1),
    )
    clear_expired_sessions.delay()
    deadline = time.monotonic() + 20
    while Session.objects.filter(session_key="x" * 32).exists():
        assert time.monotonic() < deadline, "the worker did not run the task"
        time.sleep(0.2)


def test_database_is_postgresql():
    from django.db import connection

    assert connection.vendor == "postgresql"
