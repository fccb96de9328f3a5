"""The learner's road in Ukrainian and in Georgian on a phone-sized screen:
sign-up, catalogue, course, lessons, assessments, the certificate and its
verification, with no English interface string left on the pages visited
and no serious accessibility fault (issue 14)."""

import re

import pytest
from django.core.management import call_command

from tests.browser.helpers import walk_course_to_the_end
from training_platform.accounts.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the pages say in each language, written here by hand.
TEXT = {
    "uk": {"courses": "Курси", "sign_up": "Зареєструватись"},
    "ka": {"courses": "კურსები", "sign_up": "რეგისტრაცია"},
}


def _interface_strings():
    """The English interface strings of the learner's road that could only
    be interface text: two words or more, no placeholders or markup."""
    import polib

    from training_platform import catalogues

    strings = set()
    for path in catalogues.catalogue_paths("ru"):
        for entry in polib.pofile(str(path)):
            text = entry.msgid
            if (
                catalogues.on_the_road(entry)
                and len(text.split()) >= 2
                and not re.search(r"[%{}<>&]", text)
            ):
                strings.add(text)
    return strings


INTERFACE = None


def english_left(page) -> list[str]:
    """English interface strings in the page's text, outside the course's
    own content (which falls back to English when the course has no
    translation in the language)."""
    global INTERFACE
    if INTERFACE is None:
        INTERFACE = _interface_strings()
    text = page.evaluate(
        """() => {
            const body = document.body.cloneNode(true);
            body.querySelectorAll(
                '.rich-text, .lesson-body, .course-intro, .question-text, '
                + '.choices, h1, h2, h3, .course-card-summary, .outline, '
                + '.lesson-nav, .breadcrumbs, .course-card h3, .card-title'
            ).forEach((el) => el.remove());
            return body.innerText;
        }"""
    )
    from wagtail.models import Page

    # A page title that happens to be an interface string too is content.
    titles = set(Page.objects.values_list("title", flat=True))
    return sorted(s for s in INTERFACE - titles if s in text)


@pytest.fixture
def demo(settings):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("language", ["uk", "ka"])
def test_the_learners_road_in_the_regions_languages_on_a_phone(
    live_server, page, screenshot, axe, demo, language
):
    text = TEXT[language]
    visited = []

    def check(name):
        assert page.locator("html").get_attribute("lang") == language, name
        left = english_left(page)
        assert left == [], f"{name}: English left: {left}"
        assert axe(page) == [], name
        overflow = page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, name
        visited.append(name)

    page.goto(f"{live_server.url}/{language}/accounts/signup/")
    assert page.locator("h1").inner_text().strip() == text["sign_up"]
    check("sign-up")
    screenshot(f"languages-signup-{language}")

    UserFactory(
        email=f"road-{language}@example.org",
        full_name="Official On The Road",
        preferred_language=language,
        password="a-long-and-unusual-password",
    )
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    check("log-in")
    page.locator("#id_login").fill(f"road-{language}@example.org")
    page.locator("#id_password").fill("a-long-and-unusual-password")
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{language}/my/"))
    check("my learning")

    page.get_by_role("link", name=text["courses"], exact=True).first.click()
    page.wait_for_url(re.compile(rf"/{language}/courses/"))
    check("catalogue")
    screenshot(f"languages-catalogue-{language}")
    page.locator(".course-card a").first.click()
    page.wait_for_load_state()
    check("course")
    page.locator("form[action$='/enrol/'] button[type=submit]").click()
    page.wait_for_load_state()

    def on_lesson(number):
        if number in (1, 4):
            check(f"lesson {number}")
        if number == 4:
            screenshot(f"languages-lesson-{language}")

    walk_course_to_the_end(page, on_lesson=on_lesson)
    check("course completed")
    screenshot(f"languages-course-completed-{language}")

    page.goto(f"{live_server.url}/{language}/my/")
    check("my learning, completed")
    certificate = page.locator("a[href*='/verify/']").first
    if certificate.count():
        certificate.click()
        page.wait_for_load_state()
        check("verification")
        screenshot(f"languages-verification-{language}")
    page.goto(f"{live_server.url}/{language}/verify/")
    check("verification form")
    assert len(visited) >= 9
    assert page.console_errors == []
