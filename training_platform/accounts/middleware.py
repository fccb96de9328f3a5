from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .roles import is_staff_member


def path_without_language(path: str) -> str:
    language = translation.get_language_from_path(path)
    if language and path.startswith(f"/{language}/"):
        return path[len(language) + 1 :]
    return path


class UserLanguageMiddleware:
    """After login, switch to the user's preferred language for this and later
    requests by setting the language cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and "apply_language" in session:
            language = session.pop("apply_language")
            if language in dict(settings.LANGUAGES):
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    language,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                )
        return response


class StaffMFAMiddleware:
    """Trainers, coordinators and administrators must have MFA before they reach
    the Wagtail admin or the coordinator pages. A staff member without it is sent
    to set up an authenticator app; learners are never asked."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(settings.MFA_REQUIRED_PATH_PREFIXES)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and path_without_language(request.path).startswith(self.prefixes)
            and is_staff_member(user)
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                _(
                    "Your role gives access to personal data, so your account "
                    "needs two-factor authentication. Set up an authenticator app "
                    "to continue."
                ),
            )
            url = reverse("mfa_activate_totp")
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class ConsentMiddleware:
    """When the privacy notice changes (``PRIVACY_POLICY_VERSION``), a person
    who accepted an earlier version accepts the new one before going on: a
    page they open sends them to the consent page first. Only page views
    (GET, HTML) are sent there; the player's statements, forms already on
    screen and the account pages (sign-out, two-factor) go through."""

    EXEMPT = ("/accounts/", "/static/", "/media/", "/h5p/", "/verify/", "/health")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.method == "GET"
            and user is not None
            and user.is_authenticated
            and user.consent_version
            and user.consent_version != settings.PRIVACY_POLICY_VERSION
            and "html" in request.headers.get("Accept", "text/html")
            and not path_without_language(request.path).startswith(self.EXEMPT)
        ):
            url = reverse("accounts:consent")
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
