"""The readiness check before a course is published (issue 16): each missing
item is reported on the course's editor and blocks publishing, with a clear
message; fixed, the course publishes."""

import pytest
from django.urls import reverse

from courses.factories import LessonPageFactory, ModulePageFactory
from courses.readiness import course_problems
from tests.courses.admin_forms import page_form_data

pytestmark = pytest.mark.django_db


def _messages(course):
    return sorted(f"{p.page_title}: {p.message}" for p in course_problems(course))


def test_a_complete_course_is_ready(course):
    assert course_problems(course) == []


def test_each_missing_item_is_reported(course, db):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from assessments.factories import make_assessment
    from assessments.models import QuestionBank

    module = ModulePageFactory(parent=course, title="Extra")
    LessonPageFactory(parent=module, title="Empty", body=[])
    image = Image.objects.create(title="Map", file=get_test_image_file())
    LessonPageFactory(
        parent=module,
        title="Pictures",
        body=[
            ("image", {"image": image, "alt_text": "", "caption": "", "credit": ""}),
            (
                "video",
                {
                    "title": "Interview",
                    "embed": None,
                    "video_file": None,
                    "captions": None,
                    "captions_language": "en",
                    "transcript": "",
                },
            ),
        ],
    )
    make_assessment(module, title="Empty quiz")
    bank = QuestionBank.objects.create(name="Small bank")
    make_assessment(module, title="Big draw", random_rules=[{"bank": bank, "count": 5}])
    assert _messages(course) == [
        "Big draw: It draws 5 questions at random from a pool of 0.",
        "Empty quiz: The assessment has no questions.",
        "Empty: The lesson has no content.",
        "Pictures: An image has no alternative text.",
        "Pictures: The video “Interview” has neither captions nor a transcript.",
    ]


def test_publishing_is_refused_with_every_reason_and_allowed_once_fixed(
    client, trainer, mfa, course
):
    mfa(trainer)
    client.force_login(trainer)
    lesson = course.get_course_items()[0]
    lesson.body = []
    lesson.save_revision()
    url = reverse("wagtailadmin_pages:edit", args=[course.pk])
    page = client.get(url).content.decode()
    assert "1 thing to fix before the course can be published" in page
    assert reverse("wagtailadmin_pages:edit", args=[lesson.pk]) in page
    form = page_form_data(client, url)
    response = client.post(url, {**form, "action-publish": "publish"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "The course cannot be published yet." in text
    assert f"{lesson.title}: The lesson has no content." in text
    # Saving a draft is allowed while something is missing.
    response = client.post(url, form)
    assert response.status_code == 302
    lesson.body = [("rich_text", "<p>Now with text.</p>")]
    lesson.save_revision()
    response = client.post(url, {**form, "action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[:2000]
    course.refresh_from_db()
    assert course.live and not course.has_unpublished_changes


def test_the_demo_course_is_ready_in_both_languages(tmp_path):
    from django.core.management import call_command

    from courses.models import CoursePage

    with open(tmp_path / "seed.log", "w") as log:
        call_command("seed_demo", stdout=log)
    courses = list(CoursePage.objects.all())
    assert {c.locale.language_code for c in courses} == {"en", "ru"}
    for course in courses:
        assert course_problems(course) == [], course.title
