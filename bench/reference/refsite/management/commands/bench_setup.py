"""Create the reference pages and a signed-in user's session; print JSON.

Stock site: one ``RichTextPage`` under the default site's root. With
``lms_settings``: a wagtail-lms ``CoursePage`` with one ``H5PLessonPage``
(rich text only), the user enrolled in it.
"""

import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand
from wagtail.models import Site

DEFAULT_BODY = "".join(
    f"<h2>Section {n}</h2><p>Reference text of a lesson, paragraph {n}: "
    "who may be a presumed victim, what the indicators are and whom to call. "
    "<a href='/'>a link</a> and <b>bold</b> words.</p>"
    for n in range(1, 9)
)


def session_for(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--body-file", default="")

    def handle(self, *args, body_file="", **options):
        body = DEFAULT_BODY
        if body_file and Path(body_file).exists():
            body = Path(body_file).read_text(encoding="utf-8") or DEFAULT_BODY
        user, _ = get_user_model().objects.get_or_create(
            username="bench-learner", defaults={"email": "bench@example.org"}
        )
        site = Site.objects.get(is_default_site=True)
        home = site.root_page
        result = {"session": session_for(user)}
        if apps.is_installed("wagtail_lms"):
            result.update(self.lms(home, user, body))
        else:
            from refsite.models import RichTextPage

            page = RichTextPage.objects.filter(slug="reference").first()
            if page is None:
                page = RichTextPage(title="Reference page", slug="reference", body=body)
                home.add_child(instance=page)
                page.save_revision().publish()
            result["page"] = page.url
        self.stdout.write(json.dumps(result))

    def lms(self, home, user, body):
        from wagtail_lms.models import CourseEnrollment, CoursePage, H5PLessonPage

        course = CoursePage.objects.filter(slug="course").first()
        if course is None:
            course = CoursePage(
                title="Reference course", slug="course", description="<p>A course.</p>"
            )
            home.add_child(instance=course)
            course.save_revision().publish()
            lesson = H5PLessonPage(
                title="Reference lesson",
                slug="lesson",
                intro="<p>Introduction.</p>",
                body=[("paragraph", body)],
            )
            course.add_child(instance=lesson)
            lesson.save_revision().publish()
        lesson = H5PLessonPage.objects.child_of(course).first()
        CourseEnrollment.objects.get_or_create(user=user, course=course)
        return {"lesson": lesson.url, "course": course.url}
