from decimal import Decimal

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import get_language

register = template.Library()


def _separators() -> tuple[str, str]:
    language = get_language() or ""
    if language not in _SEPARATORS:
        _SEPARATORS[language] = (
            get_format("THOUSAND_SEPARATOR"),
            get_format("DECIMAL_SEPARATOR"),
        )
    return _SEPARATORS[language]


_SEPARATORS: dict = {}


@register.filter
def figure(value, suffix=""):
    """A figure as shown: a dash when there is none, digits grouped and the
    decimal mark of the language, the suppression mark as it is. (Written
    here rather than with number_format: a dashboard shows about a thousand
    figures.)"""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return str(value)
    thousands, decimal = _separators()
    whole, _dot, fraction = f"{value:,}".partition(".")
    text = whole.replace(",", thousands)
    if fraction:
        text = f"{text}{decimal}{fraction}"
    return f"{text}{suffix}"


@register.filter
def svgnum(value):
    """A number for an SVG attribute: never localised (no decimal comma)."""
    return format(Decimal(value).normalize(), "f")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


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


DRILLED = ("learners", "enrolments", "active", "completed")
RATES = ("completion_rate", "average_score", "pass_rate")


@register.simple_tag
def breakdown_rows(section):
    """The rows of a breakdown table, written in Python: a dashboard has
    about a hundred such rows of nine figures each."""
    name, base = section["name"], section["drill"]
    rows = []
    for row in section["rows"]:
        cells = [drill_cell(row, name, metric, base) for metric in DRILLED]
        cells += [
            format_html(
                '<td class="num" data-col="{}">{}</td>', rate, figure(row[rate], "%")
            )
            for rate in RATES
        ]
        cells.append(drill_cell(row, name, "certificates", base))
        rows.append(
            format_html(
                '<tr data-key="{}"><th scope="row">{}</th>{}</tr>',
                row["param"],
                row["label"],
                format_html_join("", "{}", ((cell,) for cell in cells)),
            )
        )
    return format_html_join("", "{}", ((row,) for row in rows))


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
