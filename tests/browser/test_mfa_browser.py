"""A trainer is made to set up TOTP before the admin, then signs in with a code
(allauth's MFA stage) and reaches the admin."""

import re
import time

import pytest

from tests.browser.helpers import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.viewport({"width": 1280, "height": 900})
def test_trainer_sets_up_totp_then_signs_in_with_a_code(
    live_server, page, trainer, screenshot
):
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.locator("#id_login").fill(trainer.email)
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("form.stack-form button[type=submit]").first.click()

    # Straight to the authenticator set-up, with the reason.
    # allauth asks for the password again before a security change.
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("form.stack-form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    assert "two-factor authentication" in page.content()
    screenshot("mfa-activate")
    secret = page.locator("#authenticator_secret").input_value()
    code = totp_code(secret)
    used_window = int(time.time()) // 30
    page.locator("#id_code").fill(code)
    page.locator("form.stack-form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert trainer.authenticator_set.filter(type="totp").exists()

    page.goto(f"{live_server.url}/admin/")
    assert page.url.endswith("/admin/")

    # A new session must pass the TOTP stage.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/en/accounts/login/?next=/admin/")
    page.locator("#id_login").fill(trainer.email)
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("form.stack-form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    # A code is accepted once (L13): wait for the next 30-second window.
    while int(time.time()) // 30 == used_window:
        time.sleep(0.5)
    page.locator("#id_code").fill(totp_code(secret))
    page.locator("form.stack-form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
