"""A timed quiz in a phone-sized Chromium: answer, lose the connection,
answer more (kept on the device), come back online (sent with the sequence
number), submit; the grade and the review are right."""

import re
import time

import pytest

from assessments.models import Attempt, AttemptSlot, AttemptState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


PASSWORD = "correct-horse-battery"


def log_in(page, live_server, email, password=PASSWORD):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_load_state()


def wait_for(predicate, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def saved(attempt, position):
    return AttemptSlot.objects.get(attempt=attempt, position=position).response


def test_timed_quiz_offline_then_submit(
    live_server, page, browser_context, screenshot, learner, quiz
):
    quiz.time_limit_minutes = 10
    # Answers (and with them the feedback) right after the attempt, so that
    # the review lists the questions.
    quiz.review_answers = "attempt"
    quiz.save()
    log_in(page, live_server, learner.email)
    page.goto(f"{live_server.url}{quiz.url}")
    screenshot("assessments-intro")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/assessments/attempt/\d+/$"))
    attempt = Attempt.objects.get(user=learner)
    timer = page.locator("[data-timer-value]")
    assert re.fullmatch(r"(9|10):\d\d", timer.inner_text())
    # The page carries no correct answers (C11).
    html = page.content()
    assert "National Referral Mechanism" not in html and "Yes." not in html

    # Questions are in the quiz's order: single, multiple, true/false, short,
    # numeric, matching.
    page.get_by_label("Withheld passport").check()
    page.locator("#question-3").get_by_label("False").check()
    status = page.locator("[data-save-status]")
    status.get_by_text("All answers saved.").wait_for()
    assert wait_for(lambda: saved(attempt, 3) == {"value": False})
    screenshot("assessments-attempt-saved")

    browser_context.set_offline(True)
    page.locator("#q4-input").fill("national  referral mechanism")
    page.locator("#q5-input").fill("90")
    page.locator("#q5-input").blur()
    status.get_by_text("You are offline").wait_for()
    screenshot("assessments-attempt-offline")
    time.sleep(1)
    assert saved(attempt, 4) is None and saved(attempt, 5) is None

    browser_context.set_offline(False)
    status.get_by_text("All answers saved.").wait_for(timeout=20_000)
    assert saved(attempt, 4) == {"text": "national  referral mechanism"}
    assert saved(attempt, 5) == {"value": "90"}

    for label in ("Act", "Means", "Purpose"):
        page.locator("#question-2").get_by_label(label, exact=True).check()
    page.get_by_label("Police").select_option(label="Identify")
    page.get_by_label("Shelter").select_option(label="Protect")
    screenshot("assessments-attempt-before-submit")
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(r"/review/$"))
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED
    assert attempt.percent == 100
    assert page.locator("[data-grade]").inner_text() == "100%"
    assert page.get_by_text("Passed").first.is_visible()
    assert page.locator(".question-review").count() == 6
    screenshot("assessments-review")
    # The only console errors: the saves that failed while offline.
    assert all("ERR_INTERNET_DISCONNECTED" in e for e in page.console_errors)


def test_stale_tab_gets_a_clear_refusal(
    live_server, page, browser_context, learner, quiz
):
    log_in(page, live_server, learner.email)
    page.goto(f"{live_server.url}{quiz.url}")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/assessments/attempt/\d+/$"))
    attempt_url = page.url
    other = browser_context.new_page()
    other.goto(attempt_url)
    other.get_by_label("Withheld passport").check()
    other.locator("[data-save-status]").get_by_text("All answers saved.").wait_for()
    page.locator("#question-3").get_by_label("True").check()
    alert = page.locator("[data-alert]")
    alert.wait_for()
    assert "another tab" in alert.inner_text()
    attempt = Attempt.objects.get()
    assert saved(attempt, 3) is None
    assert saved(attempt, 1) is not None


@pytest.mark.parametrize("language", ["ru"])
def test_attempt_and_review_in_russian(
    live_server, page, screenshot, learner, quiz, language
):
    quiz.review_answers = "attempt"
    quiz.save()
    log_in(page, live_server, learner.email)
    from assessments import services

    attempt = services.attempt_start(user=learner, page=quiz)
    page.goto(f"{live_server.url}/{language}/assessments/attempt/{attempt.pk}/")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.get_by_label("Withheld passport").check()
    page.locator("[data-save-status]").get_by_text("Все ответы сохранены.").wait_for()
    assert "Отвечено: 1 из 6 вопросов." in page.locator("[data-answered]").inner_text()
    screenshot("assessments-attempt-ru")
    page.get_by_role("button", name="Отправить ответы").click()
    page.wait_for_url(re.compile(r"/review/$"))
    body = page.locator("main").inner_text()
    assert "Правильный ответ" in body and "Не сдано" in body
    screenshot("assessments-review-ru")


def test_assessment_pages_pass_wcag_checks_on_a_phone(
    live_server, page, axe, learner, quiz
):
    """Intro, attempt (with a timer) and review: WCAG 2.1 AA (axe-core)."""
    quiz.time_limit_minutes = 10
    quiz.review_answers = "attempt"
    quiz.save()
    log_in(page, live_server, learner.email)
    page.goto(f"{live_server.url}{quiz.url}")
    assert axe(page) == [], "intro"
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/assessments/attempt/\d+/$"))
    page.get_by_label("Withheld passport").check()
    page.locator("[data-save-status]").get_by_text("All answers saved.").wait_for()
    assert axe(page) == [], "attempt"
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(r"/review/$"))
    assert axe(page) == [], "review"
