from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.core.forms import DateInput
from luoshi.orgs.models import Unit

from .models import Entity, Indicator, IndicatorSet


class IndicatorSetForm(forms.ModelForm):
    us = forms.ModelChoiceField(queryset=Entity.objects.none(), required=False, label=_("本市"),
                                help_text=_("对标主体中代表本市的一个。"))

    class Meta:
        model = IndicatorSet
        fields = ["name", "description", "tier_size", "flag_rank", "volatility_window", "volatility_places"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["us"].queryset = Entity.objects.filter(indicator_set=self.instance)
            self.fields["us"].initial = self.fields["us"].queryset.filter(is_us=True).first()
        else:
            del self.fields["us"]
        self.fields["tier_size"].min_value = 1
        self.fields["flag_rank"].min_value = 1


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "category", "direction", "measure_unit", "weight", "responsible_unit", "target_rank",
                  "frontier", "worst", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = Unit.objects.active()
        self.fields["weight"].min_value = 0


class ImportForm(forms.Form):
    file = forms.FileField(label=_("文件"))
    layout = forms.ChoiceField(
        label=_("格式"), initial="auto",
        choices=[("auto", _("自动识别")), ("long", _("长表（城市、指标、期间、值）")), ("wide", _("宽表（每期一个工作表）"))],
    )
    dry_run = forms.BooleanField(label=_("只检查，不保存"), required=False)


class TaskFromIndicatorForm(forms.Form):
    period = forms.CharField(required=False, widget=forms.HiddenInput)
    deadline = forms.DateField(label=_("完成时限"), required=False, widget=DateInput(),
                               help_text=_("留空则为今年年底。"))
