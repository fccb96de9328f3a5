"""Fixtures for the assessments tests: a place in the page tree for
assessments, enrolment, a movable server clock and a few questions."""

import datetime as dt

import pytest

from assessments import clock
from assessments.factories import make_assessment, make_question


@pytest.fixture
def course(db):
    from courses.factories import build_course

    return build_course(modules=2, lessons=1, title="Trafficking basics")


@pytest.fixture
def module_page(course):
    """The module assessments are created under. Every user of the test
    (existing or created later) is enrolled in its course."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_save

    from courses.services import enrolment_create

    User = get_user_model()

    def enrol(sender, instance, created, **kwargs):
        if created:
            enrolment_create(user=instance, course=course, source="bulk")

    for user in User.objects.all():
        enrolment_create(user=user, course=course, source="bulk")
    post_save.connect(enrol, sender=User, dispatch_uid="assessments-test-enrol")
    yield course.get_children().first().specific
    post_save.disconnect(sender=User, dispatch_uid="assessments-test-enrol")


class Clock:
    def __init__(self, start):
        self.current = start

    def __call__(self):
        return self.current

    def advance(self, **delta):
        self.current += dt.timedelta(**delta)
        return self.current


@pytest.fixture
def frozen_clock(monkeypatch):
    """The server's clock, moved by the test."""
    from django.utils import timezone

    moving = Clock(timezone.now().replace(microsecond=0))
    monkeypatch.setattr(clock, "now", moving)
    return moving


@pytest.fixture
def questions(db):
    return {
        "single": make_question(
            "single",
            title="Indicators",
            choices=[
                ("Withheld passport", True, "Yes."),
                ("Tourist visa", False, "No."),
            ],
        ),
        "multiple": make_question(
            "multiple",
            title="Elements",
            scoring="partial",
            choices=[
                ("Act", True),
                ("Means", True),
                ("Purpose", True),
                ("Consent", False),
            ],
        ),
        "truefalse": make_question("truefalse", title="Consent", correct_answer=False),
        "short": make_question(
            "short", title="NRM", accepted=[("National Referral Mechanism", 100)]
        ),
        "numeric": make_question("numeric", title="Days", numeric=[(90, 0)]),
        "matching": make_question(
            "matching",
            title="Match",
            pairs=[("Police", "Identify"), ("Shelter", "Protect"), ("", "Prosecute")],
        ),
    }


@pytest.fixture
def quiz(module_page, questions):
    return make_assessment(
        module_page,
        title="Module quiz",
        questions=list(questions.values()),
        max_attempts=2,
        pass_mark=60,
    )
