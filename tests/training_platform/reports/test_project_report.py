"""The project report on the hand-made data set of conftest.py, with the
answers worked out by hand. Project EU-7 funds course A (named on its Russian
version) and course B; the period is February and March 2026.

In the coordinator's countries (Serbia, Albania), an enrolment counts when it
began or was completed in the period:
- rs_f1 A: enrolled in January, completed 10 February: in, trained; pre 40,
  post 80; certificate issued 10 February.
- rs_f1 B: enrolled in January, in progress: out.
- rs_m1 A: completed 10 March: in, trained; pre 50, post 75; certificate
  issued 10 March (revoked since: it was issued).
- rs_f2 A withdrawn and B pending, both enrolled in January: out.
- al_f1 A: enrolled in January, in progress: out.
- al_f1 B: enrolled 10 February, completed 10 March: in, trained; certificate.
- al_u1 B: enrolled 10 February, in progress: in, not trained.
ge_m1 (Georgia) is outside the coordinator's countries."""

import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from openpyxl import load_workbook

from courses.models import Project
from training_platform.reports import project_report
from training_platform.reports.suppression import Hidden, Suppressed

pytestmark = pytest.mark.django_db

D = Decimal
FEB, END_MARCH = datetime.date(2026, 2, 1), datetime.date(2026, 3, 31)


@pytest.fixture
def project(report_data):
    project = Project.objects.create(
        code="EU-7",
        name="Protection in South-Eastern Europe",
        donor="European Union",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    report_data.course_a_ru.projects.add(project)
    report_data.course_a_ru.save()
    report_data.course_b.projects.add(project)
    report_data.course_b.save()
    return project


def exact(viewer, project, start=FEB, end=END_MARCH):
    return project_report.project_report(
        viewer, project=project, date_from=start, date_to=end, suppress=False
    )


def table(report, name):
    found = next(t for t in report.tables if t.name == name)
    return {row["label"]: row for row in found.rows}


def figures(row):
    return (row["learners"], row["completed"], row["certificates"], row["pairs"])


def test_headline(project, coordinator):
    h = exact(coordinator, project).headline
    assert (h["learners"], h["completed"], h["certificates"]) == (4, 3, 3)
    assert (h["pairs"], h["pre"], h["post"], h["gain"]) == (
        2,
        D("45.0"),
        D("77.5"),
        D("32.5"),
    )
    assert h["normalised_gain"] == D("0.59")  # (77.5 - 45) / (100 - 45)


def test_by_country_sex_organisation_type_and_course(project, coordinator):
    report = exact(coordinator, project)
    by_country = table(report, "country")
    assert set(by_country) == {"Serbia", "Albania"}
    assert figures(by_country["Serbia"]) == (2, 2, 2, 2)
    assert figures(by_country["Albania"]) == (2, 1, 1, 0)
    assert by_country["Albania"]["gain"] is None
    by_sex = table(report, "sex")
    assert figures(by_sex["Female"]) == (2, 2, 2, 1)
    assert figures(by_sex["Male"]) == (1, 1, 1, 1)
    assert len(by_sex) == 3
    undisclosed = next(r for k, r in by_sex.items() if k not in ("Female", "Male"))
    assert figures(undisclosed) == (1, 0, 0, 0)
    by_kind = table(report, "organisation_kind")
    assert figures(by_kind["Government"]) == (2, 2, 2, 1)
    assert figures(by_kind["Non-governmental organisation"]) == (1, 1, 1, 1)
    assert figures(by_kind["No organisation"]) == (1, 0, 0, 0)
    by_course = table(report, "course")
    assert figures(by_course["Victim identification"]) == (2, 2, 2, 2)
    assert figures(by_course["Labour migration"]) == (2, 1, 1, 0)
    a = by_course["Victim identification"]
    assert (a["pre"], a["post"], a["gain"]) == (D("45.0"), D("77.5"), D("32.5"))


def test_administrator_sees_every_country(project, administrator):
    """ge_m1 (Georgia): course A completed 10 February, pre 10, post 95."""
    h = exact(administrator, project).headline
    assert (h["learners"], h["completed"], h["certificates"], h["pairs"]) == (
        5,
        4,
        4,
        3,
    )
    assert (h["pre"], h["post"]) == (D("33.3"), D("83.3"))
    assert "Georgia" in table(exact(administrator, project), "country")


def test_a_learner_in_two_courses_is_one_participant(project, coordinator):
    """January to June: rs_f1 is in both courses, al_f1 too."""
    report = exact(
        coordinator, project, datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)
    )
    # rs_f1, rs_m1, rs_f2 (withdrawn: still took part), al_f1, al_u1
    assert report.headline["learners"] == 5
    by_course = table(report, "course")
    assert by_course["Victim identification"]["learners"] == 4
    assert by_course["Labour migration"]["learners"] == 3  # rs_f1, al_f1, al_u1


def test_outside_the_period_there_is_nobody(project, coordinator):
    report = exact(
        coordinator, project, datetime.date(2026, 4, 1), datetime.date(2026, 5, 31)
    )
    assert (report.headline["learners"], report.headline["certificates"]) == (0, 0)
    assert all(not t.rows for t in report.tables)


def test_a_course_outside_the_project_does_not_count(project, coordinator):
    project.courses.remove(*project.courses.all())
    h = exact(coordinator, project).headline
    assert (h["learners"], h["certificates"]) == (0, 0)


def test_small_cells_are_suppressed_as_on_the_dashboard(project, coordinator):
    """E01: every count here is below 5."""
    report = project_report.project_report(
        coordinator, project=project, date_from=FEB, date_to=END_MARCH, limit=5
    )
    assert report.headline["learners"] == Suppressed(5)
    for row in table(report, "country").values():
        assert isinstance(row["learners"], Suppressed | Hidden)
        assert isinstance(row["gain"], Hidden | type(None))


def test_other_apps_add_sections_through_the_hook(project, coordinator):
    def sessions(viewer, project, date_from, date_to):
        return project_report.ProjectSection(
            headline={"attendance_rate": D("87.5")},
            headline_labels={"attendance_rate": "Attendance rate (%)"},
            tables=[
                project_report.ProjectTable(
                    name="session",
                    title="By session",
                    heading="Session",
                    columns=[("attended", "Attended")],
                    rows=[{"label": "Workshop in Tirana", "attended": 7}],
                )
            ],
        )

    project_report.register_project_source("test-sessions", sessions)
    try:
        report = exact(coordinator, project)
    finally:
        project_report.unregister_project_source("test-sessions")
    assert report.headline["attendance_rate"] == D("87.5")
    assert table(report, "session")["Workshop in Tirana"]["attended"] == 7


def test_xlsx_has_one_sheet_per_table(project, coordinator, staff_client):
    client = staff_client(coordinator)
    response = client.get(
        "/en/coordinator/project/",
        {
            "project": "EU-7",
            "date_from": "2026-02-01",
            "date_to": "2026-03-31",
            "suppress": "0",
            "format": "xlsx",
        },
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="project-report-EU-7-2026-02-01-2026-03-31.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    sessions = ["By session"] if apps.is_installed("workshops") else []
    assert book.sheetnames == [
        "Summary",
        "By country",
        "By sex",
        "By type of organisation",
        "By course",
        *sessions,
    ]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Project"] == "EU-7"
    assert summary["Donor"] == "European Union"
    assert summary["Participants"] == 4
    countries = list(book["By country"].iter_rows(values_only=True))
    assert countries[0][:4] == (
        "Country",
        "Participants",
        "Trained (completed)",
        "Certificates issued",
    )
    assert {row[0]: row[1:4] for row in countries[1:]} == {
        "Serbia": (2, 2, 2),
        "Albania": (2, 1, 1),
    }


def test_printable_page(project, coordinator, staff_client):
    client = staff_client(coordinator)
    response = client.get(
        "/en/coordinator/project/",
        {"project": "EU-7", "date_from": "2026-02-01", "date_to": "2026-03-31"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "EU-7 – Protection in South-Eastern Europe" in body
    assert "European Union" in body
    assert "project_report.css" in body
    assert 'data-table="country"' in body
    assert "&lt; 5" in body  # suppressed by default
    assert "private" in response["Cache-Control"]


def test_page_without_a_project_shows_the_form(coordinator, staff_client, db):
    client = staff_client(coordinator)
    response = client.get("/en/coordinator/project/")
    assert response.status_code == 200
    assert 'name="project"' in response.content.decode()


def test_learners_cannot_open_the_report(project, learner, client):
    client.force_login(learner)
    response = client.get("/en/coordinator/project/", {"project": "EU-7"})
    assert response.status_code in (302, 403, 404)
