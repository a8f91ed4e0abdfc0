import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from luoshi.orgs import access
from luoshi.orgs.models import Unit, User


def names(qs):
    return sorted(str(x) for x in qs)


def test_it_scopes_units_by_role(cast, units):
    assert access.visible_unit_ids(cast["supervisor"]) is None
    assert access.visible_unit_ids(cast["admin"]) is None
    # a liaison sees their unit and its sub-units
    assert set(Unit.objects.visible_to(cast["owner"])) == {units["lead"], units["sub"]}
    assert set(Unit.objects.visible_to(cast["outsider"])) == {units["other"]}
    # a leader sees what they oversee (and its sub-units)
    assert set(Unit.objects.visible_to(cast["leader"])) == {units["lead"], units["sub"], units["co"]}


def test_a_liaisons_scope_and_own_units_are_read_once(cast, units):
    owner = User.objects.get(pk=cast["owner"].pk)
    with CaptureQueriesContext(connection) as queries:
        assert access.visible_unit_ids(owner) == {units["lead"].pk, units["sub"].pk}
        assert access.own_unit_ids(owner) == {units["lead"].pk, units["sub"].pk}
    assert len(queries.captured_queries) == 1


def test_a_leaders_own_units_are_not_the_units_they_oversee(cast, units):
    User.objects.filter(pk=cast["leader"].pk).update(unit=units["other"])
    leader = User.objects.get(pk=cast["leader"].pk)
    assert access.visible_unit_ids(leader) == {units["lead"].pk, units["sub"].pk, units["co"].pk, units["other"].pk}
    assert access.own_unit_ids(leader) == {units["other"].pk}


def test_it_lets_a_leader_with_sees_all_see_everything(cast, units):
    leader = cast["leader"]
    leader.sees_all_units = True
    leader.save()
    leader = User.objects.get(pk=leader.pk)
    assert Unit.objects.visible_to(leader).count() == Unit.objects.count()


def test_it_hides_other_units_people_from_a_liaison(cast):
    visible = User.objects.visible_to(cast["owner"])
    assert cast["owner"] in visible
    assert cast["outsider"] not in visible
    assert cast["member"] not in visible
    assert cast["supervisor"] not in visible


def test_it_sees_nothing_when_anonymous(units):
    from django.contrib.auth.models import AnonymousUser

    assert Unit.objects.visible_to(AnonymousUser()).count() == 0
    assert User.objects.visible_to(AnonymousUser()).count() == 0


def test_it_answers_404_for_another_units_pages(cast, units, login):
    client = login(cast["owner"])
    assert client.get(reverse("orgs:unit", args=[units["lead"].pk])).status_code == 200
    assert client.get(reverse("orgs:unit", args=[units["other"].pk])).status_code == 404
    assert client.get(reverse("orgs:person", args=[cast["outsider"].pk])).status_code == 404
    assert client.get(reverse("orgs:person", args=[cast["owner"].pk])).status_code == 200


def test_it_lists_only_visible_people(cast, login):
    body = login(cast["owner"]).get(reverse("orgs:people")).content.decode()
    assert reverse("orgs:person", args=[cast["owner"].pk]) in body
    for other in ("outsider", "member", "supervisor", "leader", "admin"):
        assert reverse("orgs:person", args=[cast[other].pk]) not in body


def test_it_lists_only_visible_units(cast, login):
    body = login(cast["owner"]).get(reverse("orgs:units")).content.decode()
    assert "示范市发展和改革委员会" in body
    assert "示范市教育局" not in body


def test_it_lets_supervisor_see_every_unit(cast, units, login):
    client = login(cast["supervisor"])
    for unit in units.values():
        assert client.get(reverse("orgs:unit", args=[unit.pk])).status_code == 200


def test_it_requires_login(client, units):
    for url in [reverse("home"), reverse("orgs:units"), reverse("orgs:people"), reverse("orgs:unit", args=[units["lead"].pk])]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("who", ["owner", "member", "outsider", "leader", "supervisor"])
def test_it_keeps_the_import_page_for_admins(cast, login, who):
    client = login(cast[who])
    assert client.get(reverse("orgs:import")).status_code == 403
    assert client.post(reverse("orgs:import")).status_code == 403
    assert client.get(reverse("orgs:import_template")).status_code == 403


def test_it_opens_the_import_page_for_admin(cast, login):
    assert login(cast["admin"]).get(reverse("orgs:import")).status_code == 200


def test_it_denies_write_through_the_access_helper(cast, units):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        access.get_unit_for_user(cast["supervisor"], units["lead"].pk, write=True)
    assert access.get_unit_for_user(cast["admin"], units["lead"].pk, write=True) == units["lead"]


def test_it_keeps_the_admin_site_for_admins(cast, login):
    assert login(cast["owner"]).get("/admin/").status_code == 302
    assert login(cast["admin"]).get("/admin/").status_code == 200


def test_it_shows_history_to_admins(cast, units, login):
    unit = units["lead"]
    unit.short_name = "发展改革委"
    unit.save()
    assert unit.history.count() == 2
    response = login(cast["admin"]).get(f"/admin/orgs/unit/{unit.pk}/history/")
    assert response.status_code == 200


def test_it_lists_people_in_constant_queries(cast, units, login, django_assert_max_num_queries):
    client = login(cast["supervisor"])
    client.get(reverse("orgs:people"))  # warm the session
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("orgs:people"))
    for i in range(30):
        User.objects.create_user(username=f"extra{i}", name=f"人员{i}", unit=units["co"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("orgs:people"))
