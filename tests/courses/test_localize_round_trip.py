"""Translating a course with wagtail-localize, the way a trainer does in the
admin: submit the course and its pages for translation into Ukrainian, export
the strings as a PO file for an external translator, import the translated
file, publish; the Ukrainian course is then the same course as the English one
for enrolment and progress (one ``translation_key``). When the English source
changes, the translation is reported as waiting for translations once the
source has been synchronised ("Sync translated pages")."""

import polib
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.coreutils import (
    get_content_languages,
    get_supported_content_language_variant,
)
from wagtail.models import GroupPagePermission, Locale, Page
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from courses import services
from courses.factories import build_course, course_index
from courses.models import CoursePage, Enrolment, ItemProgress, LessonPage
from courses.services import course_owner_set_up
from training_platform.accounts import roles
from training_platform.home.models import HomePage

pytestmark = pytest.mark.django_db

PREFIX = "UK "


@pytest.fixture
def ukrainian_content(settings):
    """Ukrainian as a content language (the default is en, ru). Wagtail keeps
    the content languages in lru caches: they are cleared on both sides."""
    settings.WAGTAIL_CONTENT_LANGUAGES = [
        *settings.WAGTAIL_CONTENT_LANGUAGES,
        ("uk", "Українська"),
    ]
    get_content_languages.cache_clear()
    get_supported_content_language_variant.cache_clear()
    yield Locale.objects.get(language_code="uk")
    get_content_languages.cache_clear()
    get_supported_content_language_variant.cache_clear()


@pytest.fixture
def trainer_client(client, trainer, mfa):
    mfa(trainer)
    client.force_login(trainer)
    return client


def _fill(po):
    for entry in po:
        if not entry.obsolete:
            entry.msgstr = PREFIX + entry.msgid
    return po


def _translations(page, locale):
    return Translation.objects.filter(
        source__object_id=page.translation_key, target_locale=locale
    )


def _ukrainian_site_structure(uk, execute):
    """What an administrator does once for a new content language: the home
    page and the catalogue translated and published, and the trainers given
    the same page permissions on the Ukrainian catalogue as on the others."""
    creator = TranslationCreator(None, [uk])
    home = HomePage.objects.get(locale__language_code="en")
    index = course_index("en")
    with execute(execute=True):
        for page in (home, index):
            creator.create_translations(page)
            translation = _translations(page, uk).get()
            translation.import_po(_fill(translation.export_po()))
            translation.save_target(publish=True)
    index_uk = course_index("uk")
    assert index_uk.live and index_uk.title == f"{PREFIX}{index.title}"
    trainers = Group.objects.get(name=roles.TRAINERS)
    for grant in GroupPagePermission.objects.filter(group=trainers, page=index):
        GroupPagePermission.objects.get_or_create(
            group=trainers, page=index_uk, permission=grant.permission
        )
    return index_uk


def _submit_course(client, course, uk, execute):
    """The admin's "Translate this page" with "Translate child pages"."""
    url = f"/admin/localize/submit/page/{course.pk}/"
    assert client.get(url).status_code == 200
    with execute(execute=True):
        response = client.post(url, {"locales": [uk.pk], "include_subtree": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]


def _po_round_trip_through_the_admin(client, translation):
    """Download the PO file, have it "translated", upload it."""
    url = f"/admin/localize/translate/{translation.pk}/pofile/"
    response = client.get(url + "download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-gettext-translation"
    po = polib.pofile(response.content.decode())
    assert po.metadata["X-WagtailLocalize-TranslationID"] == str(translation.uuid)
    untranslated = [e for e in po if not e.obsolete]
    assert untranslated and not any(e.msgstr for e in untranslated)
    upload = SimpleUploadedFile(
        "course-uk.po", str(_fill(po)).encode(), "text/x-gettext-translation"
    )
    response = client.post(url + "upload/", {"file": upload})
    assert response.status_code == 302
    total, translated = translation.get_progress()
    assert total == translated > 0


@pytest.fixture
def translated(
    ukrainian_content, trainer, trainer_client, django_capture_on_commit_callbacks
):
    uk = ukrainian_content
    execute = django_capture_on_commit_callbacks
    course = build_course(title="Identifying victims", slug="identifying-victims")
    course_owner_set_up(course=course, by=trainer)
    _ukrainian_site_structure(uk, execute)

    _submit_course(trainer_client, course, uk, execute)

    pages = [course, *course.get_descendants().specific()]
    course_uk = course.get_translation(uk).specific
    # Submitting does not publish: the untranslated copy stays a draft until
    # the translation is done (WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE).
    assert not course_uk.live
    assert course_uk.alias_of_id is None

    # The course's strings through the admin's PO download and upload; the
    # modules' and lessons' through the same API the views use.
    _po_round_trip_through_the_admin(trainer_client, _translations(course, uk).get())
    for page in pages[1:]:
        translation = _translations(page, uk).get()
        warnings = translation.import_po(_fill(translation.export_po()))
        assert warnings == []

    with execute(execute=True):
        for page in pages:
            _translations(page, uk).get().save_target(user=trainer, publish=True)
    return course, course.get_translation(uk).specific


def test_the_ukrainian_course_is_served_translated_under_uk(translated, client):
    course, course_uk = translated
    assert course_uk.live
    assert course_uk.translation_key == course.translation_key
    assert course_uk.title == f"{PREFIX}Identifying victims"
    lessons_uk = course_uk.get_course_items()
    assert [lesson.title for lesson in lessons_uk] == [
        f"{PREFIX}{lesson.title}" for lesson in course.get_course_items()
    ]
    assert all(lesson.live for lesson in lessons_uk)
    body = str(lessons_uk[0].specific.body)
    assert PREFIX in body, body

    assert course_uk.url.startswith("/uk/")
    response = client.get(course_uk.url)
    assert response.status_code == 200
    assert f"{PREFIX}Identifying victims" in response.content.decode()
    # The English course is untouched.
    response = client.get(course.url)
    assert response.status_code == 200
    assert f"{PREFIX}Identifying victims" not in response.content.decode()


def test_progress_in_ukrainian_is_progress_on_the_english_course(
    translated, client, learner
):
    course, course_uk = translated
    enrolment = services.enrolment_create(user=learner, course=course_uk, source="self")
    assert enrolment.course_key == course.translation_key
    lesson_uk = course_uk.get_course_items()[0]
    client.force_login(learner)
    assert client.get(lesson_uk.url).status_code == 200
    assert client.post(lesson_uk.url + "complete/").status_code == 302

    assert Enrolment.objects.filter(user=learner).count() == 1
    progress = ItemProgress.objects.get(enrolment=enrolment)
    assert progress.status == "completed"
    response = client.get(course.url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "25%" in text
    assert "is-done" in text
    # Enrolling again from the English course finds the same enrolment.
    again = services.enrolment_create(user=learner, course=course, source="self")
    assert again.pk == enrolment.pk


def test_a_changed_source_shows_the_translation_out_of_date(
    translated, trainer_client, django_capture_on_commit_callbacks
):
    course, course_uk = translated
    translation = _translations(course, Locale.objects.get(language_code="uk")).get()
    assert translation.get_status_display() == "Up to date"
    source = TranslationSource.objects.get_for_instance(course)
    frozen = source.content_json

    # A draft of the English page changes nothing yet.
    course = CoursePage.objects.get(pk=course.pk)
    course.title = "Identifying victims of trafficking"
    with django_capture_on_commit_callbacks(execute=True):
        course.save_revision()
    source.refresh_from_db()
    assert source.content_json == frozen
    assert translation.get_status_display() == "Up to date"

    # Publishing it refreshes wagtail-localize's copy of the source (after
    # commit, by a worker): the new title is a string without translation,
    # and the translations report says so, without anybody pressing "Sync
    # translated pages".
    with django_capture_on_commit_callbacks(execute=True):
        course.get_latest_revision().publish()
    source.refresh_from_db()
    assert source.content_json != frozen
    total, done = translation.get_progress()
    assert done == total - 1
    assert translation.get_status_display() == "Waiting for translations"
    report = trainer_client.get(
        reverse("wagtail_localize:translations_report"),
        {"waiting_for_translation": "true"},
    )
    assert report.status_code == 200
    assert "Identifying victims of trafficking" in report.content.decode()

    # "Sync translated pages" (without publishing) still works and finds
    # nothing more to do.
    url = f"/admin/localize/update/{source.pk}/"
    assert trainer_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(url, {})
    assert response.status_code == 302
    assert translation.get_progress() == (total, done)
    # The published Ukrainian page keeps its translation meanwhile.
    course_uk.refresh_from_db()
    assert course_uk.title == f"{PREFIX}Identifying victims"
    po = translation.export_po()
    missing = [e.msgid for e in po if not e.obsolete and not e.msgstr]
    assert missing == ["Identifying victims of trafficking"]
    assert [e.msgid for e in po.obsolete_entries()] == ["Identifying victims"]


def test_pages_and_lessons_are_one_translation_each(translated):
    course, _course_uk = translated
    uk = Locale.objects.get(language_code="uk")
    pages = Page.objects.descendant_of(course, inclusive=True)
    assert Translation.objects.filter(target_locale=uk).count() == pages.count() + 2
    assert LessonPage.objects.filter(locale=uk, live=True).count() == 4
