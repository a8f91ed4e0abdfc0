"""A task's health reasons in the viewer's language, and a unit's score as every page writes it:
``{% load task_health %}``."""

from django import template

from luoshi.tasks.health import render_reason, render_reasons
from luoshi.tasks.rules import format_score

register = template.Library()


@register.filter
def reason(entry) -> str:
    """One stored health reason (Task.health_reasons item) in the viewer's language."""
    return render_reason(entry)


@register.filter
def reasons(entries) -> str:
    """All of a task's health reasons on one line, in the viewer's language."""
    return render_reasons(entries)


@register.filter
def score(value) -> str:
    """A score with one decimal (0 → 0.0), or — when there is none (``rules.format_score``)."""
    return format_score(value)
