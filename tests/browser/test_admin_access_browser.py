"""A learner who opens the admin in a real browser sees a "no access" page
instead of bouncing between the admin and the login page."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_learner_opening_admin_sees_no_access_page_without_a_redirect_loop(
    live_server, page, learner, screenshot
):
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.locator("#id_login").fill(learner.email)
    page.locator("#id_password").fill("correct-horse-battery")
    logins = []
    page.on(
        "response",
        lambda r: logins.append(r.url) if "/accounts/login/" in r.url else None,
    )
    with page.expect_navigation():
        page.locator("form.stack-form button[type=submit]").first.click()
    page.wait_for_load_state()

    assert page.url == f"{live_server.url}/admin/"
    assert page.locator("h1").inner_text() == (
        "You have no access to the administration area"
    )
    # Only the form's own POST, never a second trip to the login page.
    assert len(logins) == 1
    screenshot("admin-no-access")

    assert page.locator("a", has_text="Go to My learning").get_attribute("href") == (
        "/en/my/"
    )
    page.locator("button", has_text="Sign out and sign in with another account").click()
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/admin/"))
