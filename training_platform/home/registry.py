"""Extension points of the site shell. Apps register the links they add to the
main navigation and the sections they add to "My learning" in their
AppConfig.ready(), so the shell never imports the apps above it."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    order: int
    label: str  # a lazy translation
    url: Callable  # request -> str | None (None hides the item)
    name: str


@dataclass(frozen=True)
class DashboardSection:
    order: int
    template: str
    context: Callable  # request -> dict | None (None hides the section)
    name: str


_NAV: dict[str, NavItem] = {}
_SECTIONS: dict[str, DashboardSection] = {}
_CSP: dict[str, tuple[str, Callable]] = {}


def register_nav_item(*, name, order, label, url):
    _NAV[name] = NavItem(order=order, label=label, url=url, name=name)


def register_dashboard_section(*, name, order, template, context):
    _SECTIONS[name] = DashboardSection(
        order=order, template=template, context=context, name=name
    )


def register_csp_source(*, name, directive, sources):
    """Allow more sources in one directive of the site's Content-Security-Policy
    (see training_platform.middleware). ``sources`` is request -> list[str]."""
    _CSP[name] = (directive, sources)


def csp_sources(request):
    return [(directive, sources(request)) for directive, sources in _CSP.values()]


def nav_items(request):
    """The main navigation for ``request.user``: computed once per request and
    kept in the cache per user, language, content and permissions version (a
    change of role or permission bumps the latter)."""
    from django.utils import translation

    from training_platform import content_cache

    def build():
        items = []
        for item in sorted(_NAV.values(), key=lambda i: i.order):
            url = item.url(request)
            if url:
                items.append({"label": item.label, "url": url, "name": item.name})
        return items

    def cached():
        user = request.user
        if not user.is_authenticated:
            who = "anonymous"
        elif not user.is_active:
            return build()
        else:
            who = f"{user.pk}:{int(user.is_superuser)}:{int(user.is_staff)}"
        key = content_cache.content_key(
            "nav",
            content_cache.auth_version(user.pk if user.is_authenticated else None),
            translation.get_language(),
            request.get_host(),
            who,
        )
        names = content_cache.cached(
            key, lambda: [(i["name"], i["url"]) for i in build()], timeout=3600
        )
        labels = {item.name: item.label for item in _NAV.values()}
        return [
            {"label": labels[name], "url": url, "name": name}
            for name, url in names
            if name in labels
        ]

    return content_cache.request_memo(request, "nav_items", cached)


def dashboard_sections(request):
    sections = []
    for section in sorted(_SECTIONS.values(), key=lambda s: s.order):
        context = section.context(request)
        if context is not None:
            sections.append({"template": section.template, "context": context})
    return sections
