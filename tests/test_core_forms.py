"""The one-pass select writes what Django's own widget templates write."""

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from luoshi.core.forms import Select
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


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_board_filters_as_before(units, language):
    def form(quick):
        f = BoardFilterForm({"health": "red", "unit": str(units["lead"].pk), "q": "<x>"}, units=[units["lead"], units["co"]])
        for field in f.fields.values():
            if isinstance(field.widget, Select) and not quick:
                field.widget = forms.Select(attrs=field.widget.attrs, choices=field.widget.choices)
        return f

    with translation.override(language):
        quick, slow = form(True), form(False)
        assert sum(isinstance(field.widget, Select) for field in quick.fields.values()) == 7
        assert [str(field) for field in quick] == [str(field) for field in slow]
