"""A task's health badge and reasons in the viewer's language, and a unit's score as every page
writes it: ``{% load task_health %}``."""

from django import template
from django.utils.html import format_html

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


@register.simple_tag
def health_badge(task) -> str:
    """A task's 红黄绿灯 badge with its reasons as the tooltip. A tag rather than an included
    template: lists show one per row, and an include costs a template render each. The markup ends
    with the line break the included template had, so the pages are unchanged byte for byte."""
    if not task:
        return format_html('<span class="badge health-" title=""></span>\n')
    return format_html(
        '<span class="badge health-{}" title="{}">{}</span>\n', task.health, render_reasons(task.health_reasons), task.get_health_display()
    )
