"""The task status machine (luoshi.tasks.workflow). Compared by codes; the one test that renders
labels configures minimal settings when nothing else has."""

import os
from itertools import product

import pytest

from luoshi.tasks import workflow as W
from luoshi.tasks.workflow import (
    ActionNotPermitted,
    InvalidTransition,
    ReasonRequired,
    actions_from,
    allowed,
    check,
)

# The brief, written out independently of the module: (from, action) -> (to, who, reason required).
EXPECTED = {
    ("draft", "publish"): ("in_progress", {"supervisor"}, False),
    ("in_progress", "request_closure"): ("closure_requested", {"lead_unit"}, False),
    ("returned", "request_closure"): ("closure_requested", {"lead_unit"}, False),
    ("closure_requested", "verify_closure"): ("closed", {"supervisor"}, False),
    ("closure_requested", "return"): ("returned", {"supervisor"}, True),
    ("in_progress", "suspend"): ("suspended", {"supervisor"}, True),
    ("returned", "suspend"): ("suspended", {"supervisor"}, True),
    ("suspended", "resume"): ("in_progress", {"supervisor"}, False),
    ("draft", "cancel"): ("cancelled", {"supervisor"}, True),
    ("in_progress", "cancel"): ("cancelled", {"supervisor"}, True),
    ("closure_requested", "cancel"): ("cancelled", {"supervisor"}, True),
    ("returned", "cancel"): ("cancelled", {"supervisor"}, True),
    ("suspended", "cancel"): ("cancelled", {"supervisor"}, True),
}
ALL_STATES = ["draft", "in_progress", "closure_requested", "closed", "returned", "suspended", "cancelled"]
ALL_ACTIONS = ["publish", "request_closure", "verify_closure", "return", "suspend", "resume", "cancel"]


def test_it_has_exactly_the_states_and_actions_of_the_brief():
    assert list(W.STATES) == ALL_STATES
    assert list(W.ACTIONS) == ALL_ACTIONS
    assert W.TERMINAL_STATES == {"closed", "cancelled"}


def test_it_has_exactly_the_transitions_of_the_brief():
    table = {(t.source, t.action): (t.target, set(t.roles), t.reason_required) for t in W.TRANSITIONS}
    assert table == EXPECTED
    assert len(W.TRANSITIONS) == len(EXPECTED)  # no duplicate rows


@pytest.mark.parametrize("key", sorted(EXPECTED), ids=lambda k: "%s-%s" % k)
def test_it_allows_every_listed_transition(key):
    source, action = key
    target, roles, needs_reason = EXPECTED[key]
    row = allowed(source, action)
    assert (row.source, row.target, row.action) == (source, target, action)
    done = check(source, action, roles, reason="材料不全，请补充佐证" if needs_reason else None)
    assert done is row and done.target == target


@pytest.mark.parametrize("source, action", [p for p in product(ALL_STATES, ALL_ACTIONS) if p not in EXPECTED])
def test_it_refuses_every_unlisted_pair(source, action):
    with pytest.raises(InvalidTransition) as caught:
        allowed(source, action)
    assert (caught.value.source, caught.value.action) == (source, action)
    with pytest.raises(InvalidTransition):
        check(source, action, {"supervisor", "lead_unit", "co_unit", "system"}, reason="理由")


def test_it_refuses_unknown_states_and_actions():
    for source, action in [("finished", "publish"), ("draft", "delete"), ("", "")]:
        with pytest.raises(InvalidTransition):
            allowed(source, action)
    with pytest.raises(InvalidTransition):
        actions_from("finished", {"supervisor"})
    assert issubclass(InvalidTransition, ValueError)


@pytest.mark.parametrize("key", sorted(k for k, v in EXPECTED.items() if v[2]), ids=lambda k: "%s-%s" % k)
@pytest.mark.parametrize("reason", [None, "", "   \n\t"])
def test_it_requires_a_reason_where_stated(key, reason):
    source, action = key
    with pytest.raises(ReasonRequired):
        check(source, action, EXPECTED[key][1], reason=reason)


@pytest.mark.parametrize("key", sorted(k for k, v in EXPECTED.items() if not v[2]), ids=lambda k: "%s-%s" % k)
def test_it_needs_no_reason_elsewhere(key):
    assert check(key[0], key[1], EXPECTED[key][1]).target == EXPECTED[key][0]


@pytest.mark.parametrize("key", sorted(EXPECTED), ids=lambda k: "%s-%s" % k)
def test_it_refuses_actors_without_a_listed_role(key):
    source, action = key
    others = set(W.ROLES) - EXPECTED[key][1]
    with pytest.raises(ActionNotPermitted):
        check(source, action, others, reason="理由")
    with pytest.raises(ActionNotPermitted):
        check(source, action, set(), reason="理由")


def test_it_checks_the_role_before_the_reason():
    with pytest.raises(ActionNotPermitted):
        check("closure_requested", "return", {"lead_unit"})


def test_it_rejects_a_bare_string_as_roles():
    with pytest.raises(TypeError):
        check("draft", "publish", "supervisor")
    with pytest.raises(TypeError):
        actions_from("draft", "supervisor")


def test_it_offers_actions_by_role_in_table_order():
    def codes(state, roles):
        return [t.action for t in actions_from(state, roles)]

    assert codes("in_progress", {"lead_unit"}) == ["request_closure"]
    assert codes("in_progress", {"supervisor"}) == ["suspend", "cancel"]
    assert codes("in_progress", {"supervisor", "lead_unit"}) == ["request_closure", "suspend", "cancel"]
    assert codes("closure_requested", {"supervisor"}) == ["verify_closure", "return", "cancel"]
    assert codes("closure_requested", {"lead_unit"}) == []
    assert codes("returned", {"lead_unit"}) == ["request_closure"]
    assert codes("draft", {"co_unit", "system"}) == []
    for state in ALL_STATES:
        everything = {(t.source, t.action) for t in actions_from(state, W.ROLES)}
        assert everything == {k for k in EXPECTED if k[0] == state}


def test_it_lets_nothing_leave_a_terminal_state_and_cancels_from_any_other():
    for state in ALL_STATES:
        if W.is_terminal(state):
            assert actions_from(state, W.ROLES) == []
        else:
            assert allowed(state, "cancel").target == "cancelled"


def test_it_reaches_every_state_from_draft():
    seen, frontier = {"draft"}, ["draft"]
    while frontier:
        for t in actions_from(frontier.pop(), W.ROLES):
            if t.target not in seen:
                seen.add(t.target)
                frontier.append(t.target)
    assert seen == set(ALL_STATES)


def test_it_marks_the_states_health_assesses():
    assert W.ACTIVE_STATES == {"in_progress", "closure_requested", "returned"}
    assert [code for code, _ in W.STATE_CHOICES] == ALL_STATES


@pytest.fixture
def plain_settings():
    from django.conf import settings

    if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
        settings.configure(USE_I18N=False)
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


def test_it_labels_states_and_actions_in_chinese(plain_settings):
    assert {k: str(v) for k, v in W.STATE_LABELS.items()} == {
        "draft": "草稿", "in_progress": "推进中", "closure_requested": "申请销号", "closed": "已销号",
        "returned": "已退回", "suspended": "已暂停", "cancelled": "已撤销",
    }
    assert str(allowed("closure_requested", "verify_closure").label) == "销号"
    assert set(W.ACTION_LABELS) == set(ALL_ACTIONS)


def test_it_explains_refusals_in_chinese(plain_settings):
    with pytest.raises(InvalidTransition) as caught:
        allowed("closed", "cancel")
    assert str(caught.value) == "任务当前状态为“已销号”，不能撤销"
    with pytest.raises(ReasonRequired) as caught:
        check("closure_requested", "return", {"supervisor"}, reason=" ")
    assert str(caught.value) == "“退回”须填写理由"
    with pytest.raises(ActionNotPermitted) as caught:
        check("closure_requested", "verify_closure", {"lead_unit"})
    assert str(caught.value) == "无权对该任务执行“销号”操作"
    with pytest.raises(InvalidTransition) as caught:
        allowed("finished", "publish")
    assert str(caught.value) == "未知的任务状态：finished"
