from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "luoshi.directives"
    label = "directives"
    verbose_name = _("来源文件")
