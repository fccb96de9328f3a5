from django import template
from django.conf import settings
from wagtail.models import Locale, Page

from training_platform import content_cache

register = template.Library()


def _translation_urls(page, request) -> dict:
    """``{language code: (translated, URL of the live translation)}``, kept
    in the cache until a page changes."""

    def build():
        locales = {loc.language_code: loc for loc in Locale.objects.all()}
        translations = {
            t.locale_id: t
            for t in page.get_translations(inclusive=False).filter(live=True)
        }
        urls = {}
        for code, _name in settings.LANGUAGES:
            locale = locales.get(code)
            found = translations.get(locale.pk) if locale is not None else None
            urls[code] = (found is not None, found.get_url(request) if found else None)
        return urls

    host = request.get_host() if request is not None else ""
    key = content_cache.content_key("translations", page.pk, host)
    return content_cache.cached(key, build)


@register.simple_tag(takes_context=True)
def language_options(context):
    """One entry per interface language: code, name, whether it is current, the
    URL to go to and whether that URL is already in the target language."""
    request = context.get("request")
    current = context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE
    page = context.get("page")
    urls = (
        _translation_urls(page, request) if isinstance(page, Page) and page.pk else None
    )
    options = []
    for code, name in settings.LANGUAGES:
        url, translated = (request.get_full_path() if request else "/"), False
        if urls is not None and code != current:
            found, found_url = urls.get(code, (False, None))
            url, translated = (found_url if found else f"/{code}/"), True
        options.append(
            {
                "code": code,
                "name": name,
                "current": code == current,
                "url": url,
                "translated": translated,
            }
        )
    return options
