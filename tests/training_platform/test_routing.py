"""Pages are routed in one query (issue 12) to the same result as Wagtail's
own tree walk: every page of a course, a draft module hiding its lessons,
unknown slugs and a routable page's sub-URL."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Page, Site

from courses.factories import build_course, translate_tree
from training_platform import routing

pytestmark = pytest.mark.django_db


def described(result):
    page, args, kwargs = result
    return (page.pk, tuple(getattr(a, "__name__", a) for a in args), kwargs)


def wagtail_route(request, path):
    site = Site.find_for_request(request)
    components = [c for c in path.split("/") if c]
    try:
        result = site.root_page.localized.specific.route(request, components)
    except Http404:
        return None
    return described(result)


FAST = []


def fast_route(request, path):
    """What ``routing.serve`` routes to: its own result, or Wagtail's walk
    when it hands over."""
    result = routing.fast_route(request, path)
    if result is routing._NOT_FOUND:
        return wagtail_route(request, path)
    FAST.append(path)
    return None if result is None else described(result)


def paths_of(course):
    for page in [course, *course.get_descendants().order_by("path")]:
        url = page.get_url()
        path = url.split("/", 2)[2] if url else ""
        yield page, path


def test_fast_routing_finds_what_wagtail_finds():
    course = build_course(modules=2, lessons=2, title="Routing")
    translate_tree(course, "ru")
    draft_module = course.get_children().last().specific
    draft_module.unpublish()
    request = RequestFactory().get("/")
    checked = 0
    for language in ("en", "ru"):
        with translation.override(language):
            for page in Page.objects.type(type(course)).filter(
                translation_key=course.translation_key
            ):
                for _page, path in paths_of(page.specific):
                    for variant in (path, path + "enrol/", path + "nope/"):
                        fresh = RequestFactory().get("/" + variant)
                        expected = wagtail_route(fresh, variant)
                        fresh = RequestFactory().get("/" + variant)
                        assert fast_route(fresh, variant) == expected, variant
                        checked += 1
    assert checked > 20
    # Most URLs are answered by the fast path itself.
    assert len(FAST) >= checked // 2
    # A lesson under the unpublished module is not served.
    lesson = draft_module.get_children().first()
    path = lesson.get_url().split("/", 2)[2]
    with translation.override("en"):
        assert wagtail_route(request, path) is None
        result = routing.fast_route(RequestFactory().get("/"), path)
        assert result is None or result is routing._NOT_FOUND
