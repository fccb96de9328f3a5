"""Every figure of the dashboard on the hand-made data set of conftest.py,
with the answers worked out by hand."""

from datetime import date
from decimal import Decimal

import pytest

from training_platform.reports import selectors
from training_platform.reports.selectors import ReportFilters, report_for

pytestmark = pytest.mark.django_db

D = Decimal


def rows_by_label(report, name):
    return {row["label"]: row for row in report.breakdowns[name]}


def test_coordinator_headline_figures(report_data, coordinator):
    h = report_for(coordinator, ReportFilters()).headline
    assert h["learners"] == 5
    assert h["enrolments"] == 7
    assert (h["pending"], h["active"], h["completed"], h["withdrawn"]) == (1, 3, 3, 1)
    assert h["completion_rate"] == D("42.9")  # 3 of 7
    assert h["average_score"] == D("76.7")  # (80 + 60 + 90) / 3
    assert h["pass_rate"] == D("66.7")  # 2 of 3
    assert (h["pairs"], h["pre"], h["post"], h["gain"]) == (
        2,
        D("45.0"),
        D("77.5"),
        D("32.5"),
    )
    assert h["normalised_gain"] == D("0.59")  # (77.5 - 45) / (100 - 45)
    assert (
        h["certificates_valid"],
        h["certificates_expired"],
        h["certificates_revoked"],
        h["certificates"],
    ) == (1, 1, 1, 3)


def test_administrator_sees_every_country(report_data, administrator):
    h = report_for(administrator, ReportFilters()).headline
    assert (h["learners"], h["enrolments"], h["completed"]) == (6, 8, 4)
    assert h["completion_rate"] == D("50.0")
    assert h["average_score"] == D("82.5")
    assert h["pass_rate"] == D("75.0")
    assert (h["pre"], h["post"], h["gain"]) == (D("33.3"), D("83.3"), D("50.0"))
    assert h["normalised_gain"] == D("0.75")
    assert h["certificates_valid"] == 2


def test_breakdown_by_country(report_data, coordinator):
    rows = rows_by_label(report_for(coordinator, ReportFilters()), "country")
    assert set(rows) == {"Serbia", "Albania"}
    serbia, albania = rows["Serbia"], rows["Albania"]
    assert (serbia["learners"], serbia["enrolments"], serbia["completed"]) == (3, 4, 2)
    assert (serbia["active"], serbia["withdrawn"], serbia["pending"]) == (1, 1, 1)
    assert serbia["completion_rate"] == D("50.0")
    assert serbia["param"] == "RS"
    assert (albania["learners"], albania["enrolments"], albania["completed"]) == (
        2,
        3,
        1,
    )
    assert albania["average_score"] == D("90.0")


def test_breakdown_by_course_counts_translations_as_one_course(
    report_data, coordinator
):
    """rs_m1 enrolled from the Russian page: still course A."""
    rows = rows_by_label(report_for(coordinator, ReportFilters()), "course")
    assert set(rows) == {"Victim identification", "Labour migration"}
    a, b = rows["Victim identification"], rows["Labour migration"]
    assert (a["enrolments"], a["completed"], a["learners"]) == (4, 2, 4)
    assert (b["enrolments"], b["completed"], b["pending"]) == (3, 1, 1)
    assert a["param"] == str(report_data.course_a.translation_key)


def test_breakdowns_by_sex_and_organisation(report_data, coordinator):
    report = report_for(coordinator, ReportFilters())
    sex = rows_by_label(report, "sex")
    assert {k: (r["learners"], r["enrolments"]) for k, r in sex.items()} == {
        "Female": (3, 5),
        "Male": (1, 1),
        "Prefer not to say": (1, 1),
    }
    kinds = rows_by_label(report, "organisation_kind")
    assert {k: (r["learners"], r["enrolments"]) for k, r in kinds.items()} == {
        "Government": (2, 4),
        "Non-governmental organisation": (2, 2),
        "No organisation": (1, 1),
    }
    orgs = rows_by_label(report, "organisation")
    assert {k: r["enrolments"] for k, r in orgs.items()} == {
        "Ministry RS": 2,
        "Shelter RS": 2,
        "Police AL": 2,
        "No organisation": 1,
    }


def test_enrolments_and_completions_by_month(report_data, coordinator):
    months = report_for(coordinator, ReportFilters()).months
    assert [(m["key"], m["enrolments"], m["completed"]) for m in months] == [
        (date(2026, 1, 1), 5, 0),
        (date(2026, 2, 1), 2, 1),
        (date(2026, 3, 1), 0, 2),
    ]


def test_filter_by_country_and_course(report_data, coordinator):
    from training_platform.accounts.models import Country

    report = report_for(
        coordinator,
        ReportFilters(
            country=Country.objects.get(code="RS"),
            course_key=report_data.course_a.translation_key,
        ),
    )
    h = report.headline
    assert report.source == "rollup"
    assert (h["learners"], h["enrolments"], h["completed"], h["withdrawn"]) == (
        3,
        3,
        2,
        1,
    )
    assert (h["certificates_valid"], h["certificates_revoked"]) == (1, 1)


def test_filter_by_sex(report_data, coordinator):
    report = report_for(coordinator, ReportFilters(sex="female"))
    h = report.headline
    assert report.source == "rollup"
    assert (h["learners"], h["enrolments"], h["completed"], h["pending"]) == (
        3,
        5,
        2,
        1,
    )
    assert set(rows_by_label(report, "sex")) == {"Female"}


def test_filter_by_period_and_status(report_data, coordinator):
    february = ReportFilters(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))
    report = report_for(coordinator, february)
    assert report.source == "facts"
    h = report.headline
    assert (h["enrolments"], h["completed"], h["learners"]) == (2, 1, 2)
    completed = report_for(coordinator, ReportFilters(status="completed")).headline
    assert (completed["enrolments"], completed["completed"], completed["active"]) == (
        3,
        3,
        0,
    )


@pytest.mark.parametrize("viewer", ["coordinator", "administrator"])
def test_rollups_and_facts_agree(report_data, viewer, request):
    """The two sources must give the same figures for the same filters."""
    user = request.getfixturevalue(viewer)
    course_b = report_data.course_b.translation_key
    for f in (
        ReportFilters(),
        ReportFilters(course_key=course_b),
        ReportFilters(sex="female"),
        ReportFilters(organisation_kind="ngo", course_key=course_b),
        ReportFilters(organisation=report_data.people["rs_f1"].organisation_id),
    ):
        from_rollups = selectors._from_rollups(user, f)
        from_facts = selectors._from_facts(user, f)
        selectors._label(from_rollups)
        selectors._label(from_facts)
        assert from_rollups.headline == from_facts.headline
        assert from_rollups.months == from_facts.months
        for name, *_ in selectors.BREAKDOWNS:
            key = lambda r: r["label"]  # noqa: E731
            assert sorted(from_rollups.breakdowns[name], key=key) == sorted(
                from_facts.breakdowns[name], key=key
            ), name


def test_coordinator_without_countries_sees_nothing(report_data):
    from training_platform.accounts.factories import CoordinatorFactory

    nobody = CoordinatorFactory(email="none@example.org", countries=[])
    report = report_for(nobody, ReportFilters())
    assert report.headline["enrolments"] == 0
    assert report.headline["learners"] == 0
    assert all(not rows for rows in report.breakdowns.values())
    assert report.months == []


def test_refresh_replaces_the_figures(report_data, coordinator):
    """A withdrawal shows after the next refresh, and never double counts."""
    from training_platform.reports.services import report_refresh

    enrolment = report_data.enrolments[("al_u1", "labour")]
    enrolment.status = "withdrawn"
    enrolment.save()
    before = report_for(coordinator, ReportFilters()).headline
    assert before["withdrawn"] == 1
    report_refresh()
    report_refresh()
    after = report_for(coordinator, ReportFilters()).headline
    assert (after["withdrawn"], after["active"], after["enrolments"]) == (2, 2, 7)


def test_drill_down_lists_the_rows_behind_a_figure(report_data, coordinator):
    from training_platform.accounts.models import Country

    serbia = ReportFilters(country=Country.objects.get(code="RS"))
    completed = selectors.facts_behind(coordinator, serbia, metric="completed")
    assert sorted(f.user.email for f in completed) == [
        "rs_f1@example.org",
        "rs_m1@example.org",
    ]
    march = selectors.facts_behind(
        coordinator, ReportFilters(), completed_month=date(2026, 3, 1)
    )
    assert sorted(f.user.email for f in march) == [
        "al_f1@example.org",
        "rs_m1@example.org",
    ]
    revoked = selectors.facts_behind(
        coordinator, ReportFilters(), metric="certificates_revoked"
    )
    assert [f.user.email for f in revoked] == ["rs_m1@example.org"]
