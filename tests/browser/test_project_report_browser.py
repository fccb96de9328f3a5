"""A coordinator opens the project report from the dashboard, reads its
figures, prints it (the page without the site's header and forms) and checks
it for accessibility."""

import datetime

import pytest

from tests.browser.test_reports_browser import sign_in_with_code
from tests.training_platform.reports.conftest import report_data  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.viewport({"width": 1280, "height": 900})
def test_coordinator_reads_and_prints_the_project_report(
    live_server,
    page,
    screenshot,
    axe,
    coordinator,
    mfa,
    report_data,  # noqa: F811 - the fixture imported above
):
    from courses.models import Project

    project = Project.objects.create(
        code="EU-7",
        name="Protection in South-Eastern Europe",
        donor="European Union",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    for course in (report_data.course_a, report_data.course_b):
        course.projects.add(project)
        course.save()
    secret = mfa(coordinator)
    sign_in_with_code(page, live_server, coordinator, secret, "/en/coordinator/")
    page.get_by_role("link", name="Project report").click()
    page.select_option("#id_project", value="EU-7")
    page.fill("#id_date_from", "2026-02-01")
    page.fill("#id_date_to", "2026-03-31")
    page.get_by_role("button", name="Show the report").click()
    page.get_by_role("link", name="Show exact numbers").click()
    assert page.locator("[data-figure=learners] td").inner_text() == "4"
    assert page.locator("[data-figure=completed] td").inner_text() == "3"
    serbia = page.locator("[data-table=country] tbody tr", has_text="Serbia")
    assert serbia.locator("td[data-col=learners]").inner_text() == "2"
    assert axe(page) == []
    screenshot("project-report")
    page.emulate_media(media="print")
    assert not page.locator("form.filter-form").is_visible()
    assert not page.locator(".site-header").is_visible()
    assert page.locator("[data-table=course]").is_visible()
    screenshot("project-report-print")
