"""Publishing a lesson while the editor's autosave is in flight (two
overlapping requests, against PostgreSQL): the lesson ends up published,
learners can open it and the course is not completed without it."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from wagtail import hooks
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses import services
from courses.factories import build_course
from courses.models import CourseCompletion, LessonPage, ModulePage
from tests.courses.admin_forms import page_form_data

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WAIT = 30


def _trainer_client(trainer):
    client = Client()
    client.force_login(trainer)
    return client


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def _in_thread(target, results, key):
    def run():
        try:
            results[key] = target()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_autosave_overlapping_a_publish_does_not_leave_the_lesson_a_draft(
    trainer, learner, mfa
):
    mfa(trainer)
    course = build_course(modules=1, lessons=1, title="Labour inspection")
    services.course_owner_set_up(course=course, by=trainer)
    module = ModulePage.objects.child_of(course).get()
    lesson = module.add_child(
        instance=LessonPage(
            title="Interviewing workers",
            slug="interviewing-workers",
            locale=module.locale,
            completion_mode="manual",
            live=False,
        )
    )
    lesson.save_revision(user=trainer)
    services.enrolment_create(user=learner, course=course, source="self")

    url = f"/admin/pages/{lesson.pk}/edit/"
    autosaving, publishing = _trainer_client(trainer), _trainer_client(trainer)
    body = nested_form_data(
        {"body": streamfield([("rich_text", rich_text("<p>Ask about wages.</p>"))])}
    )
    form = page_form_data(autosaving, url, summary="Questions to ask first.", **body)
    publish = dict(form, **{"action-publish": "action-publish"})

    loaded, release = threading.Event(), threading.Event()

    def hold_the_autosave(request, page):
        # The autosave has read the page (still a draft); the publish now runs.
        if request.method == "POST" and "json" in request.headers.get("Accept", ""):
            loaded.set()
            release.wait(WAIT)

    results = {}
    with hooks.register_temporarily("before_edit_page", hold_the_autosave):
        autosave = _in_thread(
            lambda: autosaving.post(url, form, HTTP_ACCEPT="application/json"),
            results,
            "autosave",
        )
        assert loaded.wait(WAIT)
        publisher = _in_thread(
            lambda: publishing.post(url, publish), results, "publish"
        )
        deadline = time.monotonic() + WAIT
        while publisher.is_alive() and not _waiting_on_a_lock():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        release.set()
        autosave.join(WAIT)
        publisher.join(WAIT)

    assert results["autosave"].status_code == 200
    assert results["publish"].status_code == 302
    assert PageLogEntry.objects.filter(page=lesson, action="wagtail.publish").exists()

    lesson.refresh_from_db()
    assert lesson.live
    learner_client = Client()
    learner_client.force_login(learner)
    assert learner_client.get(lesson.url).status_code == 200

    first = course.get_course_items()[0]
    services.item_progress_record(user=learner, page=first, completed=True)
    assert not CourseCompletion.objects.filter(enrolment__user=learner).exists()
