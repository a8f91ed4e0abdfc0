from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "luoshi.directives"
    label = "directives"
    verbose_name = _("来源文件")

    def ready(self):
        # Registers this app's large import as a kind of background job, in web and worker alike.
        from . import services  # noqa: F401
