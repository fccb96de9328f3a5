"""The base layout on a phone and a desktop: landmarks, language switch, keyboard
use and automated WCAG 2.1 AA checks (axe-core)."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_public_pages_pass_wcag_checks_on_a_phone(
    live_server, page, axe, language, screenshot
):
    for path in ("", "accounts/login/", "accounts/signup/", "accounts/password/reset/"):
        page.goto(f"{live_server.url}/{language}/{path}")
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("header[role=banner], header").count() >= 1
        assert page.locator("main#main").count() == 1
        assert page.locator("footer").count() == 1
        assert axe(page) == [], path
        if not path:
            screenshot(f"layout-home-phone-{language}")


@pytest.mark.viewport(DESKTOP)
def test_signed_in_pages_pass_wcag_checks_on_a_desktop(
    live_server, page, axe, learner, screenshot
):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.locator("#id_login").fill(learner.email)
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/my/"))
    for path in ("/en/my/", "/en/accounts/profile/", "/en/accounts/2fa/"):
        page.goto(f"{live_server.url}{path}")
        assert axe(page) == [], path
    page.goto(f"{live_server.url}/en/accounts/profile/")
    screenshot("layout-profile-desktop")


def test_skip_link_and_keyboard_language_switch(live_server, page):
    page.goto(f"{live_server.url}/en/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    # Switch language with the keyboard only: open the menu, then choose.
    page.locator(".language-menu summary").focus()
    page.keyboard.press("Enter")
    russian = page.get_by_role("button", name="Русский")
    russian.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ru/$"))
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("link", name="Войти").first.is_visible()


def test_no_horizontal_scrolling_on_a_small_phone(live_server, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in ("/en/", "/ru/accounts/signup/"):
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    context.close()


def test_base_page_stays_light(live_server, page):
    """No framework bundle: the whole first page load stays well under 100 KB."""
    sizes = []
    page.on("response", lambda r: sizes.append(len(r.body())) if r.ok else None)
    page.goto(f"{live_server.url}/en/", wait_until="networkidle")
    assert sum(sizes) < 100_000, sum(sizes)
