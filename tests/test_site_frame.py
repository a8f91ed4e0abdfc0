import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import translation

from luoshi.core.templatetags.site_frame import NAV_ITEMS, main_nav

# The navigation as the template wrote it before it was written in one pass, with the items the
# context processor built for it: the markup the styles and the browser tests were written against.
TEMPLATE_NAV = Template(
    """{% load i18n %}    {% for item in nav_items %}
      {% if item.url %}<a href="{{ item.url }}"{% if item.active %} class="active" aria-current="page"{% endif %}>{{ item.label }}</a>
      {% else %}<span class="disabled" title="{% translate '建设中' %}">{{ item.label }}</span>{% endif %}
    {% endfor %}
    {% if user.is_admin %}<a href="{% url 'admin:index' %}">{% translate "管理" %}</a>{% endif %}"""
)


def old_nav_items(request):
    items = []
    current = request.resolver_match.namespace if request.resolver_match else ""
    for key, label, url_name in NAV_ITEMS:
        active = current == key or (url_name == "home" and request.resolver_match and request.resolver_match.url_name == "home")
        if key == "directory":
            active = current == "orgs"
        items.append({"key": key, "label": label, "url": reverse(url_name), "active": active})
    return items


PATHS = ["/", "/tasks/", "/tasks/board/", "/directives/", "/supervision/", "/supervision/inbox/", "/projects/", "/requests/",
         "/indicators/", "/reports/", "/orgs/units/", "/tokens/", "/password/"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("role", ["owner", "leader", "supervisor", "admin"])
def test_it_writes_the_navigation_the_template_wrote(cast, language, role):
    for path in PATHS:
        request = RequestFactory().get(path)
        request.resolver_match = resolve(path)
        request.user = cast[role]
        with translation.override(language):
            expected = TEMPLATE_NAV.render(Context({"nav_items": old_nav_items(request), "user": request.user}))
            assert "    " + main_nav(Context({"request": request})) == expected, path
    assert ("管理" in expected or "Admin" in expected) == (role == "admin")


def test_it_marks_the_current_module_and_no_other(cast, login):
    body = login(cast["owner"]).get("/tasks/").content.decode()
    assert body.count('aria-current="page"') == 1
    assert f'<a href="{reverse("tasks:list")}" class="active" aria-current="page">' in body


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_every_demo_persons_navigation_as_the_template_did(db, client, language):
    """Each of the demo's people (every role, with and without a unit, leaders of all units or of
    some): the navigation depends on nothing of theirs but whether they administer the site."""
    from luoshi.orgs import demo
    from luoshi.orgs.models import User

    demo.load()
    people = list(User.objects.filter(username__in=[username for _role, username, _who in demo.logins()]))
    assert len(people) >= 8 and {p.role for p in people} >= {"admin", "supervisor", "leader", "liaison"}
    for person in people:
        for path in PATHS:
            request = RequestFactory().get(path)
            request.resolver_match = resolve(path)
            request.user = person
            with translation.override(language):
                expected = TEMPLATE_NAV.render(Context({"nav_items": old_nav_items(request), "user": person}))
                assert "    " + main_nav(Context({"request": request})) == expected, (person.username, path)
        client.force_login(person)
        page = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
        request = page.wsgi_request
        with translation.override(language):
            expected = TEMPLATE_NAV.render(Context({"nav_items": old_nav_items(request), "user": person}))
        assert page.status_code == 200 and expected.strip() in page.content.decode(), person.username


# The top bar as base.html wrote it before ``{% site_header %}``.
TEMPLATE_HEADER = Template(
    """{% load i18n site_frame %}{% get_current_language as LANG %}""" + """<header class="topbar">
  <a class="brand" href="{% url 'home' %}">{% translate "落实" %}<small>{% translate "目标任务分解 · 督查督办" %}</small></a>
  {% if user.is_authenticated %}
  <input type="checkbox" id="nav-toggle" class="nav-toggle" aria-hidden="true">
  <label for="nav-toggle" class="nav-toggle-label" aria-label="{% translate '菜单' %}">☰</label>
  <nav class="mainnav" aria-label="{% translate '主导航' %}">
    {% main_nav %}
  </nav>
  {% endif %}
  <div class="tools">
    <form action="{% url 'set_language' %}" method="post" class="lang">{% csrf_token %}
      <input type="hidden" name="next" value="{{ request.get_full_path }}">
      {% if LANG == "en" %}<button name="language" value="zh-hans" class="linkish">中文</button>{% else %}<button name="language" value="en" class="linkish">English</button>{% endif %}
    </form>
    {% if user.is_authenticated %}
      <a href="{% url 'orgs:person' user.pk %}" class="me">{{ user }}{% if header.unit_name %} · {{ header.unit_name }}{% endif %}</a>
      <a href="{% url 'supervision:inbox' %}" class="inbox-link" title="{% translate '通知' %}">{% translate "通知" %}{% if header.unread %} <span class="badge health-red" aria-label="{% translate '未读' %}">{{ header.unread }}</span>{% endif %}</a>
      <a href="{% url 'tokens:list' %}">{% translate "接口令牌" %}</a>
      <a href="{% url 'password_change' %}">{% translate "修改密码" %}</a>
      <form action="{% url 'logout' %}" method="post" class="inline">{% csrf_token %}<button class="linkish">{% translate "退出" %}</button></form>
    {% endif %}
  </div>
</header>"""
)
SITE_HEADER = Template("{% load site_frame %}{% site_header %}")
CSRF = re.compile(r'(?<=name="csrfmiddlewaretoken" value=")[^"]+')


def header_request(path, user):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().get(path)
    request.resolver_match = resolve(path.split("?")[0])
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_top_bar_base_html_wrote(cast, units, language):
    from django.contrib.auth.models import AnonymousUser
    from django.template import RequestContext

    from luoshi.orgs.models import User
    from tests.test_context_processors import unread_for

    unread_for(cast["owner"], 3)
    unread_for(cast["leader"], 1200)
    units["lead"].short_name = "发改<委>&"
    units["lead"].save()
    User.objects.filter(pk=cast["member"].pk).update(name="李\"四\"<b>")
    people = [AnonymousUser()] + [User.objects.get(pk=cast[role].pk) for role in ("owner", "member", "leader", "supervisor", "admin")]
    shown = False
    for person in people:
        for path in ["/", "/tasks/?q=%3Cx%3E&kind=a%22b", "/supervision/inbox/", "/login/?next=/tasks/1/%26x"]:
            request = header_request(path, person)
            with translation.override(language):
                expected = TEMPLATE_HEADER.render(RequestContext(request))
                written = SITE_HEADER.render(RequestContext(request))
            tokens = CSRF.findall(written)
            # Each rendering masks the token anew; within one page both forms carry the same.
            assert len(tokens) == (2 if person.is_authenticated else 1) and len(set(tokens)) == 1
            assert CSRF.sub("", written) == CSRF.sub("", expected), (str(person), path)
            shown |= "1200</span>" in written or "1,200</span>" in written
    assert shown
