from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "luoshi.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        checks.register(check_secret_key, checks.Tags.security, deploy=False)
        checks.register(check_site_url, checks.Tags.security, deploy=True)


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


def check_site_url(app_configs, **kwargs):
    """Deploy check: links in e-mails and group-bot messages need the site's public https address."""
    from django.conf import settings

    url = getattr(settings, "SITE_URL", "")
    if not url:
        return [
            checks.Warning(
                "SITE_URL is not set: links in e-mails and WeCom/DingTalk messages cannot be opened.",
                hint="Set SITE_URL to the address people open the site at, e.g. https://luoshi.example.gov.cn.",
                id="luoshi.W001",
            )
        ]
    if not url.startswith("https://"):
        return [
            checks.Warning(
                f"SITE_URL ({url}) is not an https address.",
                hint="Serve the site over https and set SITE_URL to its https address.",
                id="luoshi.W002",
            )
        ]
    return []
