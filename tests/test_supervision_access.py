"""Access as a table: every page and endpoint × owner (liaison of the addressed unit 发改委), member
(liaison of the co-unit 财政局), outsider (教育局), leader (overseeing 发改委 and 财政局), supervisor.
A refused write changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from luoshi.orgs.access import SYSTEM
from luoshi.api.services import token_create
from luoshi.supervision import services
from luoshi.supervision.models import EscalationProposal, Notification, ReviewItem, SupervisionAction
from tests.test_supervision_fixtures import make_task  # noqa: F401

ROLES = ("owner", "member", "outsider", "leader", "supervisor")


@pytest.fixture
def world(cast, units, make_task):
    today = timezone.localdate()
    task = make_task(publish_on=today - dt.timedelta(days=60), start=today - dt.timedelta(days=60), deadline=today + dt.timedelta(days=60))
    co_task = make_task(title="财政局牵头", lead="co", co=(), publish_on=today - dt.timedelta(days=60), start=today - dt.timedelta(days=60), deadline=today + dt.timedelta(days=60))
    action = services.action_issue(actor=cast["supervisor"], kind="order", unit=units["lead"], reason="进度滞后", reply_due=today + dt.timedelta(days=5), tasks=[task], today=today)
    proposal = services.proposal_make(actor=SYSTEM, key="red:x", rule="red", kind="order", unit=units["lead"], tasks=[task], reason="持续红灯", today=today)
    round_ = services.review_round_open(actor=cast["supervisor"], title="回头看", due_on=today + dt.timedelta(days=7), today=today)
    return {
        "task": task, "co_task": co_task, "action": action, "proposal": proposal, "round": round_,
        "item": round_.items.get(task=task), "notification": Notification.objects.get(recipient=cast["owner"], message__action=action),
        "today": today,
    }


def state(world):
    """What a refused write must leave as it was."""
    world["action"].refresh_from_db()
    return (
        SupervisionAction.objects.count(), world["action"].status, world["action"].reply,
        EscalationProposal.objects.get(pk=world["proposal"].pk).status,
        ReviewItem.objects.filter(confirmed_at__isnull=False).count(),
        Notification.objects.filter(read_at__isnull=False).count(),
        world["round"].__class__.objects.get(pk=world["round"].pk).status,
    )


# --- pages ------------------------------------------------------------------------------------
PAGES = [
    # name, method, url(world), data(world, units), expected per role (owner, member, outsider, leader, supervisor)
    ("board", "get", lambda w: "/supervision/", None, (200, 200, 200, 200, 200)),
    ("action_new", "get", lambda w: "/supervision/actions/new/", None, (403, 403, 403, 403, 200)),
    ("action_issue", "post", lambda w: "/supervision/actions/new/",
     lambda w, u: {"kind": "remind", "unit": u["lead"].pk, "tasks": [w["task"].pk], "reason": "提醒", "reply_due": w["today"].isoformat()},
     (403, 403, 403, 403, 302)),
    ("action", "get", lambda w: f"/supervision/actions/{w['action'].pk}/", None, (200, 404, 404, 200, 200)),
    ("action_reply", "post", lambda w: f"/supervision/actions/{w['action'].pk}/reply/", lambda w, u: {"reply": "已整改"}, (302, 404, 404, 403, 403)),
    ("action_close", "post", lambda w: f"/supervision/actions/{w['action'].pk}/close/", lambda w, u: {"note": "不再需要", "event": "close"}, (403, 404, 404, 403, 302)),
    ("proposal_confirm", "post", lambda w: f"/supervision/proposals/{w['proposal'].pk}/confirm/", lambda w, u: {}, (404, 404, 404, 404, 302)),
    ("proposal_dismiss", "post", lambda w: f"/supervision/proposals/{w['proposal'].pk}/dismiss/", lambda w, u: {"note": "已电话督促"}, (404, 404, 404, 404, 302)),
    ("inbox", "get", lambda w: "/supervision/inbox/", None, (200, 200, 200, 200, 200)),
    ("inbox_read", "post", lambda w: f"/supervision/inbox/{w['notification'].pk}/read/", lambda w, u: {}, (302, 404, 404, 404, 404)),
    ("reviews", "get", lambda w: "/supervision/reviews/", None, (200, 200, 200, 200, 200)),
    ("review_new", "get", lambda w: "/supervision/reviews/new/", None, (403, 403, 403, 403, 200)),
    ("review_open", "post", lambda w: "/supervision/reviews/new/",
     lambda w, u: {"title": "再回头看", "due_on": (w["today"] + dt.timedelta(days=3)).isoformat()}, (403, 403, 403, 403, 302)),
    ("review", "get", lambda w: f"/supervision/reviews/{w['round'].pk}/", None, (200, 200, 404, 200, 200)),
    ("review_confirm", "post", lambda w: f"/supervision/reviews/items/{w['item'].pk}/confirm/", lambda w, u: {"verdict": "on_track"}, (302, 404, 404, 403, 403)),
    ("review_close", "post", lambda w: f"/supervision/reviews/{w['round'].pk}/close/", lambda w, u: {}, (403, 403, 404, 403, 302)),
    ("scoreboard", "get", lambda w: "/supervision/scoreboard/", None, (200, 200, 200, 200, 200)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,method,url,data,expected", PAGES, ids=[p[0] for p in PAGES])
def test_it_guards_every_page(world, cast, units, login, role, name, method, url, data, expected):
    client = login(cast[role])
    want = expected[ROLES.index(role)]
    before = state(world)
    if method == "get":
        response = client.get(url(world))
    else:
        response = client.post(url(world), data(world, units))
    assert response.status_code == want, (name, role, response.content.decode()[:500])
    if want >= 400 and method == "post":
        assert state(world) == before


def test_it_requires_a_login(client, world):
    for _name, _method, url, _data, _expected in PAGES:
        response = client.get(url(world))
        assert response.status_code in (302, 405) and (response.status_code == 405 or "/login/" in response["Location"])


@pytest.mark.parametrize("role,sees", [("owner", True), ("member", False), ("outsider", False), ("leader", True), ("supervisor", True)])
def test_it_lists_only_the_actions_addressed_to_the_users_units(world, cast, login, role, sees):
    body = login(cast[role]).get("/supervision/").content.decode()
    assert (world["action"].number in body) is sees
    assert ("持续红灯" in body) is (role == "supervisor")  # proposals: the office only


# --- API --------------------------------------------------------------------------------------
API = [
    ("list_actions", "get", lambda w: "/api/supervision/actions", None, (200, 200, 200, 200, 200)),
    ("get_action", "get", lambda w: f"/api/supervision/actions/{w['action'].pk}", None, (200, 404, 404, 200, 200)),
    ("issue_action", "post", lambda w: "/api/supervision/actions",
     lambda w, u: {"kind": "remind", "unit_id": u["lead"].pk, "task_ids": [w["task"].pk], "reason": "提醒", "reply_due": w["today"].isoformat()},
     (403, 403, 403, 403, 201)),
    ("reply_action", "post", lambda w: f"/api/supervision/actions/{w['action'].pk}/reply", lambda w, u: {"text": "已整改"}, (200, 404, 404, 403, 403)),
    ("close_action", "post", lambda w: f"/api/supervision/actions/{w['action'].pk}/close", lambda w, u: {"text": "不再需要"}, (403, 404, 404, 403, 200)),
    ("list_proposals", "get", lambda w: "/api/supervision/proposals", None, (200, 200, 200, 200, 200)),
    ("confirm_proposal", "post", lambda w: f"/api/supervision/proposals/{w['proposal'].pk}/confirm", lambda w, u: {}, (404, 404, 404, 404, 200)),
    ("dismiss_proposal", "post", lambda w: f"/api/supervision/proposals/{w['proposal'].pk}/dismiss", lambda w, u: {"text": "已督促"}, (404, 404, 404, 404, 200)),
    ("list_notifications", "get", lambda w: "/api/supervision/notifications", None, (200, 200, 200, 200, 200)),
    ("read_notification", "post", lambda w: f"/api/supervision/notifications/{w['notification'].pk}/read", lambda w, u: {}, (200, 404, 404, 404, 404)),
    ("list_reviews", "get", lambda w: "/api/supervision/reviews", None, (200, 200, 200, 200, 200)),
    ("get_review", "get", lambda w: f"/api/supervision/reviews/{w['round'].pk}", None, (200, 200, 404, 200, 200)),
    ("open_review", "post", lambda w: "/api/supervision/reviews", lambda w, u: {"title": "再回头看", "due_on": w["today"].isoformat()}, (403, 403, 403, 403, 201)),
    ("confirm_review_item", "post", lambda w: f"/api/supervision/reviews/items/{w['item'].pk}/confirm", lambda w, u: {"verdict": "done"}, (200, 404, 404, 403, 403)),
    ("scoreboard", "get", lambda w: "/api/supervision/scoreboard", None, (200, 200, 200, 200, 200)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,method,url,data,expected", API, ids=[a[0] for a in API])
def test_it_guards_every_endpoint(world, cast, units, client, role, name, method, url, data, expected):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=cast[role], name='t')[1]}"}
    want = expected[ROLES.index(role)]
    before = state(world)
    if method == "get":
        response = client.get(url(world), **headers)
    else:
        response = client.post(url(world), data(world, units), content_type="application/json", **headers)
    assert response.status_code == want, (name, role, response.content.decode()[:500])
    if want >= 400 and method == "post":
        assert state(world) == before


@pytest.mark.parametrize(
    "role,actions,proposals,notifications,reviews",
    [("owner", 1, 0, 2, 1), ("member", 0, 0, 1, 1), ("outsider", 0, 0, 0, 0), ("leader", 1, 0, 0, 1), ("supervisor", 1, 1, 1, 1)],
)
def test_it_scopes_api_lists(world, cast, client, role, actions, proposals, notifications, reviews):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=cast[role], name='t')[1]}"}
    assert len(client.get("/api/supervision/actions", **headers).json()["items"]) == actions
    assert len(client.get("/api/supervision/proposals", **headers).json()["items"]) == proposals
    # owner: the action and the round's notice; member: the round's notice to 财政局; supervisor: the proposal
    assert len(client.get("/api/supervision/notifications", **headers).json()["items"]) == notifications
    assert len(client.get("/api/supervision/reviews", **headers).json()["items"]) == reviews


def test_it_shows_only_the_rows_of_the_users_units_on_the_scoreboard(world, cast, client, units):
    rows = {
        role: {r["unit_id"] for r in client.get("/api/supervision/scoreboard", HTTP_AUTHORIZATION=f"Bearer {token_create(user=cast[role], name='t')[1]}").json()["rows"]}
        for role in ROLES
    }
    assert rows["supervisor"] == {units["lead"].pk, units["co"].pk}
    assert rows["leader"] == rows["supervisor"]
    assert rows["owner"] == {units["lead"].pk} and rows["member"] == {units["co"].pk} and rows["outsider"] == set()


def test_it_publishes_the_endpoints_in_the_openapi_schema(cast, login):
    paths = login(cast["owner"]).get("/api/openapi.json").json()["paths"]
    for path in ("/api/supervision/actions", "/api/supervision/actions/{action_id}/reply", "/api/supervision/proposals/{proposal_id}/confirm",
                 "/api/supervision/notifications", "/api/supervision/reviews", "/api/supervision/scoreboard"):
        assert path in paths
