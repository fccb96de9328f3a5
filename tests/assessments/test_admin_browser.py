"""The trainer's side in a desktop browser: the question form, import with
per-question errors, statistics and an attempt with its grade history."""

import re

import pytest

from assessments import services
from tests.browser.helpers import admin_login

from .helpers import correct_answers, wrong_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.viewport({"width": 1280, "height": 900})
def test_trainer_question_bank_import_statistics_and_attempts(
    live_server, page, screenshot, trainer, mfa, learner, quiz
):
    from training_platform.accounts.factories import UserFactory

    secret = mfa(trainer)
    for index, right in enumerate([True, True, False]):
        user = learner if index == 0 else UserFactory(email=f"s{index}@example.org")
        attempt = services.attempt_start(user=user, page=quiz)
        answers = correct_answers(attempt) if right else wrong_answers(attempt)
        services.attempt_submit(attempt=attempt, answers=answers, sequence=0)
    admin_login(page, live_server, trainer, secret)

    page.goto(f"{live_server.url}/admin/snippets/assessments/question/add/")
    assert page.get_by_text("Single and multiple choice").first.is_visible()
    screenshot("assessments-admin-question-add")

    page.goto(f"{live_server.url}/admin/assessments/import/")
    page.locator("#id_bank").select_option(index=1)
    page.locator("#id_text").fill(
        "Good question\nA. one\nB. two\nANSWER: A\n\nBroken question\nA. one\n"
    )
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state()
    assert "Question 2 (line 6)" in page.locator(".import-problems").inner_text()
    screenshot("assessments-admin-import-errors")

    page.goto(f"{live_server.url}/admin/assessments/statistics/{quiz.pk}/")
    assert "Facility index" in page.content()
    assert page.locator("[data-facility]").first.inner_text() == "66.7%"
    screenshot("assessments-admin-statistics")

    page.goto(f"{live_server.url}/admin/assessments_attempt/")
    page.get_by_role("link", name=re.compile("Ana Petrović")).first.wait_for()
    screenshot("assessments-admin-attempts")
    attempt = learner.assessment_attempts.get()
    page.goto(f"{live_server.url}/admin/assessments_attempt/inspect/{attempt.pk}/")
    assert "Grade history" in page.content()
    screenshot("assessments-admin-attempt")
