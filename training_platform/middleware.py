from django.conf import settings
from django.utils.cache import patch_cache_control

from .home.registry import csp_sources

# The site's own pages load scripts, styles, images and fonts from the site
# only. Inline styles are allowed (progress bars set their width inline);
# inline scripts are not. Apps add the frame sources they need (the H5P content
# origin, video providers) through home.registry.register_csp_source.
BASE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "media-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# The Wagtail admin brings its own scripts and previews; it is not covered.
EXEMPT_PREFIXES = ("/admin/",)


def content_security_policy(request) -> str:
    policy = {directive: list(sources) for directive, sources in BASE_POLICY.items()}
    if getattr(request, "is_preview", False):
        # A Wagtail preview (a page, a question) is shown in the editor's own
        # frame, on this site.
        policy["frame-ancestors"] = ["'self'"]
    for directive, sources in csp_sources(request):
        for source in sources:
            if source and source not in policy.setdefault(directive, []):
                policy[directive].append(source)
    return "; ".join(f"{d} {' '.join(s)}" for d, s in policy.items())


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: a Content-Security-Policy on the
    site's HTML pages and a Permissions-Policy. Views that serve untrusted
    content (H5P files, the player) set their own, stricter policy, which is
    kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if (
            "Content-Security-Policy" not in response.headers
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            response["Content-Security-Policy"] = content_security_policy(request)
        return response


ADMIN_PREFIX = "/admin/"


class AdminAccessMiddleware:
    """A signed-in user without Wagtail admin access gets a "no access" page.

    Wagtail sends such a user to the login page, and the login page sends a
    signed-in user back to ``next`` (the admin): an endless loop. Anonymous
    visitors are left to Wagtail, which asks them to sign in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.path.startswith(ADMIN_PREFIX)
            and user is not None
            and user.is_authenticated
            and not user.has_perm("wagtailadmin.access_admin")
        ):
            from .views import admin_no_access

            return admin_no_access(request)
        return self.get_response(request)


# Pages the same for every visitor may be kept this long by browsers and
# shared caches; a publish shows everywhere within it.
PUBLIC_PAGE_MAX_AGE = 60


def _personal(request, response):
    """Whether the response holds anything of this visitor: their account, a
    CSRF token (bound to their cookie), a message, a cookie or a session."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies:
        return True
    storage = getattr(request, "_messages", None)
    if storage is not None and len(storage):
        return True
    session = getattr(request, "session", None)
    return settings.SESSION_COOKIE_NAME in request.COOKIES or bool(
        session is not None and session.modified
    )


class CacheControlMiddleware:
    """Cache headers for responses that set none: anything personal is
    ``private, no-cache`` (the browser may keep it but asks again before use;
    no shared cache stores it); a successful GET that is the same for every
    visitor may be kept for ``PUBLIC_PAGE_MAX_AGE``. Views that choose their
    own header (files, the H5P player, the status list) keep it. Place it
    right after the session middleware, so that the cookies the later ones set
    are seen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not _personal(request, response)
        ):
            patch_cache_control(response, public=True, max_age=PUBLIC_PAGE_MAX_AGE)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response
