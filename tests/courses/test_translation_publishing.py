"""A course published in English does not go live in Russian: the Russian
copy Wagtail keeps in the Russian tree stays a draft, and the catalogues list
the course in Russian only once a trainer has published its translation."""

import re

import pytest
from wagtail.models import Locale, Page

from courses.factories import build_course, course_index
from courses.models import CoursePage, LessonPage
from tests.courses.admin_forms import page_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_client(client, trainer, mfa):
    mfa(trainer)
    client.force_login(trainer)
    return client


def _publish_new_course_in_english(client, title):
    index = course_index("en")
    url = f"/admin/pages/add/courses/coursepage/{index.pk}/"
    data = page_form_data(
        client,
        url,
        title=title,
        slug="referral-mechanisms",
        summary="How to refer a presumed victim.",
        objectives=(
            '{"blocks": [{"key": "a1", "type": "unstyled", "depth": 0, '
            '"text": "Refer a presumed victim", "inlineStyleRanges": [], '
            '"entityRanges": []}], "entityMap": {}}'
        ),
        estimated_hours="2",
        **{"action-publish": "action-publish"},
    )
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    return CoursePage.objects.get(locale__language_code="en", title=title)


def _errors(response):
    form = response.context["form"]
    return form.errors, {
        name: formset.errors for name, formset in form.formsets.items()
    }


def _card_languages(html, title):
    """The languages the catalogue card of ``title`` announces."""
    card = html.split(f">{title}</a>", 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<span lang="[a-z-]+">([^<]+)</span>', card)


def _catalogue(client, catalogue, **query):
    index = course_index(catalogue)
    response = client.get(index.url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_publishing_an_english_course_leaves_the_russian_copy_a_draft(
    trainer_client, client
):
    """The untranslated Russian copy is neither in the Russian catalogue nor
    reachable at its URL (E05)."""
    english = _publish_new_course_in_english(trainer_client, "Referral mechanisms")
    assert english.live
    russian = english.get_translation(Locale.objects.get(language_code="ru"))

    client.logout()
    english_catalogue = _catalogue(client, "en")
    assert _card_languages(english_catalogue, "Referral mechanisms") == ["English"]
    assert "Referral mechanisms" not in _catalogue(client, "ru", language="ru")
    assert client.get(russian.url).status_code == 404

    russian.refresh_from_db()
    assert not russian.live
    assert not CoursePage.objects.live().filter(
        locale__language_code="ru", translation_key=english.translation_key
    )


def test_the_russian_course_goes_live_when_a_trainer_publishes_it(
    trainer_client, client
):
    english = _publish_new_course_in_english(trainer_client, "Referral mechanisms")
    russian = english.get_translation(Locale.objects.get(language_code="ru"))

    response = trainer_client.post(f"/admin/pages/{russian.pk}/convert_alias/")
    assert response.status_code == 302
    russian.refresh_from_db()
    assert russian.alias_of_id is None
    assert not russian.live

    url = f"/admin/pages/{russian.pk}/edit/"
    data = page_form_data(
        trainer_client,
        url,
        title="Механизмы перенаправления",
        **{"action-publish": "action-publish"},
    )
    response = trainer_client.post(url, data)
    assert response.status_code == 302, _errors(response)
    russian.refresh_from_db()
    assert russian.live

    trainer_client.logout()
    russian_catalogue = _catalogue(client, "ru", language="ru")
    assert _card_languages(russian_catalogue, "Механизмы перенаправления") == [
        "English",
        "Русский",
    ]


def test_republishing_the_english_course_keeps_the_russian_copy_a_draft(
    trainer_client,
):
    english = _publish_new_course_in_english(trainer_client, "Referral mechanisms")
    url = f"/admin/pages/{english.pk}/edit/"
    data = page_form_data(
        trainer_client,
        url,
        title="Referral mechanisms (2nd edition)",
        **{"action-publish": "action-publish"},
    )
    assert trainer_client.post(url, data).status_code == 302

    russian = english.get_translation(Locale.objects.get(language_code="ru"))
    assert russian.title == "Referral mechanisms (2nd edition)"
    assert not russian.live


def test_translating_a_lesson_does_not_put_its_untranslated_parents_live(
    trainer,
):
    """copy_for_translation(copy_parents=True) creates the Russian course and
    module as copies of the English ones: they stay drafts."""
    course = build_course(modules=1, lessons=1, title="Labour migration")
    lesson = LessonPage.objects.descendant_of(course).get()
    russian = Locale.objects.get(language_code="ru")

    copy = lesson.copy_for_translation(russian, copy_parents=True)

    assert not copy.live
    parents = Page.objects.ancestor_of(copy).filter(locale=russian)
    untranslated = parents.filter(alias_of__isnull=False)
    assert untranslated.count() == 2
    assert not untranslated.filter(live=True).exists()


def test_the_migration_unpublishes_untranslated_copies_that_went_live():
    """Copies published before the fix leave the Russian catalogue on
    migrate; real translations and same-language aliases are kept."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("courses.migrations.0004_untranslated_copies_are_drafts")
    russian = Locale.objects.get(language_code="ru")
    course = build_course(modules=1, lessons=1, title="Labour migration")
    translated = build_course(modules=1, lessons=1, title="Trafficking basics")
    translated_ru = translated.copy_for_translation(russian)
    translated_ru.save_revision().publish()
    copy = course.copy_for_translation(russian, alias=True)
    same_language_alias = course.create_alias(
        parent=course_index("en"), update_slug="labour-migration-again"
    )
    Page.objects.filter(pk=copy.pk).update(live=True, has_unpublished_changes=False)
    assert CoursePage.objects.live().filter(locale=russian).count() == 2

    migration.unpublish_untranslated_copies(apps, None)

    assert list(CoursePage.objects.live().filter(locale=russian)) == [translated_ru]
    assert Page.objects.get(pk=same_language_alias.pk).live
