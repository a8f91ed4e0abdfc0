"""The decomposition grid: bulk assignment, splitting at a clause mark or into actions, merging
with renumbering, teaching the directory a unit's other name, the document's own date; the pages,
their htmx partials, access, and the same operations over the API."""

import datetime as dt
import json

import pytest
import time_machine
from django.urls import reverse

from luoshi.core.errors import Conflict, Invalid
from luoshi.directives import services
from luoshi.directives.models import DecompositionItem, ItemState
from luoshi.orgs.models import Unit
from luoshi.orgs.services import unit_alias_add

NEWS = (
    "9月3日，县政府召开常务会议。会议要求，县疾控中心要做好秋冬季传染病防控，年底前完成。"
    "各乡镇要做好防汛值守，落实好秋播准备，加快A、B、C等项目建设。\n"
)
ISSUED = dt.date(2026, 9, 3)


@pytest.fixture(autouse=True)
def two_days_after_the_speech():
    """The rows' deadlines are typed for a speech of 3 September: read them on the 5th, whatever
    the calendar says (a row cannot be given a deadline before the day its task could start)."""
    with time_machine.travel(dt.datetime(2026, 9, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        yield
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def news(cast, units):
    return services.directive_create(actor=cast["supervisor"], title="常务会议", issued_on=ISSUED, date_confirmed=True, text=NEWS)


def rows(directive):
    return list(directive.items.order_by("position", "pk"))


def row_with(directive, words):
    return next(i for i in rows(directive) if words in i.source_text)


# --- services ----------------------------------------------------------------------------------


def test_it_reads_the_meeting_news_as_one_row_per_action(news):
    # 传染病防控; 防汛值守; 秋播准备; 项目建设
    assert [i.position for i in rows(news)] == [1, 2, 3, 4]
    assert "县疾控中心" in row_with(news, "传染病").unit_names


def test_it_assigns_a_lead_unit_deadline_and_cadence_to_several_rows_at_once(news, cast, units):
    first, second = row_with(news, "防汛"), row_with(news, "秋播")
    services.items_bulk_assign(
        actor=cast["supervisor"],
        directive=news,
        items=[first, second],
        versions={first.pk: first.version, second.pk: second.version},
        lead_unit=units["lead"],
        co_units=[units["co"], units["lead"]],
        deadline=dt.date(2026, 10, 31),
        cadence="weekly",
    )
    for item in (first, second):
        item = DecompositionItem.objects.get(pk=item.pk)
        assert item.lead_unit == units["lead"] and item.deadline == dt.date(2026, 10, 31) and item.cadence == "weekly"
        # The lead unit is never its own co-unit.
        assert list(item.co_units.all()) == [units["co"]]
        assert item.deadline_edited


def test_a_bulk_assignment_with_one_stale_row_changes_no_row(news, cast, units):
    first, second = row_with(news, "防汛"), row_with(news, "秋播")
    version = first.version
    services.item_update(actor=cast["supervisor"], item=second, expected_version=second.version, title="落实秋播准备")
    with pytest.raises(Conflict):
        services.items_bulk_assign(
            actor=cast["supervisor"],
            directive=news,
            items=[first, second],
            versions={first.pk: first.version, second.pk: 1},
            lead_unit=units["lead"],
        )
    assert DecompositionItem.objects.get(pk=first.pk).lead_unit is None
    assert DecompositionItem.objects.get(pk=first.pk).version == version


def test_a_bulk_assignment_refused_by_the_plan_rules_changes_no_row(news, cast, units):
    first, second = row_with(news, "防汛"), row_with(news, "秋播")
    DecompositionItem.objects.filter(pk=second.pk).update(cadence="weekly", due_day=5)
    with pytest.raises(Invalid):
        services.items_bulk_assign(actor=cast["supervisor"], directive=news, items=[first, second], cadence="fortnightly")
    assert [DecompositionItem.objects.get(pk=i.pk).cadence for i in (first, second)] == ["monthly", "weekly"]


def test_it_splits_at_a_clause_mark_and_renumbers(news, cast):
    item = row_with(news, "传染病")
    # 会议要求，县疾控中心要做好秋冬季传染病防控，|年底前完成。
    at = item.source_start + item.source_text.index("防控，") + 3
    assert at in services.boundaries(item)
    second = services.item_split(actor=cast["supervisor"], item=item, at=at, expected_version=item.version)
    assert second.source_text == "年底前完成。"
    assert [i.position for i in rows(news)] == [1, 2, 3, 4, 5]
    assert rows(news)[1].pk == second.pk


def test_it_merges_rows_and_splits_them_back_into_their_actions(news, cast):
    items = [row_with(news, w) for w in ("防汛", "秋播", "项目建设")]
    kept = services.items_merge(actor=cast["supervisor"], directive=news, items=items)
    assert [i.position for i in rows(news)] == [1, 2]
    assert kept.position == 2 and "防汛" in kept.source_text and "项目建设" in kept.source_text
    parts = services.item_split_actions(actor=cast["supervisor"], item=kept, expected_version=kept.version)
    assert [p.title for p in parts] == ["做好防汛值守", "落实好秋播准备", "加快A、B、C等项目建设"]
    assert [i.position for i in rows(news)] == [1, 2, 3, 4]


def test_a_row_of_one_action_is_not_split_into_actions(news, cast):
    item = row_with(news, "防汛")
    with pytest.raises(Invalid, match="只有一项"):
        services.item_split_actions(actor=cast["supervisor"], item=item)
    assert len(rows(news)) == 4


def test_dropping_a_row_closes_up_the_numbers_and_restoring_puts_it_back(news, cast):
    second = rows(news)[1]
    services.item_set_state(actor=cast["supervisor"], item=second, state=ItemState.DROPPED)
    assert [i.number for i in services.numbered(rows(news))] == [1, None, 2, 3]
    services.item_set_state(actor=cast["supervisor"], item=second, state=ItemState.CANDIDATE)
    assert [i.number for i in services.numbered(rows(news))] == [1, 2, 3, 4]


def test_mapping_an_unknown_name_teaches_the_next_parse(news, cast, units):
    health = Unit.objects.create(name="示范县疾病预防控制中心", short_name="疾控中心")
    item = row_with(news, "传染病")
    services.item_map_unit(actor=cast["supervisor"], item=item, name="县疾控中心", unit=health)
    item.refresh_from_db()
    assert item.lead_unit == health and "县疾控中心" not in item.unit_names
    health.refresh_from_db()
    assert health.alias_list == ["县疾控中心"]
    assert health.history.first().history_change_reason == "添加别名：县疾控中心"
    again = services.directive_create(actor=cast["supervisor"], title="再议", issued_on=ISSUED, date_confirmed=True, text=NEWS)
    assert row_with(again, "传染病").lead_unit == health


def test_an_alias_another_unit_answers_to_is_refused_and_nothing_changes(news, cast, units):
    item = row_with(news, "传染病")
    unit_alias_add(actor=cast["supervisor"], unit=units["other"], alias="县疾控中心")
    with pytest.raises(Conflict, match="示范市教育局"):
        services.item_map_unit(actor=cast["supervisor"], item=item, name="县疾控中心", unit=units["co"])
    units["co"].refresh_from_db()
    assert units["co"].aliases == "市财政局"
    assert DecompositionItem.objects.get(pk=item.pk).unit_names == item.unit_names


def test_only_supervisors_teach_the_directory(cast, units):
    from luoshi.core.errors import Forbidden

    with pytest.raises(Forbidden):
        unit_alias_add(actor=cast["owner"], unit=units["co"], alias="财政")
    assert units["co"].aliases == "市财政局"


def test_it_reports_when_the_document_dates_itself_otherwise(cast, units):
    directive = services.directive_create(actor=cast["supervisor"], title="x", issued_on=dt.date(2026, 9, 10), text=NEWS)
    found = services.document_date(directive)
    assert (found.date, found.mismatch) == (dt.date(2026, 9, 3), True)
    assert found.text.startswith("9月3日")


# --- pages -------------------------------------------------------------------------------------


def test_the_page_is_the_decomposition_table_with_its_columns_and_clause_marks(news, cast, login):
    page = login(cast["supervisor"]).get(reverse("directives:detail", args=[news.pk])).content.decode()
    for column in ("序号", "工作任务", "具体措施", "牵头领导", "牵头单位", "责任单位", "完成时限", "报送周期", "来源"):
        assert f"<th>{column}</th>" in page or f'<th class="c-no">{column}</th>' in page, column
    assert 'class="cut"' in page and "对应到…" in page and "拆分为各项" in page
    assert 'id="sel-form"' in page


def test_the_page_warns_when_the_document_dates_itself_otherwise(cast, login, units):
    directive = services.directive_create(actor=cast["supervisor"], title="x", issued_on=dt.date(2026, 9, 10), text=NEWS)
    page = login(cast["supervisor"]).get(reverse("directives:detail", args=[directive.pk])).content.decode()
    assert "原文显示的日期是 2026-09-03" in page and "9月3日，县政府召开" in page


def test_the_selection_bar_assigns_by_htmx_and_renumbers(news, cast, login, units):
    first, second = row_with(news, "防汛"), row_with(news, "秋播")
    client = login(cast["supervisor"])
    url = reverse("directives:selection", args=[news.pk])
    data = {"op": "assign", "items": [first.pk, second.pk], f"v-{first.pk}": first.version, f"v-{second.pk}": second.version}
    response = client.post(url, {**data, "lead_unit": units["lead"].pk, "deadline": "2026-10-31"}, **HTMX)
    assert response.status_code == 200 and 'id="items"' in response.content.decode()
    assert {i.lead_unit_id for i in (DecompositionItem.objects.get(pk=p) for p in (first.pk, second.pk))} == {units["lead"].pk}
    response = client.post(url, {"op": "merge", "items": [first.pk, second.pk]}, **HTMX)
    assert [i.position for i in rows(news)] == [1, 2, 3]


def test_the_selection_bar_works_without_javascript(news, cast, login):
    first = row_with(news, "防汛")
    response = login(cast["supervisor"]).post(
        reverse("directives:selection", args=[news.pk]), {"op": "accepted", "items": [first.pk], f"v-{first.pk}": first.version}
    )
    assert response.status_code == 302
    assert DecompositionItem.objects.get(pk=first.pk).state == ItemState.ACCEPTED


def test_a_row_saves_without_javascript(news, cast, login, units):
    item = row_with(news, "防汛")
    data = {"version": item.version, "title": "做好防汛值守工作", "measures": item.measures, "lead_unit": units["co"].pk,
            "deadline": "2026-10-01", "deadline_text": "", "cadence": "monthly", "due_day": ""}
    response = login(cast["supervisor"]).post(reverse("directives:item_edit", args=[news.pk, item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.lead_unit, item.deadline) == ("做好防汛值守工作", units["co"], dt.date(2026, 10, 1))


def test_the_clause_mark_and_map_unit_endpoints_redraw_the_table(news, cast, login):
    client = login(cast["supervisor"])
    item = row_with(news, "传染病")
    cut = item.source_text.index("防控，") + 3
    response = client.post(reverse("directives:item_split", args=[news.pk, item.pk]), {"version": item.version, "at": cut}, **HTMX)
    assert response.status_code == 200 and len(rows(news)) == 5
    health = Unit.objects.create(name="示范县疾病预防控制中心")
    response = client.post(
        reverse("directives:item_map_unit", args=[news.pk, item.pk]), {"name": "县疾控中心", "unit": health.pk}, **HTMX
    )
    assert response.status_code == 200 and 'id="items"' in response.content.decode()
    assert DecompositionItem.objects.get(pk=item.pk).lead_unit == health
    merged = services.items_merge(actor=cast["supervisor"], directive=news, items=[row_with(news, w) for w in ("防汛", "秋播")])
    response = client.post(reverse("directives:item_split_actions", args=[news.pk, merged.pk]), {"version": merged.version}, **HTMX)
    assert response.status_code == 200 and len(rows(news)) == 5


@pytest.mark.parametrize("who", ["owner", "outsider"])
def test_liaisons_and_outsiders_get_404_on_every_grid_endpoint(news, cast, login, who):
    item = row_with(news, "传染病")
    client = login(cast[who])
    for name, args, data in (
        ("selection", [news.pk], {"op": "accepted", "items": [item.pk]}),
        ("item_split_actions", [news.pk, item.pk], {}),
        ("item_map_unit", [news.pk, item.pk], {"name": "县疾控中心", "unit": 1}),
    ):
        assert client.post(reverse(f"directives:{name}", args=args), data).status_code == 404, name
    assert DecompositionItem.objects.get(pk=item.pk).state == ItemState.CANDIDATE


def test_a_leader_reads_the_published_table_and_may_not_change_it(news, cast, login, units):
    item = row_with(news, "传染病")
    services.item_update(actor=cast["supervisor"], item=item, expected_version=item.version, lead_unit=units["lead"],
                         deadline=dt.date(2026, 12, 31))
    services.item_set_state(actor=cast["supervisor"], item=item, state=ItemState.ACCEPTED)
    services.directive_publish(actor=cast["supervisor"], directive=news, today=ISSUED)
    other = row_with(news, "防汛")
    client = login(cast["leader"])
    page = client.get(reverse("directives:detail", args=[news.pk])).content.decode()
    assert "<th>工作任务</th>" in page and 'id="sel-form"' not in page and 'class="cut"' not in page
    for name, args, data in (
        ("selection", [news.pk], {"op": "accepted", "items": [other.pk]}),
        ("item_split_actions", [news.pk, other.pk], {}),
        ("item_map_unit", [news.pk, other.pk], {"name": "各乡镇", "unit": units["co"].pk}),
    ):
        assert client.post(reverse(f"directives:{name}", args=args), data).status_code == 403, name
    assert DecompositionItem.objects.get(pk=other.pk).state == ItemState.CANDIDATE


# --- API ---------------------------------------------------------------------------------------


def bearer(user):
    from luoshi.api.services import token_create

    _record, token = token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client, url, payload, auth):
    return client.post(url, json.dumps(payload), content_type="application/json", **auth)


def test_the_api_offers_the_grid_operations(client, news, cast, units):
    auth = bearer(cast["supervisor"])
    base = f"/api/directives/directives/{news.pk}"
    items = client.get(f"{base}/items", **auth).json()["items"]
    fever = next(i for i in items if "传染病" in i["measures"])
    assert fever["boundaries"] and all(fever["source_start"] < b < fever["source_end"] for b in fever["boundaries"])
    flood, autumn = (next(i for i in items if w in i["measures"]) for w in ("防汛", "秋播"))
    body = {"item_ids": [flood["id"], autumn["id"]], "versions": {flood["id"]: flood["version"]}, "lead_unit_id": units["lead"].pk,
            "deadline": "2026-10-31"}
    response = post(client, f"{base}/bulk-assign", body, auth)
    assert response.status_code == 200, response.content
    assert {(i["lead_unit_id"], i["deadline"]) for i in response.json()} == {(units["lead"].pk, "2026-10-31")}
    stale = post(client, f"{base}/bulk-assign", {**body, "versions": {flood["id"]: flood["version"]}, "cadence": "weekly"}, auth)
    assert stale.status_code == 409
    assert DecompositionItem.objects.get(pk=autumn["id"]).cadence == "monthly"
    merged = post(client, f"{base}/merge", {"item_ids": [flood["id"], autumn["id"]]}, auth).json()
    parts = post(client, f"{base}/items/{merged['id']}/split-actions", {"version": merged["version"]}, auth)
    assert parts.status_code == 200 and len(parts.json()) == 2
    health = Unit.objects.create(name="示范县疾病预防控制中心")
    mapped = post(client, f"{base}/items/{fever['id']}/map-unit", {"name": "县疾控中心", "unit_id": health.pk}, auth)
    assert mapped.status_code == 200 and mapped.json()["lead_unit_id"] == health.pk
    conflict = post(client, f"{base}/items/{fever['id']}/map-unit", {"name": "县疾控中心", "unit_id": units["co"].pk}, auth)
    assert conflict.status_code == 400  # no longer an unknown name of this row
    states = post(client, f"{base}/states", {"item_ids": [fever["id"]], "state": "dropped"}, auth)
    assert states.status_code == 200 and states.json()[0]["state"] == "dropped"
    detail = client.get(base, **auth).json()
    assert detail["document_date"]["date"] == "2026-09-03" and detail["document_date"]["mismatch"] is False


def test_the_api_refuses_grid_operations_to_leaders_and_liaisons(client, news, cast, units):
    item = row_with(news, "防汛")
    base = f"/api/directives/directives/{news.pk}"
    body = {"item_ids": [item.pk], "lead_unit_id": units["lead"].pk}
    assert post(client, f"{base}/bulk-assign", body, bearer(cast["owner"])).status_code == 404
    assert post(client, f"{base}/bulk-assign", body, bearer(cast["leader"])).status_code == 404  # not published: unseen
    assert DecompositionItem.objects.get(pk=item.pk).lead_unit is None
