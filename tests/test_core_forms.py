"""The one-pass select writes what Django's own widget templates write."""

import copy

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from luoshi.core.forms import CheckboxInput, DateInput, HiddenInput, Select, TextInput
from luoshi.tasks.forms import BoardFilterForm

CHOICES = [
    ("", _("全部")), (1, "发改委 <局>"), ("2", '带"引号"&符号'), (3, mark_safe("<b>已转义</b>")),
    (_("分组"), [(4, "甲"), (5, _("红灯"))]), ("x&y", "值带符号"),
]


class Both(forms.Form):
    quick = forms.ChoiceField(choices=CHOICES, required=False, widget=Select(attrs={"class": "a&b", "data-x": True, "hidden": False}))
    slow = forms.ChoiceField(choices=CHOICES, required=False, widget=forms.Select(attrs={"class": "a&b", "data-x": True, "hidden": False}))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("value", [None, "", "1", "2", "5", "x&y", "nope"])
def test_it_writes_the_select_djangos_template_writes(language, value):
    form = Both({"quick": value, "slow": value} if value is not None else None)
    with translation.override(language):
        quick, slow = str(form["quick"]), str(form["slow"])
    assert quick == slow.replace("slow", "quick")
    assert "<optgroup" in quick and "&lt;局&gt;" in quick and "<b>已转义</b>" in quick


def test_it_leaves_labels_the_template_would_localize_to_the_template():
    class Numbers(forms.Form):
        quick = forms.ChoiceField(choices=[(1, 1234.5)], widget=Select)
        slow = forms.ChoiceField(choices=[(1, 1234.5)])

    form = Numbers()
    with translation.override("en"), translation.override("en"):
        assert str(form["quick"]) == str(form["slow"]).replace("slow", "quick")


def as_django(form):
    """``form`` with each one-pass widget swapped for the Django widget it writes the markup of."""
    for field in form.fields.values():
        widget = copy.copy(field.widget)
        if hasattr(widget, "input_type"):
            widget.input_type = widget.input_type  # a class attribute of ours (the date picker's "date")
        widget.__class__ = next(cls for cls in type(widget).__mro__ if cls.__module__ == "django.forms.widgets")
        field.widget = widget
    return form


class Inputs(forms.Form):
    text = forms.CharField(required=False, max_length=5, widget=TextInput(attrs={"placeholder": '"引号"'}))
    day = forms.DateField(required=False, widget=DateInput())
    flag = forms.BooleanField(required=False, widget=CheckboxInput)
    hidden = forms.BooleanField(required=False, widget=HiddenInput)


@pytest.mark.parametrize(
    "data", [None, {}, {"text": "<x>&", "day": "2026-12-03", "flag": "on", "hidden": "True"}, {"text": "太长的一段文字", "day": "明天", "flag": ""}],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_inputs_djangos_template_writes(data, language):
    with translation.override(language):
        quick, slow = Inputs(data), as_django(Inputs(data))
        assert [str(field) for field in quick] == [str(field) for field in slow]
        assert 'type="date"' in str(quick["day"]) and 'maxlength="5"' in str(quick["text"])
    assert all(not type(field.widget).__module__.startswith("django") for field in quick.fields.values())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "data", [None, {"health": "red", "q": "<x>", "overdue": "on", "lead": "1", "deadline_from": "2026-12-01", "deadline_to": "bad", "sort": "unit"}],
)
def test_it_writes_the_board_filters_as_before(units, cast, language, data):
    def form():
        if data:
            data["unit"] = str(units["lead"].pk)
        return BoardFilterForm(data, units=[units["lead"], units["co"]], leaders=[cast["leader"]], directives=[])

    with translation.override(language):
        quick, slow = form(), as_django(form())
        assert [str(field) for field in quick] == [str(field) for field in slow]
    assert all(type(field.widget).__module__ == "luoshi.core.forms" for field in quick.fields.values())


def test_it_leaves_a_widget_given_another_template_to_that_template():
    class Area(TextInput):
        template_name = "django/forms/widgets/textarea.html"

    class Radios(Select):
        template_name = "django/forms/widgets/radio.html"
        option_template_name = "django/forms/widgets/radio_option.html"

    class Odd(forms.Form):
        text = forms.CharField(widget=Area)
        pick = forms.ChoiceField(choices=[("a", "甲")], widget=Radios)

    form = Odd({"text": "x", "pick": "a"})
    assert str(form["text"]).startswith("<textarea") and str(form["pick"]).startswith('<div id="id_pick">')
