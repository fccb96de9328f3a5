"""The project report's sessions (from the workshops app), on a hand-made
data set with the answers worked out by hand.

One workshop in a course of the project, two dates in March 2026:
- A (Serbia): registered for both, present on both;
- B (Albania): registered for both, late on the first, absent on the second;
- C (Georgia): registered for both, present on the first only;
- D (Albania): a walk-in, present on the first date without registering.
The coordinator (Serbia, Albania) sees A, B and D: 5 learner-dates expected
(A twice, B twice, D once), 4 attended: 80.0 %."""

import datetime
from decimal import Decimal

import pytest

from courses.factories import build_course
from courses.models import Project
from training_platform.accounts.factories import UserFactory
from training_platform.accounts.models import Country
from training_platform.reports import project_report

pytestmark = pytest.mark.django_db

workshops = pytest.importorskip("workshops.models")


@pytest.fixture
def project(db):
    from workshops.factories import build_session

    course = build_course(title="Blended", slug="blended", modules=1, lessons=1)
    other = build_course(title="Other", slug="other", modules=1, lessons=1)
    project = Project.objects.create(
        code="EU-9", name="Blended", donor="EU", start_date=datetime.date(2026, 1, 1)
    )
    course.projects.add(project)
    course.save()
    module = course.get_children().first().specific
    session = build_session(
        module=module,
        title="Workshop in Tirana",
        dates=[
            (datetime.date(2026, 3, 10), datetime.time(9), datetime.time(17)),
            (datetime.date(2026, 3, 11), datetime.time(9), datetime.time(13)),
        ],
    )
    # A session outside the project does not count.
    build_session(
        module=other.get_children().first().specific,
        title="Elsewhere",
        dates=[(datetime.date(2026, 3, 10), datetime.time(9), datetime.time(17))],
    )
    first, second = session.dates.order_by("starts_at")
    rs, al, ge = (Country.objects.get(code=c) for c in ("RS", "AL", "GE"))
    a = UserFactory(email="a@example.org", country=rs)
    b = UserFactory(email="b@example.org", country=al)
    c = UserFactory(email="c@example.org", country=ge)
    d = UserFactory(email="d@example.org", country=al)
    for user in (a, b, c):
        for date in (first, second):
            workshops.Registration.objects.create(
                session=session, date=date, user=user, status="registered"
            )

    def mark(user, date, status):
        workshops.Attendance.objects.create(
            date=date, user=user, status=status, method="register"
        )

    mark(a, first, "present")
    mark(a, second, "present")
    mark(b, first, "late")
    mark(b, second, "absent")
    mark(c, first, "present")
    mark(d, first, "present")
    return project


def report(viewer, project, **kwargs):
    return project_report.project_report(
        viewer,
        project=project,
        date_from=datetime.date(2026, 3, 1),
        date_to=datetime.date(2026, 3, 31),
        **kwargs,
    )


def test_attendance_by_session_for_a_coordinator(project, coordinator):
    result = report(coordinator, project, suppress=False)
    assert result.headline["attendance_rate"] == Decimal("80.0")
    assert result.headline["session_participants"] == 3
    sessions = next(t for t in result.tables if t.name == "session")
    assert [row["label"] for row in sessions.rows] == ["Workshop in Tirana"]
    row = sessions.rows[0]
    assert (row["enrolments"], row["learners"], row["attendance_rate"]) == (
        3,
        3,
        Decimal("80.0"),
    )


def test_attendance_for_an_administrator(project, administrator):
    """Adds C: 7 learner-dates expected, 5 attended."""
    result = report(administrator, project, suppress=False)
    assert result.headline["attendance_rate"] == Decimal("71.4")
    assert result.headline["session_participants"] == 4


def test_small_session_figures_are_suppressed(project, coordinator):
    result = report(coordinator, project, limit=5)
    assert str(result.headline["session_participants"]) == "< 5"
    assert str(result.headline["attendance_rate"]) == "…"
    row = next(t for t in result.tables if t.name == "session").rows[0]
    assert str(row["learners"]) == "< 5"
    assert str(row["attendance_rate"]) == "…"


def test_outside_the_period_no_session_counts(project, coordinator):
    result = project_report.project_report(
        coordinator,
        project=project,
        date_from=datetime.date(2026, 4, 1),
        date_to=datetime.date(2026, 4, 30),
        suppress=False,
    )
    assert result.headline["attendance_rate"] is None
    assert next(t for t in result.tables if t.name == "session").rows == []
