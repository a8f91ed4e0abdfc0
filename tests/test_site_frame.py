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
