from django.core.management import call_command
from django.utils import timezone

from luoshi.orgs.models import Role, Unit, User
from luoshi.reports.models import TaskSnapshot


def test_it_loads_the_demo_once_and_keeps_it(db, capsys):
    call_command("demo", no_serve=True)
    counts = (Unit.objects.count(), User.objects.count())
    assert 28 <= counts[0] <= 40 and 35 <= counts[1] <= 50
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    out = capsys.readouterr().out
    assert "duchaju" in out and "luoshi-demo" in out
    call_command("demo", no_serve=True)
    assert (Unit.objects.count(), User.objects.count()) == counts


def test_it_keeps_an_admins_edit_on_a_second_run(db):
    call_command("demo", no_serve=True)
    Unit.objects.filter(short_name="发改委").update(aliases="改过的别名")
    call_command("demo", no_serve=True)
    assert Unit.objects.get(short_name="发改委").aliases == "改过的别名"


def test_it_lets_every_demo_login_in(db, client):
    from luoshi.orgs.demo import DEMO_PASSWORD, logins

    call_command("demo", no_serve=True)
    for _role, username, _who in logins():
        client.logout()
        response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.get("/").status_code == 200


def test_it_gives_the_trend_charts_a_month_of_history_that_moves(db):
    call_command("demo", no_serve=True)
    today = timezone.localdate()
    days = sorted(set(TaskSnapshot.objects.values_list("date", flat=True)))
    assert len(days) == 30 and days[-1] == today
    totals = [TaskSnapshot.objects.filter(date=d).count() for d in days]
    reds = [TaskSnapshot.objects.filter(date=d, health="red").count() for d in days]
    assert len(set(totals)) > 1 or len(set(reds)) > 1  # a trend, not a flat line
