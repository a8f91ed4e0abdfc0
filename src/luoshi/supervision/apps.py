from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "luoshi.supervision"
    label = "supervision"
    verbose_name = _("督查督办")

    def ready(self):
        # Connects the receivers of the task timeline and of notices (Django's place for signal wiring).
        from . import notices, timeline  # noqa: F401
