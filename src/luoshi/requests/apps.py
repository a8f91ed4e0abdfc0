from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    name = "luoshi.requests"
    label = "requests"
    verbose_name = _("企业诉求")

    def ready(self):
        from luoshi.tasks import extensions
        from luoshi.tasks.models import TaskKind

        from . import hooks

        extensions.register_health(TaskKind.REQUEST, hooks.refine_health, hooks.preload_health)
        extensions.register_page(TaskKind.REQUEST, hooks.page_for)
        extensions.register_workbench(hooks.workbench_panel)
