"""The learner's whole road on a phone-sized screen, in English and Russian:
log in, find the demo course in the catalogue, enrol, work through every
lesson, see the progress bar reach 100 % and the course listed as completed."""

import re

import pytest
from django.core.management import call_command

from tests.browser.helpers import walk_course_to_the_end
from training_platform.accounts.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "en": {
        "courses": "Courses",
        "search": "trafficking",
        "title": "Identifying and referring victims of trafficking",
        "completed": "Completed",
    },
    "ru": {
        "courses": "Курсы",
        "search": "торговли",
        "title": "Выявление и перенаправление жертв торговли людьми",
        "completed": "Пройден",
    },
}


@pytest.fixture
def demo(settings):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("language", ["en", "ru"])
def test_learner_completes_the_demo_course_on_a_phone(
    live_server, page, screenshot, demo, language
):
    text = TEXT[language]
    UserFactory(
        email=f"road-{language}@example.org",
        full_name="Official On The Road",
        preferred_language=language,
        password="a-long-and-unusual-password",
    )
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.locator("#id_login").fill(f"road-{language}@example.org")
    page.locator("#id_password").fill("a-long-and-unusual-password")
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{language}/my/"))

    # Find the course in the catalogue.
    page.get_by_role("link", name=text["courses"], exact=True).first.click()
    page.wait_for_url(re.compile(rf"/{language}/courses/"))
    page.locator("#catalogue-q").fill(text["search"])
    page.locator(".search-row button[type=submit]").first.click()
    page.wait_for_load_state()
    card = page.locator(".course-card").filter(has_text=text["title"])
    assert card.count() == 1
    screenshot(f"courses-catalogue-{language}")
    card.get_by_role("link", name=text["title"]).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == text["title"]
    screenshot(f"courses-course-{language}")

    # Enrol: the first lesson opens.
    page.locator("form[action$='/enrol/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/understanding-trafficking/"))
    lessons_seen, assessments_taken = walk_course_to_the_end(
        page,
        on_lesson=lambda n: (
            screenshot(f"courses-lesson-{language}") if n == 4 else None
        ),
    )
    assert lessons_seen == 9 and assessments_taken == 5
    bar = page.locator(".enrol-panel [role=progressbar]")
    assert bar.get_attribute("aria-valuenow") == "100"
    assert page.locator(".enrol-panel .badge-success").is_visible()

    # "My learning" lists it as completed.
    page.goto(f"{live_server.url}/{language}/my/")
    completed = page.locator(".completed-courses li").filter(has_text=text["title"])
    assert completed.count() == 1
    assert text["completed"] in completed.inner_text()
    screenshot(f"courses-dashboard-{language}")
    assert page.console_errors == []


def test_demo_learner_sees_progress_and_continues(live_server, page, screenshot, demo):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.locator("#id_login").fill("learner@demo.test")
    page.locator("#id_password").fill("demo-password-2026")
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/my/"))
    bar = page.locator(".dashboard-list [role=progressbar]")
    assert bar.get_attribute("aria-valuenow") == "30"
    screenshot("courses-dashboard-in-progress-en")
    page.get_by_role("link", name="Continue where you left off").click()
    page.wait_for_load_state()
    assert "Indicators of trafficking" in page.locator("h1").inner_text()
