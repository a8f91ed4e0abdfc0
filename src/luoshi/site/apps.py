from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top of the layers, beside the API and the URL map: pages and commands that span every
    app (the home page, the demo loader, the daily sweep). It may import any app; no app imports it."""

    name = "luoshi.site"
    label = "site"
    verbose_name = _("站点")
