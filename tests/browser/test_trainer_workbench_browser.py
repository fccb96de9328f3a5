"""Issue 16 in the browser, in Russian: the demo trainer signs in with a
TOTP code, copies the demo course, imports an H5P package, edits a lesson of
the copy (a new title and the imported activity), previews a question,
publishes the lesson and the course, and finds the new course in
"My courses" on the admin dashboard."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from tests.browser.helpers import admin_login
from tests.conftest import enable_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Выявление жертв: инспекторы труда Молдовы"
LESSON = "Первый контакт с работником"
ACTIVITY = "Признаки принудительного труда"


def _russian(text):
    with translation.override("ru"):
        return _(text)


def _publish(page):
    """The editor's footer: open the actions menu and publish."""
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator("button[name='action-publish']").click()


@pytest.mark.viewport({"width": 1280, "height": 1000})
def test_a_trainer_builds_a_course_on_the_demo_course_in_russian(
    live_server, page, screenshot, settings, tmp_path
):
    from wagtail.users.models import UserProfile

    from courses.h5p import package_builder
    from courses.h5p.models import H5PContent
    from courses.models import CourseEditor, CoursePage, LessonPage
    from training_platform.accounts.models import User

    settings.SITE_URL = live_server.url
    call_command("seed_demo", stdout=io.StringIO())
    trainer = User.objects.get(email="trainer@demo.test")
    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "ru"
    profile.save()
    secret = enable_totp(trainer)
    demo = CoursePage.objects.get(
        locale__language_code="en", slug="identifying-and-referring-victims"
    )

    # Sign in with the password and the authenticator's code.
    admin_login(
        page,
        live_server,
        trainer,
        secret,
        password="demo-password-2026",
        language="ru",
    )
    panel = page.locator("#my-courses-section, [data-my-courses]").first
    assert _russian("My courses") != "My courses"
    assert _russian("My courses") in page.locator("main").inner_text()
    # The course under its Russian title: the panel speaks the trainer's language.
    russian_demo = demo.get_translation(Locale.objects.get(language_code="ru"))
    assert russian_demo.title in panel.inner_text()

    # Copy the demo course into a new one.
    page.goto(f"{live_server.url}/admin/courses/{demo.pk}/copy/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_slug").fill("moldova-labour-inspectors")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    copy = CoursePage.objects.get(slug="moldova-labour-inspectors")
    assert CourseEditor.objects.filter(
        course_key=copy.translation_key, user=trainer, role="owner"
    ).exists()

    # Import an H5P package (its library is installed with the demo).
    package = tmp_path / "forced-labour.h5p"
    package.write_bytes(package_builder.quiz_package(title=ACTIVITY))
    page.goto(f"{live_server.url}/admin/snippets/h5p/h5pcontent/add/")
    page.locator("input[type=file]").set_input_files(str(package))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    content = H5PContent.objects.get(title=ACTIVITY)
    assert content.uploaded_by == trainer

    # Edit the copy's first lesson: a new title and the imported activity.
    lesson = LessonPage.objects.descendant_of(copy).order_by("path").first()
    page.goto(f"{live_server.url}/admin/pages/{lesson.pk}/edit/")
    page.locator("#id_title").fill(LESSON)
    page.locator("button.c-sf-add-button").last.click()
    page.locator("[role=option]", has_text=_russian("H5P activity")).first.click()
    # The new block is the last one: its activity chooser is the last.
    page.locator("[data-chooser-action-choose]:visible").last.click()
    page.locator(".modal a", has_text=ACTIVITY).first.click()
    page.locator(".modal").wait_for(state="hidden")
    _publish(page)
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    lesson.refresh_from_db()
    assert lesson.live and lesson.title == LESSON
    assert any(
        block.block_type == "h5p" and block.value["content"].pk == content.pk
        for block in lesson.specific.body
    )
    screenshot("workbench-ru-lesson-published")

    # Preview a question of the copy's final exam as learners see it.
    from assessments.models import AssessmentPage

    final = AssessmentPage.objects.descendant_of(copy).filter(kind="final").first()
    question = final.fixed_questions.order_by("sort_order").first().question
    page.goto(
        f"{live_server.url}/admin/snippets/assessments/question/edit/{question.pk}/"
    )
    page.locator("[data-side-panel-toggle='preview']").first.click()
    frame = page.frame_locator("iframe[data-w-preview-target='iframe']").first
    frame.locator("form.attempt-form").wait_for()
    # The question is in English; the page around it in Russian, as a
    # learner with a Russian interface sees it.
    page.locator("#id_preview_mode").select_option("ru")
    frame.locator(".attempt", has_text=_russian("Your answer")).wait_for()
    preview = frame.locator(".attempt").inner_text()
    assert (
        _russian("Preview: this is how learners see the question. Nothing is recorded.")
        in preview
    )
    screenshot("workbench-ru-question-preview")

    # Publish the course, then find it among "My courses".
    page.goto(f"{live_server.url}/admin/pages/{copy.pk}/edit/")
    _publish(page)
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    copy.refresh_from_db()
    assert copy.live, page.locator(".messages").inner_text()
    page.goto(f"{live_server.url}/admin/")
    row = page.locator(
        f"[data-my-courses] tr[data-course-key='{copy.translation_key}']"
    )
    assert TITLE in row.inner_text()
    assert _russian("Results") in row.inner_text()
    screenshot("workbench-ru-my-courses")
