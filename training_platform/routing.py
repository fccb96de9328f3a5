"""Serving Wagtail pages with fewer queries.

Wagtail routes a URL by walking the tree, two queries per level (the child,
then its specific row). ``serve`` finds the page and its ancestors in one
query by their ``url_path``, loads the one specific page, and hands over to
Wagtail's own ``serve`` view (hooks, view restrictions, the page's ``serve``).
Anything it does not recognise with certainty (a page type with its own
routing, a draft on the way, a routable page's sub-URL above the target) is
left to Wagtail's normal routing, so behaviour stays Wagtail's.

The site, the route rows and the specific page are the same for every
visitor: they are kept in the content cache (``content_cache``), which any
change to a page, a site or a locale invalidates, so a learner's page view
usually routes without a query."""

import hashlib
import pickle

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site

from training_platform import content_cache

_PLAIN_ROUTES = {Page.route, RoutablePageMixin.route}
_NOT_FOUND = object()


def _root_path(site):
    """The url_path of the site's home page in the active language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    paths = [p for p in Site.get_site_root_paths() if p.site_id == site.pk]
    for candidate in (language, language.split("-")[0]):
        for root in paths:
            if root.language_code == candidate:
                return root.root_path
    return None


def _route_class(content_type_id):
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return model


def _cached_find_for_request(request):
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    found = content_cache.cached(
        content_cache.content_key("site", hostname, port),
        lambda: (_wagtail_find_for_request(request),),
    )
    return found[0]


def _cached_site_root_paths():
    return content_cache.cached(
        content_cache.content_key("site-root-paths"), _wagtail_site_root_paths
    )


_wagtail_find_for_request = Site._find_for_request
_wagtail_site_root_paths = Site.get_site_root_paths


def install():
    """Wagtail looks up the request's site (a query) and the sites' root
    paths (a round trip to the shared cache) on every request and for every
    page URL without a request. Both are the same for every visitor and
    change only with a site, a locale or a page, which bump the content
    version: they are read from the content cache instead."""
    Site._find_for_request = staticmethod(_cached_find_for_request)
    Site.get_site_root_paths = staticmethod(_cached_site_root_paths)


def _route_rows(prefixes):
    # The longest prefix is the whole path; a digest keeps the key short.
    path = hashlib.blake2b(prefixes[-1].encode(), digest_size=12).hexdigest()
    return content_cache.cached(
        content_cache.content_key("route", path),
        lambda: list(
            Page.objects.filter(url_path__in=prefixes)
            .order_by("depth")
            .values("id", "depth", "live", "content_type_id", "url_path")
        ),
    )


def _specific_page(model, pk):
    """A fresh copy of the page for this request (nothing a request sets on
    it reaches the next one)."""
    data = content_cache.cached(
        content_cache.content_key("page", pk),
        lambda: pickle.dumps(model.objects.get(pk=pk), pickle.HIGHEST_PROTOCOL),
    )
    page = pickle.loads(data)  # noqa: S301 (written by this module only)
    return page


def fast_route(request, path):
    """The route result for ``path``, None when the URL matches no page, or
    ``_NOT_FOUND`` when Wagtail should route it itself."""
    site = Site.find_for_request(request)
    if site is None:
        return _NOT_FOUND
    root_path = _root_path(site)
    if root_path is None:
        return _NOT_FOUND
    components = [c for c in path.split("/") if c]
    prefixes = [root_path] + [
        root_path + "/".join(components[: n + 1]) + "/" for n in range(len(components))
    ]
    rows = _route_rows(prefixes)
    by_path = {row["url_path"]: row for row in rows}
    root = by_path.get(root_path)
    if root is None or not root["live"]:
        # localized() falls back to the default home: let Wagtail decide
        return _NOT_FOUND
    chain = [root]
    for prefix in prefixes[1:]:
        row = by_path.get(prefix)
        if row is None or row["depth"] != chain[-1]["depth"] + 1:
            break
        chain.append(row)
    target = chain[-1]
    remaining = components[len(chain) - 1 :]
    for position, row in enumerate(chain):
        model = _route_class(row["content_type_id"])
        if model is None:
            return _NOT_FOUND
        below = components[position:]
        if row is target:
            break
        hides = getattr(model, "draft_hides_descendants", False)
        if model.route not in _PLAIN_ROUTES and not (hides and row["live"]):
            return _NOT_FOUND
        if issubclass(model, RoutablePageMixin) and below:
            try:
                model.get_resolver().resolve("/" + "/".join(below) + "/")
            except Http404:
                pass
            else:
                return _NOT_FOUND  # a sub-URL of the ancestor wins in Wagtail
    model = _route_class(target["content_type_id"])
    if remaining and not issubclass(model, RoutablePageMixin):
        if model.route not in _PLAIN_ROUTES:
            return _NOT_FOUND
        return None  # no child page with that slug: not found
    if model.route not in _PLAIN_ROUTES and not (
        getattr(model, "draft_hides_descendants", False)
    ):
        return _NOT_FOUND
    try:
        page = _specific_page(model, target["id"])
    except model.DoesNotExist:
        return None
    page._route_chain = [row["id"] for row in chain]
    try:
        return page.route(request, remaining)
    except Http404:
        return None


def serve(request, path):
    if not hasattr(request, "_wagtail_route_for_request"):
        result = fast_route(request, path)
        if result is not _NOT_FOUND:
            request._wagtail_route_for_request = result
    return wagtail_views.serve(request, path)


def _urlpatterns():
    from django.urls import re_path
    from wagtail import urls as wagtail_urls

    patterns = [p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"]
    return [
        *patterns,
        re_path(wagtail_urls.serve_pattern, serve, name="wagtail_serve"),
    ]


urlpatterns = _urlpatterns()
