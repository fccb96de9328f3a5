"""The "Courses" navigation item and the "My learning" section."""

from django.core.cache import cache
from django.utils import translation

CACHE_KEY = "courses:catalogue-url:{language}"
CACHE_SECONDS = 300


def catalogue_url(request):
    """URL of the catalogue in the active language (cached; cleared when a
    catalogue page is published, moved or deleted)."""
    language = translation.get_language() or "en"
    key = CACHE_KEY.format(language=language)
    url = cache.get(key)
    if url is None:
        from .models import CourseIndexPage

        pages = list(
            CourseIndexPage.objects.live().select_related("locale").order_by("id")
        )
        page = next(
            (p for p in pages if p.locale.language_code == language),
            pages[0] if pages else None,
        )
        url = (page.get_url(request) if page else "") or ""
        cache.set(key, url, CACHE_SECONDS)
    return url or None


def forget_catalogue_url(**kwargs):
    from django.conf import settings

    cache.delete_many(
        [CACHE_KEY.format(language=code) for code, _name in settings.LANGUAGES]
    )


def dashboard_section_context(request):
    if not request.user.is_authenticated:
        return None
    from .selectors import learner_dashboard

    groups = learner_dashboard(user=request.user, request=request)
    return {**groups, "catalogue_url": catalogue_url(request)}
