"""Forms of the request pages: they parse and validate input; services make every change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.core.forms import DateInput
from luoshi.orgs.models import Role, Unit, User

from .models import Category, Difficulty, Satisfaction, Status


def _units():
    return Unit.objects.filter(active=True).order_by("sort_order", "pk")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(FilesField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class IntakeForm(forms.Form):
    company_name = forms.CharField(label=_("企业名称"), max_length=200)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30)
    title = forms.CharField(label=_("问题诉求"), max_length=200, help_text=_("一句话概括需要解决的问题。"))
    description = forms.CharField(label=_("具体情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ChoiceField(label=_("问题类别"), choices=[("", "—")] + Category.choices, required=False)
    attachments = FilesField(label=_("附件（选填，最多3个，PDF、Word、图片）"))


class PublicForm(IntakeForm):
    # Never shown to people (hidden by the stylesheet); a bot that fills every field fills it.
    website = forms.CharField(label=_("网址（请勿填写）"), required=False, max_length=200)
    token = forms.CharField(widget=forms.HiddenInput, max_length=200)


class StatusForm(forms.Form):
    receipt = forms.CharField(label=_("受理编号"), max_length=30)


class AssignForm(forms.Form):
    category = forms.ChoiceField(label=_("问题类别"), choices=Category.choices)
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.none())
    co_units = forms.ModelMultipleChoiceField(label=_("配合单位"), queryset=Unit.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 4}))
    lead_leader = forms.ModelChoiceField(label=_("包联领导"), queryset=User.objects.none(), required=False)
    difficulty = forms.ChoiceField(label=_("办理类型"), choices=Difficulty.choices, initial=Difficulty.LIMITED)
    solve_by = forms.DateField(label=_("办结时限"), required=False, widget=DateInput(), help_text=_("不填则按办理类型：即办5天、限期办30天、长期180天。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = _units()
        self.fields["co_units"].queryset = _units()
        self.fields["lead_leader"].queryset = User.objects.filter(role=Role.LEADER, is_active=True).order_by("sort_order", "pk")


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("不予受理理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ProposeForm(forms.Form):
    solution = forms.CharField(label=_("解决方案"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    difficulty = forms.ChoiceField(label=_("办理类型"), choices=Difficulty.choices)
    solve_by = forms.DateField(label=_("办结时限"), required=False, widget=DateInput())


class ReportForm(forms.Form):
    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100)
    progress = forms.CharField(label=_("进展情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(label=_("存在问题"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SolveForm(forms.Form):
    evidence = forms.CharField(label=_("办结情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class CallBackForm(forms.Form):
    called_on = forms.DateField(label=_("回访日期"), widget=DateInput())
    outcome = forms.CharField(label=_("回访情况"), max_length=300, help_text=_("如：电话回访，企业负责人确认问题已解决。"))
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("理由"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("不满意时必填，诉求将退回责任单位重办。"))
    reply = forms.CharField(label=_("答复企业"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("企业凭受理编号可在查询页面看到。"))


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("答复企业"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class LedgerFilters(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", "—")] + Status.choices)
    category = forms.ChoiceField(label=_("问题类别"), required=False, choices=[("", "—")] + Category.choices)
    unit = forms.ModelChoiceField(label=_("交办单位"), queryset=Unit.objects.none(), required=False)
    satisfaction = forms.ChoiceField(label=_("回访满意度"), required=False, choices=[("", "—")] + Satisfaction.choices)
    overdue = forms.BooleanField(label=_("只看超时限"), required=False)
    solved = forms.BooleanField(label=_("只看已销号"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()
