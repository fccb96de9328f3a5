import pytest

from courses.factories import build_course


@pytest.fixture
def course(db):
    return build_course(title="Identifying victims", slug="identifying-victims")


@pytest.fixture(autouse=True)
def _english():
    """A request under /ru/ leaves Russian active in this thread; each test
    starts in English."""
    from django.utils import translation

    with translation.override("en"):
        yield
