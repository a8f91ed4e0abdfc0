"""Forms of the project pages: they parse and validate input; services make every change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.core.forms import DateInput
from luoshi.orgs.models import Role, Unit, User
from luoshi.tasks.models import Health

from .models import Batch, Stage


def _units():
    return Unit.objects.filter(active=True).order_by("sort_order", "pk")


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=200)
    content = forms.CharField(label=_("建设内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none())
    co_units = forms.ModelMultipleChoiceField(label=_("配合单位"), queryset=Unit.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 5}))
    lead_leader = forms.ModelChoiceField(label=_("责任领导"), queryset=User.objects.none(), required=False)
    location = forms.CharField(label=_("建设地点"), max_length=200, required=False)
    industry = forms.CharField(label=_("所属行业"), max_length=50, required=False)
    total_investment = forms.DecimalField(label=_("总投资（万元）"), min_value=0, max_digits=14, decimal_places=2)
    plan_year = forms.IntegerField(label=_("计划年度"), min_value=2000, max_value=2100)
    annual_plan = forms.DecimalField(label=_("年度计划投资（万元）"), min_value=0, max_digits=14, decimal_places=2)
    batch = forms.ModelChoiceField(label=_("批次"), queryset=Batch.objects.none(), required=False)
    problems = forms.CharField(label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = _units()
        self.fields["co_units"].queryset = _units()
        self.fields["lead_leader"].queryset = User.objects.filter(role=Role.LEADER, is_active=True).order_by("sort_order", "pk")
        self.fields["batch"].queryset = Batch.objects.all()
        self.stage_list = list(stages)
        for stage in self.stage_list:
            self.fields[f"planned_{stage.pk}"] = forms.DateField(label=_("%(stage)s计划日期") % {"stage": stage.name}, required=False, widget=DateInput())

    def stage_dates(self, existing: dict | None = None) -> dict:
        existing = existing or {}
        return {s.pk: (self.cleaned_data.get(f"planned_{s.pk}"), existing.get(s.pk, (None, None))[1]) for s in self.stage_list}


class LedgerFilters(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    stage = forms.ModelChoiceField(label=_("当前阶段"), queryset=Stage.objects.none(), required=False)
    batch = forms.ModelChoiceField(label=_("批次"), queryset=Batch.objects.none(), required=False)
    health = forms.ChoiceField(label=_("红黄绿灯"), required=False, choices=[("", "—")] + [(h.value, h.label) for h in Health])
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none(), required=False)
    flag = forms.ChoiceField(label=_("盘活"), required=False, choices=[("", "—"), ("stalled", _("停滞项目")), ("idle", _("闲置项目"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = Stage.objects.filter(active=True)
        self.fields["batch"].queryset = Batch.objects.all()
        self.fields["unit"].queryset = _units()


class StageReachForm(forms.Form):
    stage = forms.ModelChoiceField(label=_("阶段"), queryset=Stage.objects.none())
    actual_on = forms.DateField(label=_("实际日期"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = Stage.objects.filter(active=True)


class MonthlyReportForm(forms.Form):
    month = forms.IntegerField(label=_("月份"), min_value=1, max_value=12)
    amount = forms.DecimalField(label=_("当月完成投资（万元）"), min_value=0, max_digits=14, decimal_places=2)
    image_progress = forms.CharField(label=_("形象进度"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    problems = forms.CharField(label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class FlagsForm(forms.Form):
    stalled = forms.BooleanField(label=_("停滞项目"), required=False)
    idle = forms.BooleanField(label=_("闲置项目"), required=False)
    revival_note = forms.CharField(label=_("盘活措施"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("项目台账（.xlsx）"))
    plan_year = forms.IntegerField(label=_("计划年度"), min_value=2000, max_value=2100)
    dry_run = forms.BooleanField(label=_("只检查，不保存"), required=False, initial=True)
