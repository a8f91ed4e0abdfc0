from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "luoshi.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        checks.register(check_secret_key, checks.Tags.security, deploy=False)


def check_secret_key(app_configs, **kwargs):
    from django.conf import settings

    # Read past LazySettings, which raises its own error on an empty key before we can explain.
    if not settings.DEBUG and not getattr(settings._wrapped, "SECRET_KEY", ""):
        return [
            checks.Error(
                "SECRET_KEY must be set when DEBUG is off.",
                hint="Set the SECRET_KEY environment variable to a long random string.",
                id="luoshi.E001",
            )
        ]
    return []
