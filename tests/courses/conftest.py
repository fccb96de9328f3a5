import pytest

from courses.factories import build_course


@pytest.fixture
def course(db):
    """A published open course: 2 modules of 2 manual lessons."""
    return build_course(title="Identifying victims", slug="identifying-victims")


@pytest.fixture
def lessons(course):
    return course.get_course_items()


@pytest.fixture
def enrolment(course, learner):
    from courses import services

    return services.enrolment_create(user=learner, course=course, source="self")
