"""The one state-machine helper (luoshi.core.statemachine) and the four tables it serves. Each
table is compared with a copy written out here by hand from the rules the office gave."""

import pytest

from luoshi.core.statemachine import NotPermitted, ReasonMissing, StateMachine, TransitionRefused
from luoshi.directives.services import TRANSITIONS as DIRECTIVE_FLOW
from luoshi.reports.services import BULLETIN_FLOW
from luoshi.supervision import ladder
from luoshi.tasks import workflow

DOOR = StateMachine(
    {
        ("shut", "open"): ("open", {"porter"}),
        ("open", "shut"): ("shut", {"porter", "guest"}),
        ("shut", "lock"): ("locked", {"porter"}, True),
    },
    labels={"open": "开门"},
)


def test_it_finds_the_row_and_its_target():
    row = DOOR.check("shut", "open", {"porter"})
    assert (row.source, row.target, row.action, row.reason_required) == ("shut", "open", "open", False)
    assert row.label == "开门"
    assert DOOR.check("open", "shut", {"guest"}).target == "shut"


def test_it_refuses_a_move_not_in_the_table():
    with pytest.raises(TransitionRefused) as caught:
        DOOR.check("locked", "open", {"porter"})
    assert (caught.value.source, caught.value.action) == ("locked", "open")
    assert type(caught.value) is TransitionRefused


def test_it_refuses_a_role_the_row_does_not_name():
    with pytest.raises(NotPermitted):
        DOOR.check("shut", "open", {"guest"})


def test_it_requires_a_reason_where_the_row_says_so():
    with pytest.raises(ReasonMissing):
        DOOR.check("shut", "lock", {"porter"}, reason="   ")
    assert DOOR.check("shut", "lock", {"porter"}, reason="夜间").target == "locked"


def test_it_lists_what_to_offer_in_table_order():
    assert [r.action for r in DOOR.actions_from("shut", {"porter"})] == ["open", "lock"]
    assert [r.action for r in DOOR.actions_from("shut", {"guest"})] == []
    assert DOOR.may("shut", {"guest"}) and not DOOR.may("lock", {"guest"})


def test_it_takes_roles_as_a_collection_not_a_string():
    with pytest.raises(TypeError):
        DOOR.check("shut", "open", "porter")


def test_it_raises_the_error_classes_an_app_gives_it():
    class Mine(TransitionRefused):
        pass

    machine = StateMachine({("a", "go"): ("b", {"x"})}, refused=Mine)
    with pytest.raises(Mine):
        machine.allowed("b", "go")


# --- the four tables ---------------------------------------------------------------------------
def test_it_serves_the_task_workflow_table():
    expected = {
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
    assert workflow.MACHINE.as_table() == expected


def test_it_serves_the_ladder_table():
    expected = {
        ("issued", "reply"): ("replied", {"unit"}, True),
        ("overdue", "reply"): ("replied", {"unit"}, True),
        ("issued", "expire"): ("overdue", {"system"}, False),
        ("replied", "reopen"): ("issued", {"supervisor"}, True),
        ("replied", "close"): ("closed", {"supervisor"}, False),
        ("issued", "close"): ("closed", {"supervisor"}, True),
        ("overdue", "close"): ("closed", {"supervisor"}, True),
    }
    assert ladder.MACHINE.as_table() == expected


def test_it_serves_the_directive_table():
    s = {"supervisor"}
    expected = {
        ("draft", "parse"): ("decomposed", s, False),
        ("decomposed", "parse"): ("decomposed", s, False),
        ("draft", "import"): ("decomposed", s, False),
        ("decomposed", "import"): ("decomposed", s, False),
        ("decomposed", "publish"): ("published", s, False),
        ("published", "parse"): ("published", s, False),
        ("published", "import"): ("published", s, False),
        ("published", "publish"): ("published", s, False),
    }
    assert DIRECTIVE_FLOW.as_table() == expected


def test_it_serves_the_bulletin_table():
    assert BULLETIN_FLOW.as_table() == {("draft", "issue"): ("issued", {"supervisor"}, False)}
    with pytest.raises(TransitionRefused):
        BULLETIN_FLOW.check("issued", "issue", {"supervisor"})
