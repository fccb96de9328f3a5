"""In the browser: a trainer's package that brings a new library waits for an
administrator, who approves it from the list; the activity is then the
trainer's (issue 11, item 19; A22 keeps holding)."""

import os

import pytest

from courses.h5p import package_builder
from courses.h5p.models import H5PContent, H5PLibrary
from tests.browser.helpers import admin_login
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.viewport({"width": 1280, "height": 900})
def test_trainer_package_waits_for_approval_then_is_imported(
    live_server, browser, trainer, administrator, mfa, tmp_path
):
    def screenshot(name, page):
        os.makedirs(ARTIFACTS, exist_ok=True)
        page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)

    package = tmp_path / "indicators-quiz.h5p"
    package.write_bytes(package_builder.quiz_package(title="Indicators quiz"))

    trainer_page = browser.new_page(viewport={"width": 1280, "height": 900})
    admin_login(trainer_page, live_server, trainer, mfa(trainer))
    trainer_page.goto(f"{live_server.url}/admin/snippets/h5p/h5pcontent/add/")
    trainer_page.locator("input[type=file]").set_input_files(str(package))
    trainer_page.get_by_role("button", name="Import").click()
    trainer_page.wait_for_url("**/admin/h5p/awaiting-approval/")
    body = trainer_page.locator("main").inner_text()
    assert "H5P.PlatformQuiz 1.0.0" in body
    assert "An administrator must approve them" in body
    screenshot("h5p-pending-trainer", page=trainer_page)
    assert H5PLibrary.objects.count() == 0

    admin_page = browser.new_page(viewport={"width": 1280, "height": 900})
    admin_login(admin_page, live_server, administrator, mfa(administrator))
    admin_page.goto(f"{live_server.url}/admin/h5p/awaiting-approval/")
    screenshot("h5p-pending-administrator", page=admin_page)
    admin_page.get_by_role("button", name="Approve the libraries and import").click()
    admin_page.wait_for_load_state()
    assert "was imported" in admin_page.locator("main").inner_text()

    content = H5PContent.objects.get()
    assert content.uploaded_by == trainer
    trainer_page.goto(f"{live_server.url}/admin/snippets/h5p/h5pcontent/")
    assert "indicators-quiz.h5p" in trainer_page.locator("main").inner_text() or (
        content.title in trainer_page.locator("main").inner_text()
    )
