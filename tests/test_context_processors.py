import re

from django.db import connection
from django.utils import timezone
from django.test.utils import CaptureQueriesContext

from luoshi.orgs.models import User
from luoshi.supervision.context_processors import Header
from luoshi.supervision.models import Message, Notification


def unread_for(user, n):
    """``n`` unread notifications for ``user``, and one read."""
    for i in range(n + 1):
        message = Message.objects.create(key=f"test-{user.pk}-{i}", kind="report_due", title="提醒")
        Notification.objects.create(message=message, recipient=user, read_at=timezone.now() if i == n else None)


def test_it_reads_the_header_unit_and_unread_count_in_one_query(cast):
    unread_for(cast["owner"], 2)
    unread_for(cast["member"], 5)
    header = Header(User.objects.get(pk=cast["owner"].pk))
    with CaptureQueriesContext(connection) as queries:
        assert (header.unit_name, header.unread, header.unit_name) == ("发改委", 2, "发改委")
    assert len(queries) == 1


def test_it_reads_the_header_of_a_person_without_a_unit(cast):
    unread_for(cast["leader"], 1)
    header = Header(User.objects.get(pk=cast["leader"].pk))
    assert (header.unit_name, header.unread) == ("", 1)


def test_it_counts_only_when_the_page_has_read_the_unit(cast):
    user = User.objects.select_related("unit").get(pk=cast["supervisor"].pk)
    with CaptureQueriesContext(connection) as queries:
        assert (Header(user).unit_name, Header(user).unread) == ("督查局", 0)
    assert len(queries) == 2 and "COUNT" in queries[0]["sql"].upper()


def test_it_shows_the_unit_in_the_header(cast, login):
    header = login(cast["owner"]).get("/tasks/").content.decode().split("</header>")[0]
    assert '" class="me">owner · 发改委</a>' in header
    header = login(cast["leader"]).get("/tasks/").content.decode().split("</header>")[0]
    assert '" class="me">leader</a>' in header


def test_it_keeps_the_unit_it_read_on_the_user(cast):
    user = User.objects.get(pk=cast["owner"].pk)
    assert Header(user).unit_name == "发改委"
    with CaptureQueriesContext(connection) as queries:
        unit = user.unit
    assert len(queries) == 0
    fresh = type(unit).objects.get(pk=unit.pk)
    assert [getattr(unit, f.attname) for f in type(unit)._meta.concrete_fields] == [getattr(fresh, f.attname) for f in type(unit)._meta.concrete_fields]
    assert unit.active is True


def test_it_reads_an_inactive_unit_as_the_orm_does(cast, units):
    """A unit switched off still names its people in the header, as ``user.unit`` did; the unit
    kept on the user says it is off (a boolean on SQLite too, not 0)."""
    units["lead"].active = False
    units["lead"].save()
    user = User.objects.get(pk=cast["owner"].pk)
    assert Header(user).unit_name == "发改委"
    assert user.unit.active is False


def _unread_badge(response) -> str | None:
    header = response.content.decode().split("</header>")[0]
    found = re.search(r'class="badge health-red"[^>]*>(\d+)</span>', header)
    return found and found.group(1)


def test_a_page_reads_the_unread_count_with_the_session(cast, login):
    unread_for(cast["owner"], 3)
    client = login(cast["owner"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/password/done/")
    assert _unread_badge(page) == "3" and len(queries) == 1 and "supervision_notification" in queries[0]["sql"]
    unread_for(cast["member"], 4)  # someone else's
    Notification.objects.filter(recipient=cast["owner"]).exclude(read_at=None).update(read_at=None)
    assert _unread_badge(client.get("/password/done/")) == "4"


def test_a_page_written_after_a_post_counts_again(cast, login):
    """A request that may write reads the count when the page is written, not with the session:
    what it changed shows."""
    unread_for(cast["owner"], 2)
    client = login(cast["owner"])
    with CaptureQueriesContext(connection) as queries:
        page = client.post("/password/", {"old_password": "wrong", "new_password1": "x", "new_password2": "y"})
    assert page.status_code == 200 and _unread_badge(page) == "2"
    counts = [q["sql"] for q in queries.captured_queries if "supervision_notification" in q["sql"]]
    assert len(counts) == 2  # read with the session, and again for the page


def test_a_header_without_its_request_counts_itself(cast, rf):
    unread_for(cast["owner"], 1)
    assert Header(User.objects.select_related("unit").get(pk=cast["owner"].pk)).unread == 1
