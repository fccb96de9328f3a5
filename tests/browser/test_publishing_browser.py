"""A trainer edits a draft lesson in the Wagtail admin (autosave on), publishes
it straight after the autosave, and the lesson is published: the edit
requests of one page run one after another (training_platform.page_editing)
without getting in the way of autosave."""

import re

import pytest
from django.test import Client
from wagtail.models import Locale

from courses import services
from courses.factories import build_course
from courses.models import LessonPage, ModulePage
from tests.browser.helpers import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.viewport({"width": 1280, "height": 900})
def test_trainer_publishes_a_lesson_right_after_autosave_and_learners_get_it(
    live_server, page, trainer, learner, mfa, screenshot
):
    secret = mfa(trainer)
    course = build_course(modules=1, lessons=1, title="Referral in practice")
    services.course_owner_set_up(course=course, by=trainer)
    module = ModulePage.objects.child_of(course).get()
    lesson = module.add_child(
        instance=LessonPage(
            title="First contact",
            slug="first-contact",
            locale=Locale.objects.get(language_code="en"),
            live=False,
        )
    )
    lesson.save_revision(user=trainer)
    services.enrolment_create(user=learner, course=course, source="self")

    admin_login(page, live_server, trainer, secret)
    edit_url = f"{live_server.url}/admin/pages/{lesson.pk}/edit/"
    # The editor's scripts have started once the editing session pings; the
    # autosave watches the form a moment later.
    with page.expect_response(lambda r: "/admin/editing-sessions/ping/" in r.url):
        page.goto(edit_url)
    page.wait_for_timeout(2000)
    summary = page.locator("#id_summary")
    with page.expect_response(
        lambda r: r.url == edit_url and r.request.method == "POST"
    ) as response:
        summary.press_sequentially("What to say in the first minutes.")
        summary.press("Tab")
    autosave = response.value
    assert autosave.json()["success"] is True

    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    assert "has been published" in page.locator(".messages").inner_text()
    screenshot("publishing-lesson-published")

    lesson.refresh_from_db()
    assert lesson.live
    assert lesson.summary == "What to say in the first minutes."
    assert lesson.pk in [item.pk for item in course.get_course_items()]
    page.context.clear_cookies()
    learner_client = Client()
    learner_client.force_login(learner)
    assert learner_client.get(lesson.url).status_code == 200
