"""Double clicks and parallel tabs against PostgreSQL: twenty concurrent
requests give one progress row and one completion, never a 500 (K13, K14)."""

import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from courses import services
from courses.factories import build_course
from courses.models import CourseCompletion, ItemProgress
from courses.signals import course_completed

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PARALLEL = 20


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _session_cookie(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _fire(url, method, session, parallel=PARALLEL):
    """Send ``parallel`` requests at the same moment; return the statuses."""
    token = _get_new_csrf_string()
    opener = urllib.request.build_opener(NoRedirect)
    barrier = threading.Barrier(parallel)

    def one(_):
        request = urllib.request.Request(
            url,
            method=method,
            data=b"" if method == "POST" else None,
            headers={
                "Cookie": f"sessionid={session}; csrftoken={token}",
                "X-CSRFToken": token,
            },
        )
        barrier.wait()
        try:
            with opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        return list(pool.map(one, range(parallel)))


@pytest.fixture
def completions():
    received = []

    def receiver(sender, completion, enrolment, **kwargs):
        received.append(completion.pk)

    course_completed.connect(receiver, dispatch_uid="concurrency-receiver")
    yield received
    course_completed.disconnect(dispatch_uid="concurrency-receiver")


def test_twenty_parallel_completions_of_the_last_lesson(
    live_server, learner, completions
):
    """K13: one progress row, one completion, one signal, no 500."""
    course = build_course(modules=1, lessons=2)
    first, last = course.get_course_items()
    services.enrolment_create(user=learner, course=course, source="self")
    services.item_progress_record(user=learner, page=first, completed=True)
    statuses = _fire(
        live_server.url + last.url + "complete/", "POST", _session_cookie(learner)
    )
    assert set(statuses) == {302}, statuses
    assert ItemProgress.objects.filter(page=last).count() == 1
    assert CourseCompletion.objects.count() == 1
    assert len(completions) == 1


def test_twenty_parallel_first_visits_create_one_progress_row(live_server, learner):
    """K14: concurrent first visits of a lesson completed on viewing."""
    course = build_course(
        modules=1, lessons=1, lesson_kwargs={"completion_mode": "view"}
    )
    lesson = course.get_course_items()[0]
    services.enrolment_create(user=learner, course=course, source="self")
    statuses = _fire(live_server.url + lesson.url, "GET", _session_cookie(learner))
    assert set(statuses) == {200}, statuses
    assert ItemProgress.objects.filter(page=lesson).count() == 1
    assert CourseCompletion.objects.count() == 1


def test_twenty_parallel_service_calls(learner, completions):
    course = build_course(modules=1, lessons=1)
    lesson = course.get_course_items()[0]
    services.enrolment_create(user=learner, course=course, source="self")
    barrier = threading.Barrier(PARALLEL)
    errors = []

    def one(_):
        barrier.wait()
        try:
            services.item_progress_record(user=learner, page=lesson, completed=True)
        except Exception as error:  # noqa: BLE001 - the test reports any
            errors.append(error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        list(pool.map(one, range(PARALLEL)))
    assert errors == []
    assert ItemProgress.objects.count() == 1
    assert CourseCompletion.objects.count() == 1
    assert len(completions) == 1


def test_parallel_enrolments_respect_capacity():
    from training_platform.accounts.factories import UserFactory

    course = build_course(modules=1, lessons=1, capacity=5)
    people = [UserFactory() for _ in range(PARALLEL)]
    barrier = threading.Barrier(PARALLEL)
    outcomes = []

    def one(person):
        barrier.wait()
        try:
            services.enrolment_create(user=person, course=course, source="self")
            outcomes.append("ok")
        except services.EnrolmentError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        list(pool.map(one, people))
    assert outcomes.count("ok") == 5
    assert outcomes.count("full") == PARALLEL - 5
