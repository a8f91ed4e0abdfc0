from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.core.forms import DateInput
from luoshi.orgs.models import Unit
from luoshi.tasks.models import TaskKind

from . import ladder
from .models import ReviewItem



class ActionIssueForm(forms.Form):
    kind = forms.ChoiceField(label=_("督办方式"), choices=ladder.KIND_CHOICES)
    unit = forms.ModelChoiceField(label=_("督办对象"), queryset=Unit.objects.none(), empty_label=_("请选择单位"))
    tasks = forms.MultipleChoiceField(label=_("督办任务"), required=False, widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("督办事由"), widget=forms.Textarea(attrs={"rows": 4}))
    reply_due = forms.DateField(label=_("答复时限"), widget=DateInput)

    def __init__(self, *args, task_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(active=True)
        self.fields["tasks"].choices = [(str(t.pk), str(t)) for t in task_choices]


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class ReviewRoundForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    due_on = forms.DateField(label=_("确认截止日期"), widget=DateInput)
    instructions = forms.CharField(label=_("工作要求"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    scope_kind = forms.ChoiceField(label=_("任务类型"), required=False)
    scope_units = forms.ModelMultipleChoiceField(label=_("单位范围（不选为全部）"), required=False, queryset=Unit.objects.none(), widget=forms.SelectMultiple(attrs={"size": 8, "data-search": _("输入单位名称筛选"), "data-chosen": _("已选：")})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_kind"].choices = [("", _("全部类型")), *TaskKind.choices]
        self.fields["scope_units"].queryset = Unit.objects.filter(active=True)
        if not self.is_bound:
            self.initial.setdefault("due_on", timezone.localdate() + dt.timedelta(days=7))


class ReviewConfirmForm(forms.Form):
    verdict = forms.ChoiceField(label=_("核实情况"), choices=ReviewItem.Verdict.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=5000, widget=forms.TextInput)
