"""The frame every page shares, written in one pass: ``{% load site_frame %}{% main_nav %}``.

Through the template engine the main navigation cost a loop over nine items with five lookups, an
``if`` and an escape each, and nine ``reverse()`` calls, on every page. Its markup depends only on
the language, the module the page belongs to and whether the person is an administrator, so it is
written once per combination (and per URL configuration and script prefix, which the links depend
on) and kept for the life of the process. The markup is exactly what the template wrote before
(tests compare the two).
"""

from html import escape

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy as _

register = template.Library()

# The modules in the order a user meets them: (key, label, URL name).
NAV_ITEMS = [
    ("home", _("工作台"), "home"),
    ("tasks", _("任务"), "tasks:list"),
    ("directives", _("来源文件"), "directives:list"),
    ("supervision", _("督办"), "supervision:board"),
    ("projects", _("项目"), "projects:ledger"),
    ("requests", _("诉求"), "requests:ledger"),
    ("indicators", _("指标"), "indicators:index"),
    ("reports", _("报表"), "reports:index"),
    ("directory", _("通讯录"), "orgs:units"),
]


def active_items(resolver_match) -> tuple[bool, ...]:
    """Which items are marked current: the one whose key is the page's URL namespace (the
    directory's is ``orgs``), and the workbench on any URL named ``home``."""
    namespace = resolver_match.namespace if resolver_match else ""
    is_home = bool(resolver_match) and resolver_match.url_name == "home"
    return tuple(
        namespace == "orgs" if key == "directory" else (namespace == key or (url_name == "home" and is_home))
        for key, _label, url_name in NAV_ITEMS
    )


_written: dict[tuple, str] = {}


def nav_markup(active: tuple[bool, ...], admin: bool) -> str:
    key = (get_urlconf(), get_script_prefix(), get_language(), active, admin)
    markup = _written.get(key)
    if markup is None:
        parts = []
        for (_key, label, url_name), current in zip(NAV_ITEMS, active):
            current = ' class="active" aria-current="page"' if current else ""
            parts.append(f'\n      <a href="{escape(reverse(url_name))}"{current}>{escape(str(label))}</a>\n      \n    ')
        parts.append("\n    ")
        if admin:
            label = escape(gettext("管理"))  # outside the f-string, where xgettext can see it
            parts.append(f'<a href="{escape(reverse("admin:index"))}">{label}</a>')
        markup = _written[key] = "".join(parts)
    return markup


@register.simple_tag(takes_context=True)
def main_nav(context) -> str:
    """The main navigation's links, for a signed-in person."""
    request = context["request"]
    return mark_safe(nav_markup(active_items(request.resolver_match), request.user.is_admin))
