from django import template

from luoshi.core.numbers import figure as _figure

register = template.Library()


@register.filter
def figure(value):
    """{{ value|figure }}: 24.8000 → 24.8, 12.0 → 12, None → —."""
    return _figure(value)
