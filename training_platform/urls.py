import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path, reverse
from django.views.generic import RedirectView
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from certificates import views as certificate_views

from . import media, routing, views


class AdminLoginRedirect(RedirectView):
    """The Wagtail admin signs in through allauth, so its rate limits and MFA
    apply there too (G03)."""

    query_string = True

    def get_redirect_url(self, *args, **kwargs):
        url = reverse("account_login")
        query = self.request.META.get("QUERY_STRING", "")
        return f"{url}?{query}" if query else url


urlpatterns = [
    path("admin/login/", AdminLoginRedirect.as_view(), name="admin_login_redirect"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("language/", views.switch_language, name="switch_language"),
    path("healthz/", views.health, name="health"),
    path("h5p/", include("courses.h5p.urls")),
    path(".well-known/did.json", certificate_views.did_document, name="did_document"),
    path(
        "credentials/status/<int:number>",
        certificate_views.status_list_credential,
        name="certificate_status_list",
    ),
]

urlpatterns += i18n_patterns(
    path("accounts/profile/", include("training_platform.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("my/", include("training_platform.home.urls")),
    path("notifications/", include("training_platform.notifications.urls")),
    path("coordinator/enrolments/", include("courses.coordinator.urls")),
    path("coordinator/", include("training_platform.reports.urls")),
    path("assessments/", include("assessments.urls")),
    path("workshops/", include("workshops.urls")),
    path("surveys/", include("surveys.urls")),
    path("verify/", include("certificates.urls_public")),
    path("certificates/", include("certificates.urls")),
    # Wagtail's pages, routed in one query (see training_platform.routing)
    path("", include(routing)),
    prefix_default_language=True,
)

# Uploads on this host's MEDIA_URL: only image renditions are public, with or
# without DEBUG; object storage (an absolute MEDIA_URL) serves them itself.
if settings.MEDIA_URL.startswith("/"):
    urlpatterns.insert(
        0,
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}"
            rf"(?P<path>(?:{'|'.join(map(re.escape, media.PUBLIC_PREFIXES))}).+)$",
            media.public_media,
            name="public_media",
        ),
    )
