"""The dashboard filtered and broken down by project, on the hand-made data
set of conftest.py: project WB funds course A (named on its Russian version
only), project REG funds courses A and B."""

import datetime

import pytest

from courses.models import Project
from training_platform.reports import suppression
from training_platform.reports.forms import ReportFilterForm
from training_platform.reports.selectors import ReportFilters, report_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(report_data):
    wb = Project.objects.create(
        code="WB-1",
        name="Western Balkans",
        donor="European Union",
        start_date=datetime.date(2025, 1, 1),
    )
    regional = Project.objects.create(
        code="REG-2",
        name="Regional",
        donor="Swiss Agency for Development and Cooperation",
        start_date=datetime.date(2025, 1, 1),
    )
    report_data.course_a_ru.projects.add(wb, regional)
    report_data.course_a_ru.save()
    report_data.course_b.projects.add(regional)
    report_data.course_b.save()
    return wb, regional


def test_filter_by_project_counts_its_courses_in_every_language(projects, coordinator):
    wb, regional = projects
    h = report_for(coordinator, ReportFilters(project=wb)).headline
    # Course A in Serbia and Albania: rs_f1, rs_m1 completed, rs_f2 withdrawn,
    # al_f1 active.
    assert (h["learners"], h["enrolments"], h["completed"]) == (4, 4, 2)
    assert (h["active"], h["withdrawn"]) == (1, 1)
    h = report_for(coordinator, ReportFilters(project=regional)).headline
    # Both courses: rs_f1 is in two of them but one learner.
    assert (h["learners"], h["enrolments"], h["completed"], h["pending"]) == (
        5,
        7,
        3,
        1,
    )


def test_breakdown_by_project_sums_its_courses(projects, coordinator):
    rows = {
        row["param"]: row
        for row in report_for(coordinator, ReportFilters()).breakdowns["project"]
    }
    assert set(rows) == {"WB-1", "REG-2"}
    assert (rows["WB-1"]["enrolments"], rows["WB-1"]["completed"]) == (4, 2)
    assert (rows["REG-2"]["enrolments"], rows["REG-2"]["completed"]) == (7, 3)
    assert rows["REG-2"]["certificates"] == 3
    # Learners cannot be summed over courses.
    assert rows["REG-2"]["learners"] is None
    assert rows["WB-1"]["label"] == "WB-1 – Western Balkans"


def test_project_filter_is_read_from_the_url_by_code(projects, coordinator):
    form = ReportFilterForm({"project": "WB-1"}, viewer=coordinator)
    assert form.filters().project == projects[0]
    assert ("Project", "WB-1 – Western Balkans") in form.described()
    refused = ReportFilterForm({"project": "NOPE"}, viewer=coordinator)
    assert refused.filters().project is None


def test_suppression_hides_a_project_cell_that_gives_away_a_course_cell(
    projects, coordinator
):
    """E01: a project row is the sum of its courses' rows, so a small count
    hidden in the course table is hidden in the project table too."""
    report = suppression.suppress_report(report_for(coordinator, ReportFilters()), 5)
    course_a = next(
        row
        for row in report.breakdowns["course"]
        if row["label"] == "Victim identification"
    )
    wb = next(row for row in report.breakdowns["project"] if row["param"] == "WB-1")
    for name in ("completed", "active", "withdrawn", "enrolments"):
        assert isinstance(course_a[name], suppression.Suppressed | suppression.Hidden)
        assert isinstance(wb[name], suppression.Suppressed | suppression.Hidden), name


def test_dashboard_shows_the_project_table(projects, coordinator, staff_client):
    client = staff_client(coordinator)
    response = client.get("/en/coordinator/", {"project": "REG-2"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-breakdown="project"' in body
    assert "REG-2 – Regional" in body
