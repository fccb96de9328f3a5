"""Twenty tabs pressing "Take the course again" at the same moment against
PostgreSQL: one new round, never a 500 (K14)."""

import pytest

from courses import services
from courses.factories import build_course
from courses.models import Enrolment

from .test_concurrency import _fire, _session_cookie

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_twenty_parallel_new_rounds_start_one_K14(live_server, learner):
    course = build_course(modules=1, lessons=2)
    services.enrolment_create(user=learner, course=course, source="self")
    for item in course.get_course_items():
        services.item_progress_record(user=learner, page=item, completed=True)
    statuses = _fire(
        live_server.url + course.url + "again/", "POST", _session_cookie(learner)
    )
    assert set(statuses) == {302}, statuses
    rounds = Enrolment.objects.filter(user=learner).order_by("round_number")
    assert [(e.round_number, e.status, e.is_current) for e in rounds] == [
        (1, "completed", False),
        (2, "active", True),
    ]
