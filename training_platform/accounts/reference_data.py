"""Reference data every installation needs: the region's countries, the role
groups, and whatever later apps register (site root, course index, ...).

The data migrations create it; ``ensure_all`` re-creates whatever is missing
after every ``migrate`` and ``flush`` (post_migrate), so a database emptied by a
test run or by hand is brought back to a working state. Every function here is
idempotent."""

from django.utils.translation import pgettext_lazy

from . import roles

COUNTRIES = [
    # code, English, Russian, sub-region
    ("AL", "Albania", "Албания", "western_balkans"),
    ("AM", "Armenia", "Армения", "south_caucasus"),
    ("AZ", "Azerbaijan", "Азербайджан", "south_caucasus"),
    ("BY", "Belarus", "Беларусь", "eastern_europe"),
    ("BA", "Bosnia and Herzegovina", "Босния и Герцеговина", "western_balkans"),
    ("GE", "Georgia", "Грузия", "south_caucasus"),
    ("KZ", "Kazakhstan", "Казахстан", "central_asia"),
    ("XK", "Kosovo", "Косово", "western_balkans"),
    ("KG", "Kyrgyzstan", "Кыргызстан", "central_asia"),
    ("MD", "Moldova", "Молдова", "eastern_europe"),
    ("ME", "Montenegro", "Черногория", "western_balkans"),
    ("MK", "North Macedonia", "Северная Македония", "western_balkans"),
    ("RS", "Serbia", "Сербия", "western_balkans"),
    ("TJ", "Tajikistan", "Таджикистан", "central_asia"),
    ("TM", "Turkmenistan", "Туркменистан", "central_asia"),
    ("TR", "Türkiye", "Турция", "other"),
    ("UA", "Ukraine", "Украина", "eastern_europe"),
    ("UZ", "Uzbekistan", "Узбекистан", "central_asia"),
]


def country_name(code: str) -> str | None:
    """The region's country ``code`` in the active language (the interface
    catalogues translate them), or None for another country."""
    from django.utils.translation import pgettext

    english = _ENGLISH.get(code)
    return pgettext("country", english) if english else None


_ENGLISH = {code: name for code, name, _ru, _region in COUNTRIES}
# For makemessages: the names above, in the "country" context (never
# evaluated here).
_NAMES = [
    pgettext_lazy("country", "Albania"),
    pgettext_lazy("country", "Armenia"),
    pgettext_lazy("country", "Azerbaijan"),
    pgettext_lazy("country", "Belarus"),
    pgettext_lazy("country", "Bosnia and Herzegovina"),
    pgettext_lazy("country", "Georgia"),
    pgettext_lazy("country", "Kazakhstan"),
    pgettext_lazy("country", "Kosovo"),
    pgettext_lazy("country", "Kyrgyzstan"),
    pgettext_lazy("country", "Moldova"),
    pgettext_lazy("country", "Montenegro"),
    pgettext_lazy("country", "North Macedonia"),
    pgettext_lazy("country", "Serbia"),
    pgettext_lazy("country", "Tajikistan"),
    pgettext_lazy("country", "Turkmenistan"),
    pgettext_lazy("country", "Türkiye"),
    pgettext_lazy("country", "Ukraine"),
    pgettext_lazy("country", "Uzbekistan"),
]


def ensure_countries_and_roles(Country, Group):
    """Takes the model classes so that the data migration can pass its
    historical models."""
    for code, name, name_ru, sub_region in COUNTRIES:
        Country.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_ru": name_ru, "sub_region": sub_region},
        )
    for role in roles.ALL:
        Group.objects.get_or_create(name=role)


_ENSURERS = []


def register(function):
    """Register an idempotent function that creates an app's reference data.
    Functions run in registration order (the apps' ready() order)."""
    if function not in _ENSURERS:
        _ENSURERS.append(function)
    return function


@register
def _countries_and_roles():
    from django.contrib.auth.models import Group

    from .models import Country

    ensure_countries_and_roles(Country, Group)


def ensure_all():
    for function in _ENSURERS:
        function()
