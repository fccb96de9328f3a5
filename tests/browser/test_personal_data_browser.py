"""A learner's own data in a real browser, on a phone: from the profile to
My data, the JSON file prepared by the worker and downloaded, then the
account erased and the learner signed out for good."""

import json
import re

import pytest
from django.core import mail

from courses import services as course_services
from courses.factories import build_course
from tests.browser.helpers import FACTORY_PASSWORD
from training_platform.accounts.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_downloads_their_data_and_erases_their_account(
    live_server, page, screenshot, tmp_path
):
    learner = UserFactory(email="mira@example.org", full_name="Mira Kovač")
    course = build_course(title="Referral of presumed victims", slug="referral")
    course_services.enrolment_create(user=learner, course=course, source="self")
    mail.outbox.clear()

    page.goto(f"{live_server.url}/en/accounts/login/")
    page.locator("#id_login").fill(learner.email)
    page.locator("#id_password").fill(FACTORY_PASSWORD)
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/my/"))

    page.goto(f"{live_server.url}/en/accounts/profile/")
    page.get_by_role("link", name="My data: download or erase").click()
    page.wait_for_url(re.compile(r"/accounts/profile/data/$"))
    page.get_by_role("button", name="Prepare my file").click()
    status = page.locator("[data-export-status]")
    page.wait_for_function(
        "document.querySelector('[data-export-status]').dataset.exportStatus"
        " === 'ready'",
        timeout=30_000,
    )
    assert status.get_attribute("data-export-status") == "ready"
    screenshot("my-data-ready")
    with page.expect_download() as download_info:
        page.locator("[data-download]").click()
    path = tmp_path / "my-data.json"
    download_info.value.save_as(path)
    data = json.loads(path.read_text())
    assert data["profile"]["full_name"] == "Mira Kovač"
    assert [e["course_key"] for e in data["records"]["courses.enrolment"]] == [
        str(course.translation_key)
    ]

    # A wrong password erases nothing.
    page.locator("#id_password").fill("not my password")
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="Erase my account").click()
    assert "This is not your password." in page.content()
    # The file stays on offer beside the error.
    assert page.locator("[data-download]").count() == 1
    learner.refresh_from_db()
    assert learner.erased_at is None

    page.locator("#id_password").fill(FACTORY_PASSWORD)
    page.locator("#id_confirm").check()
    screenshot("my-data-erase")
    page.get_by_role("button", name="Erase my account").click()
    page.wait_for_load_state()
    assert "Your account has been erased." in page.content()
    learner.refresh_from_db()
    assert learner.erased_at is not None and learner.full_name == ""

    page.goto(f"{live_server.url}/en/accounts/login/")
    page.locator("#id_login").fill("mira@example.org")
    page.locator("#id_password").fill(FACTORY_PASSWORD)
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/en/my/" not in page.url
