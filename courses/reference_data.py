"""The course catalogue every installation needs: a ``CourseIndexPage`` under
the home page in English and in Russian (a Wagtail translation), and the page
permissions of trainers and administrators on it. Idempotent; runs after every
``migrate`` and ``flush``."""

from django.db import transaction

from training_platform.accounts import roles

INDEX = {
    "en": {
        "title": "Courses",
        "intro": "<p>Free online courses for officials and NGO staff. Search or "
        "filter by topic, language, level and duration.</p>",
    },
    "ru": {
        "title": "Курсы",
        "intro": "<p>Бесплатные онлайн-курсы для государственных служащих и "
        "сотрудников НКО. Ищите по названию или выбирайте по теме, языку, "
        "уровню и продолжительности.</p>",
    },
}
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
                    title=INDEX["en"]["title"],
                    slug="courses",
                    intro=INDEX["en"]["intro"],
                    locale=english,
                )
            )
            _publish(index)
        indexes = [index]
        russian = Locale.objects.filter(language_code="ru").first()
        if russian is not None:
            # The home app creates the Russian home page; the catalogue's
            # translation lives under it.
            index_ru = index.get_translation_or_none(russian)
            if index_ru is None and home.get_translation_or_none(russian):
                index_ru = index.copy_for_translation(russian)
                index_ru.title = INDEX["ru"]["title"]
                index_ru.intro = INDEX["ru"]["intro"]
                _publish(index_ru)
            if index_ru is not None:
                indexes.append(index_ru)
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
