"""Public verification pages, under /<language>/verify/. The printed link and
the QR code carry /verify/<code> without a language; the locale middleware
redirects it to the reader's language."""

from django.urls import path, re_path

from . import views
from .codes import URL_PATTERN

app_name = "certificates_public"

urlpatterns = [
    path("", views.verify, name="verify"),
    path("credential/", views.check_credential, name="check_credential"),
    re_path(
        rf"^(?P<code>{URL_PATTERN})/credential\.json$",
        views.credential,
        name="credential",
    ),
    re_path(rf"^(?P<code>{URL_PATTERN})/?$", views.verify_detail, name="detail"),
]
