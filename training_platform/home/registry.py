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
    items = []
    for item in sorted(_NAV.values(), key=lambda i: i.order):
        url = item.url(request)
        if url:
            items.append({"label": item.label, "url": url, "name": item.name})
    return items


def dashboard_sections(request):
    sections = []
    for section in sorted(_SECTIONS.values(), key=lambda s: s.order):
        context = section.context(request)
        if context is not None:
            sections.append({"template": section.template, "context": context})
    return sections
