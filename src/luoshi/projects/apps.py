from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "luoshi.projects"
    label = "projects"
    verbose_name = _("项目")

    def ready(self):
        from luoshi.tasks import extensions
        from luoshi.tasks.models import TaskKind

        from . import hooks, tabular  # noqa: F401  (tabular registers the ledger import job)

        extensions.register_health(TaskKind.PROJECT, hooks.refine_health, hooks.preload_health)
        extensions.register_page(TaskKind.PROJECT, hooks.page_for)
        extensions.register_workbench(hooks.workbench_panel)
