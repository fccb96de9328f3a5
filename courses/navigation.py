"""The "Courses" navigation item and the "My learning" section."""

from django.utils import translation


def catalogue_url(request):
    """URL of the catalogue in the active language (in the content cache,
    which any change to a page invalidates)."""
    from training_platform import content_cache

    language = translation.get_language() or "en"

    def build():
        from .models import CourseIndexPage

        pages = list(
            CourseIndexPage.objects.live().select_related("locale").order_by("id")
        )
        page = next(
            (p for p in pages if p.locale.language_code == language),
            pages[0] if pages else None,
        )
        return (page.get_url(request) if page else "") or ""

    host = request.get_host() if request is not None else ""
    key = content_cache.content_key("catalogue-url", language, host)
    return content_cache.cached(key, build) or None


def dashboard_section_context(request):
    if not request.user.is_authenticated:
        return None
    from .selectors import learner_dashboard

    groups = learner_dashboard(user=request.user, request=request)
    return {**groups, "catalogue_url": catalogue_url(request)}
