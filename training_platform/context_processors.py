from django.conf import settings

from training_platform.accounts import roles


def platform(request):
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "EMBEDDED_MODE": not settings.PRODUCTION,
        "nav_is_coordinator": authenticated
        and (roles.is_coordinator(user) or roles.is_administrator(user)),
        "nav_can_access_admin": authenticated
        and user.has_perm("wagtailadmin.access_admin"),
    }
