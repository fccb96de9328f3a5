from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop

# Marked for the catalogues: the home page of every other content language
# starts with these words in its language (a trainer edits them afterwards).
HOME_TITLE = gettext_noop("Protection Training Platform")
HOME_INTRO = gettext_noop(
    "Free online courses for officials and NGO staff who protect migrants and "
    "victims of trafficking."
)


def in_language(text: str, code: str) -> str:
    """``text`` (marked with gettext_noop) in language ``code``, English where
    the catalogue has no translation."""
    with translation.override(code):
        return translation.gettext(text)


def other_content_locales():
    """The Wagtail locales of the content languages other than English."""
    from wagtail.coreutils import get_content_languages
    from wagtail.models import Locale

    return Locale.objects.filter(
        language_code__in=list(get_content_languages())
    ).exclude(language_code=settings.LANGUAGE_CODE)


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
        for locale in other_content_locales():
            if home.get_translation_or_none(locale) is None:
                code = locale.language_code
                translated = home.copy_for_translation(locale)
                translated.title = translated.draft_title = in_language(
                    HOME_TITLE, code
                )
                translated.intro = in_language(HOME_INTRO, code)
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
    from wagtail.models import Locale

    if not apps.is_installed("wagtail_localize"):
        return
    from wagtail_localize.models import LocaleSynchronization

    english = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    if english is None:
        return
    for locale in other_content_locales():
        LocaleSynchronization.objects.get_or_create(
            locale=locale, defaults={"sync_from": english}
        )
