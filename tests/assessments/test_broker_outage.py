"""K02: finishing a quiz never waits for the message broker. The grade, the
course progress and the course completion commit in the request; anything
queued for later (certificates) goes after commit and may fail alone."""

import time

import pytest
from celery.app.task import Task
from django.test import Client
from django.urls import reverse
from kombu.exceptions import OperationalError

from assessments import services
from assessments.factories import make_assessment, make_question
from courses.factories import build_course
from courses.models import CourseCompletion
from courses.services import enrolment_create

from .helpers import correct_answers

pytestmark = pytest.mark.django_db(transaction=True)


def test_finish_commits_with_the_broker_down_k02(learner, monkeypatch):
    calls = []

    def broker_down(self, *args, **kwargs):
        calls.append(self.name)
        raise OperationalError("broker unreachable")

    monkeypatch.setattr(Task, "apply_async", broker_down)
    course = build_course(modules=1, lessons=0, title="Exam only")
    enrolment = enrolment_create(user=learner, course=course, source="bulk")
    module = course.get_children().first().specific
    final = make_assessment(
        module, title="Final", kind="final", questions=[make_question("truefalse")]
    )
    attempt = services.attempt_start(user=learner, page=final)
    client = Client()
    client.force_login(learner)
    started = time.monotonic()
    response = client.post(
        reverse("assessments:submit", args=[attempt.pk]),
        {
            "slots": "1",
            "q1": "true" if correct_answers(attempt)[1]["value"] else "false",
            "sequence": "0",
        },
    )
    assert time.monotonic() - started < 5
    assert response.status_code == 302 and response.url.endswith("/review/")
    attempt.refresh_from_db()
    assert attempt.state == "finished" and attempt.percent == 100
    assert CourseCompletion.objects.filter(enrolment=enrolment).count() == 1
