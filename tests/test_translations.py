"""English and Russian ship complete: every catalogue of the project is fully
translated, and its compiled file says the same as its source."""

import gettext
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    path
    for directory in ("training_platform", "courses", "assessments", "certificates")
    for path in (ROOT / directory).rglob("locale/ru/LC_MESSAGES/django.po")
)


def test_every_app_has_a_russian_catalogue():
    apps = {path.parts[len(ROOT.parts) : -4] for path in CATALOGUES}
    for expected in [
        ("training_platform",),
        ("training_platform", "accounts"),
        ("training_platform", "home"),
        ("training_platform", "reports"),
        ("courses",),
        ("courses", "h5p"),
        ("assessments",),
        ("certificates",),
    ]:
        assert expected in apps


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete_and_compiled(path):
    catalogue = polib.pofile(str(path))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    compiled = gettext.GNUTranslations(path.with_suffix(".mo").open("rb"))
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            assert (
                compiled.ngettext(entry.msgid, entry.msgid_plural, 5)
                == (entry.msgstr_plural[2])
            ), entry.msgid
        elif not entry.msgctxt:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


RUSSIAN_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_uses_the_standard_russian_plural_forms(path):
    catalogue = polib.pofile(str(path))
    assert catalogue.metadata["Plural-Forms"] == RUSSIAN_PLURAL_FORMS
    compiled = gettext.GNUTranslations(path.with_suffix(".mo").open("rb"))
    assert compiled.plural(14) == 2


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 урок"),
        (2, "2 урока"),
        (4, "4 урока"),
        (5, "5 уроков"),
        (11, "11 уроков"),
        (12, "12 уроков"),
        (14, "14 уроков"),
        (21, "21 урок"),
        (22, "22 урока"),
        (111, "111 уроков"),
        (114, "114 уроков"),
        (122, "122 урока"),
    ],
)
def test_russian_lesson_count_takes_the_right_plural(count, expected):
    from django.utils import translation

    with translation.override("ru"):
        text = translation.ngettext(
            "%(counter)s lesson", "%(counter)s lessons", count
        ) % {"counter": count}
    assert text == expected


# ---------------------------------------------------------------- the region


def test_every_language_of_the_region_has_its_catalogues():
    from django.conf import settings

    from training_platform import catalogues

    russian = {p.parts[len(ROOT.parts) : -4] for p in catalogues.catalogue_paths("ru")}
    for code, _name in settings.ALL_LANGUAGES[1:]:
        paths = catalogues.catalogue_paths(code)
        assert {p.parts[len(ROOT.parts) : -4] for p in paths} == russian, code


def _complete_languages():
    from django.conf import settings

    return [code for code in settings.COMPLETE_LANGUAGES if code != "en"]


@pytest.mark.parametrize("code", _complete_languages())
def test_the_learners_road_is_translated_in_every_language_marked_complete(code):
    """No untranslated or fuzzy entry on the learner's road."""
    from training_platform import catalogues

    missing = catalogues.missing_on_the_road(code)
    assert [msgid for _path, msgid in missing] == []


@pytest.mark.parametrize("code", _complete_languages())
def test_compiled_catalogues_match_their_sources(code):
    from training_platform import catalogues

    for path in catalogues.catalogue_paths(code):
        compiled = gettext.GNUTranslations(path.with_suffix(".mo").open("rb"))
        for entry in polib.pofile(str(path)).translated_entries():
            if not entry.msgid_plural and not entry.msgctxt:
                assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_serbian_latin_is_the_cyrillic_transliterated():
    from training_platform import catalogues

    assert (
        catalogues.serbian_latin("Љубав, ЊЕГОШ и џеп: %(count)s <b>курс</b> {name}")
        == "Ljubav, NJEGOŠ i džep: %(count)s <b>kurs</b> {name}"
    )
    for source in catalogues.catalogue_paths("sr"):
        latin = str(source).replace("/locale/sr/", "/locale/sr_Latn/")
        cyrillic = {e.msgid: e.msgstr for e in polib.pofile(str(source))}
        for entry in polib.pofile(latin):
            if entry.msgid in cyrillic and not entry.msgid_plural:
                assert entry.msgstr == catalogues.serbian_latin(
                    cyrillic[entry.msgid]
                ), entry.msgid


@pytest.mark.django_db
def test_country_names_follow_the_interface_language():
    from django.utils import translation

    from training_platform.accounts.models import Country

    ukraine = Country.objects.get(code="UA")
    expected = {
        "en": "Ukraine",
        "ru": "Украина",
        "uk": "Україна",
        "sr": "Украјина",
        "sr-latn": "Ukrajina",
        "ka": "უკრაინა",
        "sq": "Ukraina",
        "hy": "Ukraine",  # not translated yet: English
    }
    for language, name in expected.items():
        with translation.override(language):
            assert str(ukraine) == name, language
