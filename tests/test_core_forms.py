"""The one-pass widgets write what Django's own widget templates write, and ``{% form_fields %}`` what
the site's field template writes."""

import copy

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from luoshi.core.forms import CheckboxInput, ClearableFileInput, DateInput, HiddenInput, NumberInput, Options, Select, Textarea, TextInput
from luoshi.core.templatetags.form_fields import form_fields
from luoshi.tasks import forms as task_forms
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


FLAT = [("", _("全部")), (None, "空值"), (1, "发改委 <局>"), ("2", '带"引号"&符号'), (3, mark_safe("<b>已转义</b>")),
        (4, _("红灯")), ("x&y", "值带符号"), (1, "同值的第二项"), (mark_safe("<v>"), "安全值")]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("value", [None, "", "1", "2", "4", "x&y", "<v>", "nope"])
@pytest.mark.parametrize("given", [list, Options])
def test_it_writes_a_select_without_groups_djangos_template_writes(language, value, given):
    """Flat choices are written without Django's option dicts: the same markup (the first option of
    a chosen value selected, lazy and safe labels), whether given as a list or as ``Options``."""

    class Flat(forms.Form):
        quick = forms.ChoiceField(choices=given(FLAT), required=False, widget=Select(attrs={"class": "a&b"}))
        slow = forms.ChoiceField(choices=FLAT, required=False, widget=forms.Select(attrs={"class": "a&b"}))

    form = Flat({"quick": value, "slow": value} if value is not None else None)
    with translation.override(language):
        quick, slow = str(form["quick"]), str(form["slow"])
    assert quick == slow.replace("slow", "quick")
    assert quick.count(" selected") == (value in (None, "", "1", "2", "4", "x&y", "<v>"))
    if value is not None:
        assert form.is_valid() == (value != "nope")


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


class Written(forms.Form):
    count = forms.IntegerField(required=False, min_value=0, max_value=100, widget=NumberInput)
    words = forms.CharField(max_length=20, help_text="不超过 20 字 <b>", widget=Textarea(attrs={"rows": 2, "placeholder": '"引"&'}))
    files = task_forms.MultipleFileField(label="附件 <x>", help_text=mark_safe("<i>可多选</i>"))
    one = forms.FileField(required=False, widget=ClearableFileInput(attrs={"disabled": True}))


@pytest.mark.parametrize(
    "data", [None, {}, {"count": "7", "words": "第一行\n<第二行>&"}, {"count": "-1", "words": "太长" * 20}, {"count": "x", "words": "   "}],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_textarea_number_and_file_inputs_djangos_templates_write(data, language):
    files = {"files": SimpleUploadedFile("a.pdf", b"%PDF")} if data else None
    with translation.override(language):
        quick, slow = Written(data, files), as_django(Written(data, files))
        assert [str(field) for field in quick] == [str(field) for field in slow]
        assert 'type="number"' in str(quick["count"]) and "<textarea" in str(quick["words"]) and " multiple" in str(quick["files"])
    assert all(type(field.widget).__module__ != "django.forms.widgets" for field in quick.fields.values())


def test_a_file_input_showing_a_stored_file_is_left_to_djangos_template():
    class Stored:
        url = "/media/a.pdf"

        def __str__(self):
            return "a.pdf"

    class One(forms.Form):
        one = forms.FileField(required=False, widget=ClearableFileInput)

    written = str(One(initial={"one": Stored()})["one"])
    assert 'href="/media/a.pdf"' in written and 'type="checkbox"' in written


FIELD_TEMPLATE = '{% for field in form %}{% include "tasks/_field.html" %}{% endfor %}'


def through_the_template(form) -> str:
    return engines["django"].from_string(FIELD_TEMPLATE).render({"form": form})


def task_page_forms(data, units):
    """Every form the task page writes with ``{% form_fields %}``, bound to ``data`` (None: unbound)."""
    periods = [type("P", (), {"key": k, "label": label})() for k, label in [("2026-11", "2026年11月"), ("2026-12", "<12月>")]]
    files = {"attachments": SimpleUploadedFile("a.pdf", b"%PDF")} if data else None
    return [
        task_forms.ReportForm(data, files, periods=periods, units=[units["lead"]], initial={"unit": units["lead"].pk}),
        task_forms.ReportForm(data, files, periods=periods, units=[units["lead"], units["co"]]),
        task_forms.ClosureRequestForm(data, files, initial={"version": 3}),
        task_forms.InstructionForm(data),
        task_forms.MilestoneForm(data),
        task_forms.ExtensionForm(data),
        task_forms.ExtensionDecisionForm(data),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"period": "2026-12", "percent": "50", "progress": "<进展>&", "evidence": "佐证", "text": "批示", "due_on": "2026-12-31",
         "description": "节点", "planned_percent": "30", "new_deadline": "2027-01-31", "reason": "理由", "decision": "approve", "note": "同意"},
        {"period": "nope", "percent": "120", "due_on": "明天", "planned_percent": "-1", "new_deadline": "x", "decision": "maybe",
         "note": "长" * 3000, "version": "v"},
    ],
)
def test_form_fields_writes_what_the_field_template_writes(units, language, data):
    with translation.override(language):
        for form in task_page_forms(data, units):
            assert form_fields(form) == through_the_template(form), type(form).__name__
    if data and "nope" in data.values():
        assert all(form.errors for form in task_page_forms(data, units))


def test_the_task_page_forms_write_every_widget_in_one_pass(units):
    for form in task_page_forms(None, units):
        for name, field in form.fields.items():
            assert type(field.widget).__module__ != "django.forms.widgets", (type(form).__name__, name)
