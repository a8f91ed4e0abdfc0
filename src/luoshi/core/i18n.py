"""Translation for pure modules (health, periods, workflow, scoring, parsing…).

Those modules run in plain tests without Django settings, where ``django.utils.translation``
raises. These helpers translate through Django when settings are configured and otherwise return
the Chinese message unchanged, so a pure test sees the same text a zh-hans request would. Django is
imported inside the functions only: importing this module never touches settings.

Messages are Chinese msgids with ``%(name)s`` placeholders; pass the values as keyword arguments
so the placeholders are filled after translation (the English word order may differ).
"""

from __future__ import annotations

from typing import Any


def _django_ready() -> bool:
    try:
        from django.conf import settings
    except ImportError:  # pragma: no cover - Django is a dependency, kept for robustness
        return False
    return settings.configured


def _fill(text: str, params: dict[str, Any]) -> str:
    return text % params if params else text


def language() -> str | None:
    """The active language code, or None where Django is not configured (Chinese then)."""
    if _django_ready():
        from django.utils.translation import get_language

        return get_language()
    return None


def gettext(message: str, /, **params: Any) -> str:
    """``message`` in the active language, placeholders filled from ``params``."""
    if _django_ready():
        from django.utils.translation import gettext as django_gettext

        message = django_gettext(message)
    return _fill(message, params)


def ngettext(singular: str, plural: str, number: int, /, **params: Any) -> str:
    """Plural-aware :func:`gettext`; ``number`` is also available as ``%(count)s``
    unless ``params`` names ``count`` itself."""
    params.setdefault("count", number)
    if _django_ready():
        from django.utils.translation import ngettext as django_ngettext

        text = django_ngettext(singular, plural, number)
    else:
        text = singular  # Chinese has one form
    return _fill(text, params)


def pgettext(context: str, message: str, /, **params: Any) -> str:
    """:func:`gettext` with a context, for short msgids that mean different things."""
    if _django_ready():
        from django.utils.translation import pgettext as django_pgettext

        message = django_pgettext(context, message)
    return _fill(message, params)


def gettext_noop(message: str) -> str:
    """Marks ``message`` for extraction without translating it (translated later, when shown)."""
    return message


def ngettext_noop(singular: str, plural: str) -> tuple[str, str]:
    """Marks a singular/plural pair for extraction (``makemessages`` here knows this keyword);
    translate later with :func:`ngettext`."""
    return singular, plural
