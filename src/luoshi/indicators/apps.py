from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "luoshi.indicators"
    label = "indicators"
    verbose_name = _("指标对标")

    def ready(self):
        # Registers this app's large import as a kind of background job, in web and worker alike.
        from . import services  # noqa: F401
