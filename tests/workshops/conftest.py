from datetime import time, timedelta

import pytest
from django.utils import timezone

from courses import services as course_services
from courses.factories import build_course
from workshops.factories import build_session


@pytest.fixture
def course(db):
    """A published course: one module with a lesson, plus a session."""
    return build_course(title="Blended course", slug="blended", modules=1, lessons=1)


@pytest.fixture
def module(course):
    return course.get_children().first().specific


def days_ahead(n):
    return (timezone.now() + timedelta(days=n)).date()


@pytest.fixture
def make_session(module, trainer):
    def make(**fields):
        fields.setdefault("trainers", [trainer])
        return build_session(module=module, **fields)

    return make


@pytest.fixture
def session(make_session):
    return make_session(
        capacity=2,
        dates=[(days_ahead(7), time(9), time(17)), (days_ahead(8), time(9), time(13))],
    )


@pytest.fixture
def enrol():
    def enrol(user, course):
        return course_services.enrolment_create(user=user, course=course, source="self")

    return enrol
