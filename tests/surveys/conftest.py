import pytest

from courses.factories import build_course


@pytest.fixture
def course(db):
    return build_course(title="Identifying victims", slug="identifying-victims")
