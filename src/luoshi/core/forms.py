import functools
from html import escape as _escape

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe


class OnePassInput:
    """An ``<input>`` written in one pass, the markup of Django's input template byte for byte
    (tested): through the template engine a filter form's five plain inputs cost more than its
    selects' options."""

    # Django's templates that only include input.html; a widget given another template keeps it.
    INPUT_TEMPLATES = frozenset(
        f"django/forms/widgets/{kind}.html" for kind in ("input", "text", "date", "checkbox", "hidden", "number")
    )

    def render(self, name, value, attrs=None, renderer=None):
        if self.template_name not in self.INPUT_TEMPLATES:
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
        kind, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
        return mark_safe(f'<input type="{kind}" name="{name}"{shown}{_attrs(widget["attrs"])}>')


class TextInput(OnePassInput, forms.TextInput):
    pass


class HiddenInput(OnePassInput, forms.HiddenInput):
    pass


class CheckboxInput(OnePassInput, forms.CheckboxInput):
    pass


class NumberInput(OnePassInput, forms.NumberInput):
    pass


class Textarea(forms.Textarea):
    """A textarea written in one pass, the markup of Django's template byte for byte (tested)."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.template_name != forms.Textarea.template_name:
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        shown = conditional_escape(widget["value"]) if widget["value"] else ""
        return mark_safe(f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{shown}</textarea>')


class ClearableFileInput(forms.ClearableFileInput):
    """A file input written in one pass while it holds no stored file (a new upload, which is every
    form of the pages): the markup of Django's template byte for byte (tested). A stored file's
    link and clear checkbox are left to the template."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if self.template_name != forms.ClearableFileInput.template_name or widget["is_initial"]:
            return super().render(name, value, attrs, renderer)
        return mark_safe(
            f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>'
        )


class DateInput(OnePassInput, forms.DateInput):
    """The browser's date picker. `<input type="date">` accepts only ISO dates, whatever the
    locale's display format (zh-hans would render 2026/12/03, which the picker shows as empty)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class Options(BaseChoiceIterator):
    """Choices already as Django keeps them, ``(value, label)`` pairs: a field given these does not
    walk them again to normalize them (for a list of two hundred units, a function call a choice on
    every form built)."""

    def __init__(self, pairs):
        self.pairs = list(pairs)

    def __iter__(self):
        return iter(self.pairs)


class Select(forms.Select):
    """A select written in one pass, the markup of Django's own templates byte for byte (tested):
    through the template engine each option is an include, and a filter form with a unit, a leader
    and a source-document list spent more on its options than the page's query on its rows."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.template_name != forms.Select.template_name or self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen = widget["value"]
        parts = [_opening(widget)]
        # Options as Django's optgroups() makes them (the first option whose value is chosen is
        # selected) and its option template writes them, without a dict per option.
        has_selected = False
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)) or not isinstance(label, (str, Promise)):
                return self._render_groups(name, value, attrs, renderer)
            if option_value is None:
                option_value = ""
            selected = not has_selected and str(option_value) in chosen
            has_selected |= selected
            parts.append(_option(option_value, " selected" if selected else "", label))
        parts.append(_CLOSING)
        return mark_safe("".join(parts))

    def _render_groups(self, name, value, attrs, renderer):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [_opening(widget)]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                if option["template_name"] != self.option_template_name or not isinstance(option["label"], (str, Promise)):
                    return super().render(name, value, attrs, renderer)  # a label the template would localize
                parts.append(_option(option["value"], _attrs(option["attrs"]), option["label"]))
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append(_CLOSING)
        return mark_safe("".join(parts))


# django/forms/widgets/select.html and select_option.html; the form renderer strips the template's
# last newline.
_CLOSING = "\n</select>"


def _opening(widget: dict) -> str:
    return f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>'


def _option(value, attrs: str, label) -> str:
    if isinstance(label, Promise):
        label = str(label)
    if isinstance(value, SafeData) or isinstance(label, SafeData):
        return f'\n  <option value="{_text(value)}"{attrs}>{_label(label)}</option>\n'
    return _plain_option("%s" % (value,), attrs, label)


@functools.lru_cache(maxsize=8192)
def _plain_option(value: str, attrs: str, label: str) -> str:
    """An option of plain text, written once per process: a filter bar's unit, leader and
    directive lists are the same few hundred options on every page."""
    return f'\n  <option value="{_escape(value)}"{attrs}>{_escape(label)}</option>\n'


def _label(label) -> str:
    """``{{ label }}``: escaped unless marked safe. Plain text is escaped as Django's ``escape``
    does, without its check for lazy strings on every call."""
    if isinstance(label, Promise):
        label = str(label)
    return str(label) if isinstance(label, SafeData) else _escape(label)


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}`` with autoescaping."""
    return value if isinstance(value, SafeData) else _escape("%s" % (value,))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )
