"""The interface catalogues: where they are, which of their entries are on
the learner's road, and how complete each language is.

The learner's road is what a learner sees from sign-up to the certificate's
verification: every entry with at least one use outside the staff's pages
(the admin, the coordinator's pages and reports, the trainer's register)."""

from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUE_DIRS = (
    "training_platform",
    "courses",
    "assessments",
    "workshops",
    "certificates",
    "surveys",
)

# Source files only staff see; an entry used only in these is off the road.
STAFF_ONLY = (
    "*/admin_views.py",
    "*/admin_forms.py",
    "*/readiness.py",
    "*/wagtail_hooks.py",
    "*/panels.py",
    "*/apps.py",
    "*/importers.py",
    "*/roles.py",
    "*/management/*",
    "*/templates/wagtailusers/*",
    "*/templates/*/admin/*",
    "courses/bulk.py",
    "courses/outline.py",
    "courses/coordinator/*",
    "courses/templates/courses/coordinator/*",
    "courses/h5p/validation.py",
    "courses/h5p/approvals.py",
    "courses/h5p/forms.py",
    "courses/blocks.py",
    "courses/h5p/blocks.py",
    "certificates/rendering.py",
    "training_platform/reports/*",
    "training_platform/notifications/models.py",
    "workshops/bulk.py",
    "surveys/models.py",
    "workshops/forms.py",
    "workshops/templates/workshops/register.html",
    "workshops/templates/workshops/walk_in.html",
    "workshops/templates/workshops/qr.html",
    "workshops/templates/workshops/paper_results.html",
    "workshops/templates/workshops/bulk_register.html",
)


def locale_dir(language_code: str) -> str:
    """``sr-latn`` -> ``sr_Latn``, as gettext names the directories."""
    from django.utils.translation import to_locale

    return to_locale(language_code)


def catalogue_paths(language_code: str) -> list[Path]:
    name = locale_dir(language_code)
    return sorted(
        path
        for directory in CATALOGUE_DIRS
        for path in (ROOT / directory).rglob(f"locale/{name}/LC_MESSAGES/django.po")
    )


def on_the_road(entry) -> bool:
    return any(
        not any(fnmatch(path, pattern) for pattern in STAFF_ONLY)
        for path, _line in entry.occurrences
    )


@dataclass
class Status:
    code: str
    name: str
    entries: int = 0
    translated: int = 0
    road: int = 0
    road_translated: int = 0

    @staticmethod
    def _percent(part, whole):
        return round(100 * part / whole, 1) if whole else 100.0

    @property
    def percent(self):
        return self._percent(self.translated, self.entries)

    @property
    def road_percent(self):
        return self._percent(self.road_translated, self.road)


def _done(entry) -> bool:
    return entry.translated() and "fuzzy" not in entry.flags


def status(language_code: str) -> Status:
    import polib

    names = dict(settings.ALL_LANGUAGES)
    result = Status(language_code, names.get(language_code, language_code))
    for path in catalogue_paths(language_code):
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            done = _done(entry)
            result.entries += 1
            result.translated += done
            if on_the_road(entry):
                result.road += 1
                result.road_translated += done
    return result


def missing_on_the_road(language_code: str) -> list[tuple[Path, str]]:
    """(catalogue, msgid) of every road entry untranslated or fuzzy."""
    import polib

    missing = []
    for path in catalogue_paths(language_code):
        for entry in polib.pofile(str(path)):
            if not entry.obsolete and on_the_road(entry) and not _done(entry):
                missing.append((path, entry.msgid))
    return missing


# ---------------------------------------------------------------- Serbian

_CYRILLIC = dict(
    zip(
        "АБВГДЂЕЖЗИЈКЛМНОПРСТЋУФХЦЧШабвгдђежзијклмнопрстћуфхцчш",
        "ABVGDĐEŽZIJKLMNOPRSTĆUFHCČŠabvgdđežzijklmnoprstćufhcčš",
        strict=True,
    )
)
_DIGRAPHS = {"Љ": "Lj", "Њ": "Nj", "Џ": "Dž", "љ": "lj", "њ": "nj", "џ": "dž"}
# Placeholders, HTML tags and entities stay as they are.
_KEEP = r"(%\([^)]*\)[a-zA-Z]|%[a-zA-Z%]|\{[^{}]*\}|<[^>]*>|&[#a-zA-Z0-9]+;)"


def serbian_latin(text: str) -> str:
    """Serbian Cyrillic to Latin, letter by letter (the standard 1:1
    correspondence; Љ, Њ and Џ become Lj, Nj and Dž, or LJ, NJ and DŽ in a
    word written in capitals)."""
    import re

    def convert(chunk):
        out = []
        for index, char in enumerate(chunk):
            if char in _DIGRAPHS:
                latin = _DIGRAPHS[char]
                following = chunk[index + 1 : index + 2]
                if char.isupper() and following.isupper():
                    latin = latin.upper()
                out.append(latin)
            else:
                out.append(_CYRILLIC.get(char, char))
        return "".join(out)

    parts = re.split(_KEEP, text)
    return "".join(
        part if index % 2 else convert(part) for index, part in enumerate(parts)
    )


def serbian_latin_catalogues() -> int:
    """Write the ``sr_Latn`` catalogues from the ``sr`` (Cyrillic) ones;
    returns the number of entries written."""
    import polib

    written = 0
    for source in catalogue_paths("sr"):
        target = Path(str(source).replace("/locale/sr/", "/locale/sr_Latn/"))
        if not target.exists():
            continue
        cyrillic = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(source))}
        latin = polib.pofile(str(target))
        for entry in latin:
            original = cyrillic.get((entry.msgctxt, entry.msgid))
            if original is None:
                continue
            entry.msgstr = serbian_latin(original.msgstr)
            if entry.msgid_plural:
                entry.msgstr_plural = {
                    k: serbian_latin(v) for k, v in original.msgstr_plural.items()
                }
            entry.flags = list(original.flags)
            written += 1
        latin.save(str(target))
    return written
