"""A form's fields in one pass: ``{% load form_fields %}{% form_fields form %}``.

Writes what ``{% for field in form %}{% include "tasks/_field.html" %}{% endfor %}`` writes, byte
for byte (tests compare the two): the field's wrapper, label, widget, help text and errors. Through
the template engine each field was an include, a context push and a dozen lookups, and the task
page's forms (report, closure, instruction, milestone, extension) spent more on them than on their
widgets. The widget itself is still the field's own (``BoundField.as_widget``: its attributes,
``required``, ``aria-*``, value), written in one pass where it is one of ``luoshi.core.forms``'.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


def field_markup(field) -> str:
    """One bound field as the site's field template writes it, with the template's final newline."""
    errors = field.errors
    if field.is_hidden:
        inner = conditional_escape(field)
    else:
        help_text = field.help_text
        inner = (
            f'<label for="{conditional_escape(field.id_for_label)}">{conditional_escape(field.label)}</label>'
            f"{conditional_escape(field)}"
            f'{f"""<div class="muted small">{conditional_escape(help_text)}</div>""" if help_text else ""}'
            f"{conditional_escape(errors) if errors else ''}"
        )
    return f'<div class="field{" has-error" if errors else ""}">{inner}</div>\n'


@register.simple_tag
def form_fields(form) -> str:
    return mark_safe("".join(field_markup(field) for field in form))
