from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "luoshi.supervision"
    label = "supervision"
    verbose_name = _("督查督办")

    def ready(self):
        # Connects the task timeline's receiver (Django's place for signal wiring).
        from . import timeline  # noqa: F401
