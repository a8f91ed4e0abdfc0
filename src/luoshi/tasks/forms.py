"""Forms of the task pages. They only parse and validate input; every change is made by a function
in services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.core.forms import CheckboxInput, ClearableFileInput, DateInput, HiddenInput, NumberInput, Options, Select, Textarea, TextInput
from luoshi.orgs.models import Role, Unit, User

from . import rules, workflow
from .models import Cadence, Health, Task, TaskKind


# The page script turns this select into a searchable picker (36 units are too many to Ctrl-click).
UNIT_PICKER = {"size": 8, "data-search": _("输入单位名称筛选"), "data-chosen": _("已选：")}


class MultipleFileInput(ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; type and size are checked by services.check_attachments so the
    API and the pages refuse the same things with the same words."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png,.zip"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _units():
    return Unit.objects.filter(active=True).order_by("sort_order", "pk")


def _leaders():
    return User.objects.filter(role=Role.LEADER, is_active=True).order_by("sort_order", "pk")


def _people():
    return User.objects.filter(is_active=True).select_related("unit").order_by("unit__sort_order", "sort_order", "pk")


class PlanFields(forms.Form):
    """The plan of a task as a supervisor writes it: shared by the edit and the sub-task forms."""

    title = forms.CharField(label=_("工作任务"), max_length=300)
    measures = forms.CharField(label=_("具体措施"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    target_text = forms.CharField(label=_("目标"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    target_value = forms.DecimalField(label=_("目标值"), required=False, max_digits=20, decimal_places=4)
    kind = forms.ChoiceField(label=_("类型"), choices=TaskKind.choices)
    tags = forms.CharField(label=_("标签"), required=False, max_length=200, help_text=_("多个标签用逗号或顿号分隔。"))
    lead_leader = forms.ModelChoiceField(label=_("牵头领导"), queryset=User.objects.none(), required=False)
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.none(), required=False)
    co_units = forms.ModelMultipleChoiceField(
        label=_("责任单位"), queryset=Unit.objects.none(), required=False, widget=forms.SelectMultiple(attrs=UNIT_PICKER)
    )
    responsible_person = forms.ModelChoiceField(label=_("责任人"), queryset=User.objects.none(), required=False)
    start_on = forms.DateField(label=_("开始日期"), required=False, widget=DateInput())
    deadline = forms.DateField(label=_("完成时限"), required=False, widget=DateInput())
    deadline_text = forms.CharField(label=_("完成时限（原文）"), required=False, max_length=100)
    cadence = forms.ChoiceField(label=_("报送周期"), choices=Cadence.choices)
    due_day = forms.IntegerField(
        label=_("报送日"), required=False, min_value=1, max_value=31, help_text=_("每周：1–7（周一至周日）；每月：几号；每季度：季末月几号。")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_leader"].queryset = _leaders()
        self.fields["lead_unit"].queryset = _units()
        self.fields["co_units"].queryset = _units()
        self.fields["responsible_person"].queryset = _people()

    def clean_tags(self):
        import re

        parts = [p.strip() for p in re.split(r"[,，、;；\s]+", self.cleaned_data.get("tags") or "") if p.strip()]
        return "、".join(dict.fromkeys(parts))[:200]

    def clean(self):
        # The one plan rule (``rules.plan_problems``, which the services apply again): the form only
        # places its problems beside the fields they concern.
        data = super().clean()
        if "cadence" in data:
            for name, message in rules.plan_problems(start_on=data.get("start_on"), deadline=data.get("deadline"),
                                                     cadence=data["cadence"], due_day=data.get("due_day")):
                self.add_error(name if name in self.fields else None, message)
        return data

    def plan(self) -> dict:
        """cleaned_data as keyword arguments of the services (without co_units)."""
        return {k: v for k, v in self.cleaned_data.items() if k not in {"co_units", "version", "publish"}}


class TaskEditForm(PlanFields):
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_task(cls, task: Task, data=None):
        initial = {name: getattr(task, name) for name in PlanFields.base_fields if name != "co_units"}
        initial["co_units"] = list(task.co_units.all())
        initial["version"] = task.version
        return cls(data, initial=initial)


class SubtaskForm(PlanFields):
    publish = forms.BooleanField(label=_("立即发布"), required=False, initial=True)

    @classmethod
    def under(cls, parent: Task, data=None):
        initial = {
            "kind": parent.kind, "cadence": parent.cadence, "due_day": parent.due_day, "lead_leader": parent.lead_leader_id,
            "lead_unit": parent.lead_unit_id, "deadline": parent.deadline, "tags": parent.tags, "publish": True,
        }
        return cls(data, initial=initial)


class ReportForm(forms.Form):
    period = forms.ChoiceField(label=_("报送期"), widget=Select)
    # Hidden when the user reports for one unit only; empty means that unit.
    unit = forms.TypedChoiceField(label=_("报送单位"), coerce=int, required=False, empty_value=None, widget=Select)
    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100, widget=NumberInput)
    progress = forms.CharField(label=_("进展情况"), max_length=5000, widget=Textarea(attrs={"rows": 4}))
    problems = forms.CharField(label=_("存在问题"), max_length=5000, required=False, widget=Textarea(attrs={"rows": 2}))
    next_steps = forms.CharField(label=_("下步打算"), max_length=5000, required=False, widget=Textarea(attrs={"rows": 2}))
    attachments = MultipleFileField(label=_("附件"), help_text=_("PDF、Word、Excel、JPG、PNG、ZIP，单个不超过 20 MB，最多 10 个。"))

    def __init__(self, *args, periods=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.key, p.label) for p in periods]
        self.fields["unit"].choices = [(u.pk, str(u)) for u in units]
        if len(self.fields["unit"].choices) == 1:
            self.fields["unit"].widget = HiddenInput()
            self.fields["unit"].initial = self.fields["unit"].choices[0][0]


class CorrectionForm(forms.Form):
    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100, widget=NumberInput)
    progress = forms.CharField(label=_("进展情况"), max_length=5000, widget=Textarea(attrs={"rows": 4}))
    problems = forms.CharField(label=_("存在问题"), max_length=5000, required=False, widget=Textarea(attrs={"rows": 2}))
    next_steps = forms.CharField(label=_("下步打算"), max_length=5000, required=False, widget=Textarea(attrs={"rows": 2}))
    attachments = MultipleFileField(label=_("附件"))


class ClosureRequestForm(forms.Form):
    evidence = forms.CharField(label=_("完成情况及佐证材料说明"), max_length=5000, widget=Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("佐证材料"))
    version = forms.IntegerField(widget=HiddenInput, required=False)


class ActionForm(forms.Form):
    """Any other status change: an optional or required reason, and the version read."""

    reason = forms.CharField(label=_("理由"), max_length=2000, required=False, widget=Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=HiddenInput, required=False)


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(label=_("申请延至"), widget=DateInput())
    reason = forms.CharField(label=_("延期理由"), max_length=2000, widget=Textarea(attrs={"rows": 2}))


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("审批"), choices=[("approve", _("同意")), ("refuse", _("不同意"))], widget=Select)
    note = forms.CharField(label=_("审批意见"), max_length=2000, required=False, widget=TextInput)


class InstructionForm(forms.Form):
    text = forms.CharField(label=_("批示内容"), max_length=5000, widget=Textarea(attrs={"rows": 2}))


class MilestoneForm(forms.Form):
    due_on = forms.DateField(label=_("节点日期"), widget=DateInput())
    description = forms.CharField(label=_("节点内容"), max_length=300, widget=TextInput)
    planned_percent = forms.IntegerField(label=_("计划进度（%）"), min_value=0, max_value=100, widget=NumberInput)


SORTS = {
    "health": _("红黄绿灯"),
    "number": _("编号"),
    "deadline": _("完成时限"),
    "-deadline": _("完成时限（倒序）"),
    "progress": _("完成进度"),
    "behind": _("落后序时"),
    "unit": _("牵头单位"),
}


def _options(items) -> list[tuple]:
    return [item if isinstance(item, tuple) else (item.pk, str(item)) for item in items]


class BoardFilterForm(forms.Form):
    """The board's filters. Unknown values are ignored rather than refused: a filter link that went
    stale should still show a page."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=100, widget=TextInput)
    health = forms.ChoiceField(label=_("红黄绿灯"), required=False, widget=Select, choices=[("", _("全部"))] + list(Health.choices))
    status = forms.ChoiceField(label=_("状态"), required=False, widget=Select, choices=[("", _("全部")), ("active", _("在办"))] + workflow.STATE_CHOICES)
    kind = forms.ChoiceField(label=_("类型"), required=False, widget=Select, choices=[("", _("全部"))] + list(TaskKind.choices))
    unit = forms.TypedChoiceField(label=_("单位"), required=False, widget=Select, coerce=int, empty_value=None)
    # Only the tasks the unit leads (the scoreboard's rows link here): what it answers for.
    lead = forms.BooleanField(required=False, widget=HiddenInput)
    leader = forms.TypedChoiceField(label=_("牵头领导"), required=False, widget=Select, coerce=int, empty_value=None)
    directive = forms.TypedChoiceField(label=_("来源文件"), required=False, widget=Select, coerce=int, empty_value=None)
    deadline_from = forms.DateField(label=_("完成时限自"), required=False, widget=DateInput())
    deadline_to = forms.DateField(label=_("至"), required=False, widget=DateInput())
    overdue = forms.BooleanField(label=_("只看逾期"), required=False, widget=CheckboxInput)
    sort = forms.ChoiceField(label=_("排序"), required=False, widget=Select, choices=list(SORTS.items()))

    def __init__(self, *args, units=(), leaders=(), directives=(), **kwargs):
        """``units``, ``leaders``, ``directives``: model instances, or ``(pk, label)`` pairs already
        read as values (the board reads them so: instances cost more than the page's rows)."""
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = Options([("", _("全部")), *_options(units)])
        self.fields["leader"].choices = Options([("", _("全部")), *_options(leaders)])
        self.fields["directive"].choices = Options([("", _("全部")), *_options(directives)])

    def values(self) -> dict:
        """The valid filters only: a bad field is dropped, the others still apply."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)}
