from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None


@register.filter
def marks(value):
    """1.000 -> 1, 0.500 -> 0.5"""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text


@register.filter
def marks_count(value):
    """A number for plural forms: 1 only for exactly one mark."""
    if value is None:
        return 0
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else 5


@register.filter
def percent(value):
    if value is None:
        return ""
    return format(Decimal(value).quantize(Decimal("0.1")).normalize(), "f")


@register.filter
def in_response(key, question):
    response = question.get("response") or {}
    if "choice" in response:
        return response["choice"] == key
    return key in (response.get("choices") or [])


@register.filter
def option_text(key, question):
    for option in question.get("options", []):
        if option["key"] == key:
            return option["text"]
    return ""
