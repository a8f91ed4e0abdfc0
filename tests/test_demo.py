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


def test_it_shows_one_finished_export_job_and_one_finished_import_job(db, client):
    from luoshi.orgs.models import JobRun

    call_command("demo", no_serve=True)
    call_command("demo", no_serve=True)
    jobs = {job.kind: job for job in JobRun.objects.all()}
    assert set(jobs) == {"export:board", "import:observations"} and JobRun.objects.count() == 2
    assert all(job.state == "done" and "演示数据" in job.title for job in jobs.values())
    assert jobs["export:board"].result_file and jobs["export:board"].done == jobs["export:board"].total > 0
    check = jobs["import:observations"].summary
    assert check["ok"] and check["dry_run"] and check["unchanged"] > 0 and not check["created"] and not check["updated"]
    client.force_login(User.objects.get(username="duchaju"))
    assert client.get(jobs["export:board"].get_absolute_url()).status_code == 200
    assert client.get(f"/orgs/jobs/{jobs['export:board'].pk}/file").status_code == 200
