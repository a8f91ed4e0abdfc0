from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "luoshi.reports"
    label = "reports"
    verbose_name = _("报表")

    def ready(self):
        # Registers the exports as kinds of background job, in web and worker alike.
        from . import jobs  # noqa: F401
