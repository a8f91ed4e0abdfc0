from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("用途，例如“统计脚本”。"))
    expires_days = forms.IntegerField(
        label=_("有效期（天）"), min_value=1, required=False, initial=90, help_text=_("留空表示长期有效。")
    )
