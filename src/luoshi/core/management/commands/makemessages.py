"""``makemessages`` that also extracts ``ngettext_noop(singular, plural)`` (luoshi.core.i18n):
stored health reasons mark their plural pairs with it and are translated only when shown."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = makemessages.Command.xgettext_options + ["--keyword=ngettext_noop:1,2"]
