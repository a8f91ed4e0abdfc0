from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "luoshi.supervision"
    label = "supervision"
    verbose_name = _("督查督办")

    def ready(self):
        # Apps beside this one (projects, requests) announce facts through the task layer's
        # `notice` signal; the inbox, e-mail and group bots that deliver them live here.
        from luoshi.tasks import extensions

        from . import services

        def deliver(sender, *, kind, title, body="", url="", key=None, unit=None, to_office=False, task=None, **extra):
            services.notify(
                kind=kind, title=title, body=body, url=url, key=key, task=task,
                unit=None if to_office else unit, recipients=services.supervisors() if to_office else None,
            )

        extensions.notice.connect(deliver, dispatch_uid="luoshi.supervision.notice", weak=False)
