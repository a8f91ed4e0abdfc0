"""The frame every page shares, written in one pass: ``{% load site_frame %}{% site_header %}`` (the
top bar) and ``{% main_nav %}`` (its navigation).

Through the template engine the main navigation cost a loop over nine items with five lookups, an
``if`` and an escape each, and nine ``reverse()`` calls, on every page. Its markup depends only on
the language, the module the page belongs to and whether the person is an administrator, so it is
written once per combination (and per URL configuration and script prefix, which the links depend
on) and kept for the life of the process. The markup is exactly what the template wrote before
(tests compare the two).

The rest of the top bar (the brand, the language switch, the person's links) was fourteen
translations, seven ``reverse()`` calls and a dozen lookups on every page; its words and links are
written once per language, URL configuration and script prefix, and only the person's name, unit,
unread count, the CSRF token and the page's address are put in per request.
"""

from html import escape

from django import template
from django.template.base import render_value_in_context
from django.template.defaulttags import CsrfTokenNode
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


_bars: dict[tuple, tuple[str, ...]] = {}


def _bar_parts() -> tuple[str, ...]:
    """The top bar's fixed words and links, between the places the request's values go."""
    key = (get_urlconf(), get_script_prefix(), get_language())
    parts = _bars.get(key)
    if parts is None:
        # Translated outside the f-strings below, where xgettext can see them.
        brand, tagline, menu, main, notices = gettext("落实"), gettext("目标任务分解 · 督查督办"), gettext("菜单"), gettext("主导航"), gettext("通知")
        unread, tokens, password, log_out = gettext("未读"), gettext("接口令牌"), gettext("修改密码"), gettext("退出")
        brand, tagline, menu, main, notices, unread, tokens, password, log_out = (
            escape(w) for w in (brand, tagline, menu, main, notices, unread, tokens, password, log_out)
        )
        english = get_language() == "en"
        language = (
            '<button name="language" value="zh-hans" class="linkish">中文</button>' if english
            else '<button name="language" value="en" class="linkish">English</button>'
        )
        parts = _bars[key] = (
            f'<header class="topbar">\n  <a class="brand" href="{escape(reverse("home"))}">{brand}'
            f'<small>{tagline}</small></a>\n  ',
            # signed in: the navigation's frame around the links
            f'\n  <input type="checkbox" id="nav-toggle" class="nav-toggle" aria-hidden="true">'
            f'\n  <label for="nav-toggle" class="nav-toggle-label" aria-label="{menu}">☰</label>'
            f'\n  <nav class="mainnav" aria-label="{main}">\n    ',
            "\n  </nav>\n  ",
            f'\n  <div class="tools">\n    <form action="{escape(reverse("set_language"))}" method="post" class="lang">',
            '\n      <input type="hidden" name="next" value="',
            f'">\n      {language}\n    </form>\n    ',
            # signed in: the person's links
            f'\n      <a href="{escape(reverse("supervision:inbox"))}" class="inbox-link" title="{notices}">{notices}',
            f' <span class="badge health-red" aria-label="{unread}">',
            f'</a>\n      <a href="{escape(reverse("tokens:list"))}">{tokens}</a>'
            f'\n      <a href="{escape(reverse("password_change"))}">{password}</a>'
            f'\n      <form action="{escape(reverse("logout"))}" method="post" class="inline">',
            f'<button class="linkish">{log_out}</button></form>\n    ',
            "\n  </div>\n</header>",
        )
    return parts


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    """The top bar: the brand, the navigation and the person's links when signed in, and the
    language switch, as base.html wrote it."""
    (start, nav_open, nav_close, tools, next_open, next_close, inbox, unread_open, person_links, logout, end) = _bar_parts()
    user = context.get("user")
    request = context.get("request")
    csrf = CsrfTokenNode().render(context)
    here = render_value_in_context(request.get_full_path(), context) if request is not None else ""
    out = [start]
    signed_in = user is not None and user.is_authenticated
    if signed_in:
        out += [nav_open, main_nav(context), nav_close]
    out += [tools, csrf, next_open, here, next_close]
    if signed_in:
        header = context.get("header")
        unit_name = header.unit_name if header is not None else ""
        unread = header.unread if header is not None else ""
        out += [
            f'\n      <a href="{escape(reverse("orgs:person", args=[user.pk]))}" class="me">{render_value_in_context(user, context)}',
            f" · {render_value_in_context(unit_name, context)}" if unit_name else "",
            "</a>",
            inbox,
            f"{unread_open}{render_value_in_context(unread, context)}</span>" if unread else "",
            person_links, csrf, logout,
        ]
    out.append(end)
    return mark_safe("".join(out))
