from django import template
from django.conf import settings
from wagtail.models import Locale, Page

register = template.Library()


@register.simple_tag(takes_context=True)
def language_options(context):
    """One entry per interface language: code, name, whether it is current, the
    URL to go to and whether that URL is already in the target language."""
    request = context.get("request")
    current = context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE
    page = context.get("page")
    options = []
    for code, name in settings.LANGUAGES:
        url, translated = (request.get_full_path() if request else "/"), False
        if isinstance(page, Page) and code != current:
            locale = Locale.objects.filter(language_code=code).first()
            translation = page.get_translation_or_none(locale) if locale else None
            if translation is not None and translation.live:
                url, translated = translation.get_url(request), True
            else:
                url, translated = f"/{code}/", True
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
