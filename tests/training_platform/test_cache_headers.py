"""Cache headers of the site's pages (issue 12): a page with anything of one
visitor in it (their name, a CSRF token, a message, a cookie) is never kept by
a shared cache; only pages the same for every visitor may be kept, briefly."""

import pytest
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

pytestmark = pytest.mark.django_db


def directives(response):
    return {
        part.strip().split("=")[0]: part.strip()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    }


def assert_private(response):
    cache = directives(response)
    assert "private" in cache
    assert "public" not in cache
    assert "no-cache" in cache or cache.get("max-age") == "max-age=0"


def test_signed_in_pages_are_private_and_revalidated(client, learner):
    client.force_login(learner)
    for url in ("/en/", "/en/my/", "/en/accounts/profile/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert learner.get_short_name() in response.text
        assert_private(response)


def test_anonymous_pages_with_a_csrf_token_are_private():
    """Every page of the site has the language switcher's form: the token in
    it belongs to one browser, so a shared cache must not hand it to others."""
    client = Client()
    for url in ("/en/", "/en/accounts/login/"):
        response = client.get(url)
        assert response.status_code == 200
        assert 'name="csrfmiddlewaretoken"' in response.text
        assert_private(response)


def test_anonymous_page_showing_a_message_is_private():
    from django.contrib import messages

    def view(request):
        messages.info(request, "Only for you")
        return HttpResponse("page")

    response = _through_middleware(view)
    assert_private(response)


def _through_middleware(view, *, cookies=None):
    from training_platform.middleware import CacheControlMiddleware

    request = RequestFactory().get("/en/somewhere/")
    request.COOKIES.update(cookies or {})

    def inner(request):
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        return view(request)

    handler = SessionMiddleware(MessageMiddleware(inner))
    return CacheControlMiddleware(lambda request: handler(request))(request)


def test_anonymous_page_that_is_the_same_for_everybody_may_be_kept_briefly():
    response = _through_middleware(lambda request: HttpResponse("the same"))
    cache = directives(response)
    assert "public" in cache
    assert 0 < int(cache["max-age"].split("=")[1]) <= 300
    assert "private" not in cache


def test_anonymous_page_with_a_csrf_token_or_a_session_is_private():
    def with_token(request):
        get_token(request)
        return HttpResponse("form")

    assert_private(_through_middleware(with_token))
    assert_private(
        _through_middleware(
            lambda request: HttpResponse("x"), cookies={"sessionid": "abc"}
        )
    )


def test_a_views_own_cache_header_is_kept():
    def view(request):
        response = HttpResponse("status list")
        response["Cache-Control"] = "max-age=300"
        return response

    assert _through_middleware(view)["Cache-Control"] == "max-age=300"
