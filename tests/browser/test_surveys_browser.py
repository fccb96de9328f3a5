"""Surveys in a real browser (issue 18): a learner answers the follow-up
survey from the e-mail's link on a phone, in Russian, without a password and
without JavaScript; a coordinator reads the impact section and downloads it."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from tests.browser.test_reports_browser import sign_in_with_code
from tests.training_platform.reports.test_impact import impact_data  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUSSIAN = [
    "Применяли ли вы индикаторы в работе?",
    "Скольких предполагаемых жертв вы перенаправили?",
    "Насколько уверенно вы выявляете жертву?",
    "Расскажите о случае.",
]


def test_learner_answers_the_follow_up_from_the_email_on_a_phone_in_russian(
    live_server, page, browser, screenshot, axe, settings
):
    from wagtail.models import Locale

    from courses.factories import build_course, complete_course, translate_tree
    from courses.models import CourseCompletion
    from surveys import services
    from surveys.factories import FOLLOW_UP_QUESTIONS, attach, build_survey
    from surveys.models import SurveyResponse
    from training_platform.accounts.factories import UserFactory

    settings.SITE_URL = live_server.url
    course = build_course(title="Identifying victims", slug="identifying-victims")
    translate_tree(course, "ru")
    survey = build_survey("Three months on", FOLLOW_UP_QUESTIONS)
    russian = survey.copy_for_translation(Locale.objects.get(language_code="ru"))
    russian.title = "Три месяца спустя"
    russian.save()
    for question, text in zip(
        russian.questions.order_by("sort_order"), RUSSIAN, strict=True
    ):
        question.text = text
        question.save()
    attach(course, follow_up=survey)
    learner = UserFactory(
        email="olena@example.org", full_name="Олена Коваль", preferred_language="ru"
    )
    _enrolment, completion = complete_course(learner, course)
    CourseCompletion.objects.filter(pk=completion.pk).update(
        completed_at=timezone.now() - timedelta(days=91)
    )
    mail.outbox.clear()
    assert services.follow_ups_send() == 1
    (message,) = [m for m in mail.outbox if m.to == [learner.email]]
    link = re.search(r"https?://\S+/ru/surveys/follow-up/\S+/", message.body).group(0)

    # On the phone, from the e-mail: no session, the survey in Russian.
    page.goto(link)
    assert page.locator("h1").inner_text() == "Три месяца спустя"
    assert page.get_by_text(RUSSIAN[0]).is_visible()
    assert axe(page) == []
    shot = screenshot("surveys-follow-up-ru-phone")

    # The same link with JavaScript off: answered and saved.
    no_script = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    try:
        plain = no_script.new_page()
        plain.goto(link)
        plain.get_by_label("Да").check()
        plain.get_by_label(RUSSIAN[1], exact=False).fill("2")
        plain.get_by_label("4").check()
        plain.get_by_label(RUSSIAN[3], exact=False).fill("Мы направили двух человек.")
        plain.get_by_role("button", name="Отправить ответы").click()
        plain.wait_for_load_state()
        text = plain.locator("main").inner_text()
        assert "Спасибо" in text and "сохранены" in text
        plain.screenshot(path=shot.replace(".png", "-sent.png"), full_page=True)
    finally:
        no_script.close()
    saved = SurveyResponse.objects.get(user=learner)
    assert saved.language == "ru" and saved.kind == "follow_up"
    assert saved.answers.filter(text="Мы направили двух человек.").exists()


@pytest.mark.viewport({"width": 1280, "height": 900})
def test_coordinator_reads_the_impact_section_and_downloads_it(
    live_server,
    page,
    screenshot,
    axe,
    coordinator,
    mfa,
    impact_data,  # noqa: F811 - the fixture imported above
):
    from openpyxl import load_workbook

    secret = mfa(coordinator)
    sign_in_with_code(page, live_server, coordinator, secret, "/en/coordinator/")
    page.get_by_role("link", name="Impact of the training").first.click()
    page.wait_for_url(re.compile(r"/coordinator/impact/"))
    levels = page.locator(".levels-table tbody tr", has_text="Victim identification")
    cells = levels.locator("td").all_inner_texts()
    # Satisfaction 3.88 of 8 answers, gain 23.75 of 8, use 66.7 % of 6.
    assert cells[:2] == ["3.88", "8"] and cells[3] == "8"
    assert cells[4] == "66.7 %" and cells[5] == "6"
    assert "< 5" in page.locator(".question-table").first.inner_text()
    assert axe(page) == []
    screenshot("reports-impact")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these tables (XLSX)").click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "Levels 1 to 3" in book.sheetnames
