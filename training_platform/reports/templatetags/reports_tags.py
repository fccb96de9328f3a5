from decimal import Decimal

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.http import urlencode

register = template.Library()


@register.filter
def figure(value, suffix=""):
    """A figure as shown: a dash when there is none, grouped digits, the
    suppression mark as it is."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return str(value)
    return f"{number_format(value, force_grouping=True)}{suffix}"


@register.filter
def svgnum(value):
    """A number for an SVG attribute: never localised (no decimal comma)."""
    return format(Decimal(value).normalize(), "f")


@register.filter
def is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def drill_url(query: str, **params) -> str:
    data = QueryDict(query, mutable=True)
    for name in ("page", "suppress"):
        data.pop(name, None)
    for name, value in params.items():
        data[name] = value
    return f"{reverse('reports:learners')}?{data.urlencode()}"


@register.simple_tag
def drill_cell(row, dimension, metric, base):
    """A count that links to the learners behind it; ``base`` is the learner
    list's URL with the page's other filters."""
    value = row.get(metric)
    shown = figure(value)
    if not is_count(value) or not row.get("param"):
        return format_html('<td class="num" data-col="{}">{}</td>', metric, shown)
    joiner = "" if base.endswith("?") else "&"
    url = f"{base}{joiner}{urlencode({dimension: row['param'], 'metric': metric})}"
    return format_html(
        '<td class="num" data-col="{}"><a href="{}">{}</a></td>', metric, url, shown
    )


@register.inclusion_tag("reports/includes/stat.html")
def stat(row, name, label, query, percent=False, metric=None):
    value = row.get(name)
    link = None
    if not percent and is_count(value):
        link = drill_url(query, metric=metric or name)
    elif percent and metric and is_count(row.get(metric)):
        link = drill_url(query, metric=metric)
    return {
        "name": name,
        "label": label,
        "value": figure(value, "%" if percent else ""),
        "link": link,
    }
