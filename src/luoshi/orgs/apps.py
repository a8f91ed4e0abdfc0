from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "luoshi.orgs"
    label = "orgs"
    verbose_name = _("组织机构")

    def ready(self):
        # Registers the directory import as a kind of background job, in web and worker alike.
        from . import services  # noqa: F401
