from django.conf import settings
from django.db import transaction

HOME_TITLE = "Protection Training Platform"
HOME_INTRO = (
    "Free online courses for officials and NGO staff who protect migrants and "
    "victims of trafficking."
)
TRANSLATED_HOME = {
    "ru": {
        "title": "Платформа обучения специалистов по защите",
        "intro": (
            "Бесплатные онлайн-курсы для государственных служащих и сотрудников НКО, "
            "защищающих мигрантов и жертв торговли людьми."
        ),
    }
}


def ensure_site_structure():
    """Locales, the root collection, the page tree root, an English home page
    and the default site."""
    from wagtail.models import Collection, Locale, Page, Site

    from .models import HomePage

    with transaction.atomic():
        for code, _name in settings.LANGUAGES:
            Locale.objects.get_or_create(language_code=code)
        english = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
        if Collection.get_first_root_node() is None:
            Collection.add_root(name="Root")
        root = Page.get_first_root_node()
        if root is None:
            root = Page.add_root(
                instance=Page(title="Root", slug="root", locale=english)
            )
        home = HomePage.objects.filter(locale=english).first()
        if home is None:
            home = root.add_child(
                instance=HomePage(
                    title=HOME_TITLE, slug="home", intro=HOME_INTRO, locale=english
                )
            )
        if not Site.objects.filter(is_default_site=True).exists():
            Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True
            )
        for code, texts in TRANSLATED_HOME.items():
            locale = Locale.objects.get(language_code=code)
            if home.get_translation_or_none(locale) is None:
                translated = home.copy_for_translation(locale)
                translated.title = translated.draft_title = texts["title"]
                translated.intro = texts["intro"]
                translated.save_revision().publish()
    ensure_locale_synchronisation()


def ensure_locale_synchronisation():
    """Every content language other than English keeps its page tree in step
    with the English one (wagtail-localize's LocaleSynchronization): a page a
    trainer creates in English gets an untranslated placeholder (an alias,
    kept a draft by ``courses.receivers``) in the other content languages.
    This replaces simple_translation's WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE,
    which synchronised into every locale."""
    from django.apps import apps
    from wagtail.coreutils import get_content_languages
    from wagtail.models import Locale

    if not apps.is_installed("wagtail_localize"):
        return
    from wagtail_localize.models import LocaleSynchronization

    english = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    if english is None:
        return
    for locale in Locale.objects.filter(
        language_code__in=list(get_content_languages())
    ).exclude(pk=english.pk):
        LocaleSynchronization.objects.get_or_create(
            locale=locale, defaults={"sync_from": english}
        )
