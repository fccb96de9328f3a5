from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from training_platform.home.registry import nav_items

# The default site name, translated when it is not overridden by SITE_NAME.
gettext_noop("Protection Training Platform")


def platform(request):
    return {
        "SITE_NAME": gettext(settings.WAGTAIL_SITE_NAME),
        "EMBEDDED_MODE": not settings.PRODUCTION,
        "nav_items": nav_items(request) if hasattr(request, "user") else [],
    }
