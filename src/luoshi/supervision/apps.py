from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "luoshi.supervision"
    label = "supervision"
    verbose_name = _("督查督办")

    def ready(self):
        # Connects the receivers of the tasks app's signals: the task timeline's supervision
        # entries, notices, and withdrawing proposals when a task recovers (Django's place for
        # signal wiring), and the counting of deleted rows the standings' cache key reads.
        from luoshi.orgs import sessions

        from . import context_processors, notices, services, standings, timeline  # noqa: F401

        # The header's unread count, read with the session on every page.
        sessions.read_alongside("unread", context_processors.unread_of)
