from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.core.forms import DateInput
from luoshi.orgs.models import Role, Unit, User

from .models import DirectiveKind

from luoshi.tasks.models import Cadence

CADENCE_CHOICES = Cadence.choices

# The page script turns this select into a searchable picker (36 units are too many to Ctrl-click).
UNIT_PICKER = {"size": 8, "data-search": _("输入单位名称筛选"), "data-chosen": _("已选：")}


class DirectiveForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200, required=False, help_text=_("留空则取正文第一行。"))
    kind = forms.ChoiceField(label=_("类型"), choices=DirectiveKind.choices, initial=DirectiveKind.SPEECH)
    issuer = forms.CharField(label=_("讲话人/发文单位"), max_length=100, required=False)
    issued_on = forms.DateField(
        label=_("日期"), widget=DateInput(), help_text=_("讲话或印发的日期。")
    )
    date_confirmed = forms.BooleanField(
        label=_("我已核对日期：原文中的“明天”“月底”“年底前”等相对时限将据此推算"), required=True
    )
    text = forms.CharField(label=_("正文（粘贴）"), widget=forms.Textarea(attrs={"rows": 12}), required=False)
    file = forms.FileField(
        label=_("或上传文件"),
        required=False,
        help_text=_(".txt（UTF-8 或 GB18030 编码）或 .docx；上传文件时以文件内容为准。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx"}),
    )

    allow_duplicate = forms.BooleanField(label=_("仍然录入（内容与已有来源文件相同）"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请粘贴正文或上传文件。"))
        return data


class DateForm(forms.Form):
    issued_on = forms.DateField(label=_("日期"), widget=DateInput())


class ItemForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("工作任务"), max_length=300)
    measures = forms.CharField(label=_("具体措施"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    lead_leader = forms.ModelChoiceField(label=_("牵头领导"), queryset=User.objects.none(), required=False)
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.none(), required=False)
    co_units = forms.ModelMultipleChoiceField(
        label=_("责任单位"), queryset=Unit.objects.none(), required=False, widget=forms.SelectMultiple(attrs=UNIT_PICKER)
    )
    deadline = forms.DateField(label=_("完成时限"), widget=DateInput(), required=False)
    deadline_text = forms.CharField(label=_("完成时限（原文）"), max_length=100, required=False)
    cadence = forms.ChoiceField(label=_("报送周期"), choices=CADENCE_CHOICES)
    due_day = forms.IntegerField(
        label=_("报送日"), required=False, min_value=1, max_value=31, help_text=_("每周：1–7（周一至周日）；每月/每季度：几号。")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.active().order_by("sort_order", "name")
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["lead_leader"].queryset = User.objects.filter(role=Role.LEADER, is_active=True).order_by("sort_order", "name")
        self.fields["lead_leader"].label_from_instance = lambda u: f"{u.name}（{u.title}）" if u.title else (u.name or u.username)


class SplitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    at = forms.IntegerField(label=_("拆分位置"), min_value=1)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("任务分解表（.xlsx）"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    dry_run = forms.BooleanField(label=_("只检查，不保存"), required=False)
