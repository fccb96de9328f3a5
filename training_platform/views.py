from django.conf import settings
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST


def safe_next(request, candidate: str | None, default: str = "/") -> str:
    """``candidate`` if it is a path on this site, else ``default`` (G01)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return candidate
    return default


@require_POST
def switch_language(request):
    """Switch the interface language. The form sends the URL of the same page in
    the chosen language when there is one (Wagtail translations); other pages are
    translated by their URL prefix. A signed-in user's preference is kept."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    home = f"/{language}/"
    target = safe_next(request, request.POST.get("next"), default=home)
    if not request.POST.get("translated"):
        target = translate_url(target, language)
        if target == "/":
            target = home
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    user = request.user
    if user.is_authenticated and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return response


@never_cache
def health(request):
    """Liveness and database check for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def no_access(request, *, title, message, links, status=403):
    """A page that says why something is refused and where to go instead.
    ``links`` are ``(url, label)`` pairs."""
    return render(
        request,
        "no_access.html",
        {"title": title, "message": message, "links": links},
        status=status,
    )


def admin_no_access(request):
    return no_access(
        request,
        title=_("You have no access to the administration area"),
        message=_(
            "You are signed in as %(email)s. The administration area is for "
            "trainers, coordinators and administrators. If your work needs it, "
            "ask an administrator of the platform to give your account a role."
        )
        % {"email": request.user.email},
        links=[(reverse("home:dashboard"), _("Go to My learning"))],
    )
