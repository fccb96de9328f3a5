"""The course catalogue every installation needs: a ``CourseIndexPage`` under
the home page in English and in every other content language (a Wagtail
translation, its words from the interface catalogues), and the page
permissions of trainers and administrators on it. Idempotent; runs after every
``migrate`` and ``flush``."""

from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_noop

from training_platform.accounts import roles
from training_platform.home.reference_data import in_language, other_content_locales

INDEX_TITLE = gettext_noop("Courses")
INDEX_INTRO = gettext_noop(
    "Free online courses for officials and NGO staff. Search or filter by "
    "topic, language, level and duration."
)
TRAINER_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
)
ADMINISTRATOR_PAGE_PERMISSIONS = (*TRAINER_PAGE_PERMISSIONS, "bulk_delete_page")


def _publish(page):
    page.save_revision().publish()
    return page


def _translate_index(page, code):
    page.title = page.draft_title = in_language(INDEX_TITLE, code)
    page.intro = format_html("<p>{}</p>", in_language(INDEX_INTRO, code))
    page.save()
    _publish(page)


def ensure_course_catalogue():
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission, Locale

    from training_platform.home.models import HomePage

    from .models import CourseIndexPage

    english = Locale.objects.filter(language_code="en").first()
    home = HomePage.objects.filter(locale=english).first() if english else None
    if home is None:
        return
    with transaction.atomic():
        index = CourseIndexPage.objects.filter(locale=english).first()
        if index is None:
            index = home.add_child(
                instance=CourseIndexPage(
                    title=INDEX_TITLE,
                    slug="courses",
                    intro=format_html("<p>{}</p>", INDEX_INTRO),
                    locale=english,
                )
            )
            _publish(index)
        indexes = [index]
        for locale in other_content_locales():
            # The home app creates the translated home pages; each catalogue
            # translation lives under its own. A placeholder that wagtail-
            # localize's synchronisation made (an alias of the English page)
            # becomes the translation.
            translated = index.get_translation_or_none(locale)
            if translated is None and home.get_translation_or_none(locale):
                translated = index.copy_for_translation(locale)
                _translate_index(translated, locale.language_code)
            elif translated is not None and translated.alias_of_id is not None:
                translated = translated.specific
                translated.alias_of = None
                _translate_index(translated, locale.language_code)
            if translated is not None:
                indexes.append(translated)
        grants = {
            roles.TRAINERS: TRAINER_PAGE_PERMISSIONS,
            roles.ADMINISTRATORS: ADMINISTRATOR_PAGE_PERMISSIONS,
        }
        for role, codenames in grants.items():
            group = Group.objects.filter(name=role).first()
            if group is None:
                continue
            for permission in Permission.objects.filter(
                content_type__app_label="wagtailcore", codename__in=codenames
            ):
                for page in indexes:
                    GroupPagePermission.objects.get_or_create(
                        group=group, page=page, permission=permission
                    )
