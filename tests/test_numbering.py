"""Citable task numbers: 〔2026〕3-1.2 (tasks/numbering.py and Task.code)."""

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.core.management import call_command

from luoshi.directives.models import Directive
from luoshi.reports import exports
from luoshi.reports import services as report_services
from luoshi.supervision.models import Message
from luoshi.tasks import services as task_services
from luoshi.tasks.numbering import canonical_code, task_code


@pytest.mark.parametrize("typed,code", [
    ("〔2026〕3-1.2", "〔2026〕3-1.2"),
    ("[2026]3-1.2", "〔2026〕3-1.2"),
    ("（2026）3－1．2", "〔2026〕3-1.2"),
    ("2026-3-1.2", "〔2026〕3-1.2"),
    (" 〔2026〕零-5 ", "〔2026〕零-5"),
    ("2026-0-5", "〔2026〕零-5"),
    ("2026-03-7", "〔2026〕3-7"),
])
def test_it_reads_a_number_however_it_is_typed(typed, code):
    assert canonical_code(typed) == code


@pytest.mark.parametrize("typed", ["", "1.2", "开办企业", "2026", "〔2026〕"])
def test_it_tells_other_words_from_a_number(typed):
    assert canonical_code(typed) is None


def test_it_writes_the_code_with_hexagonal_brackets():
    assert task_code(2026, 3, "1.2") == "〔2026〕3-1.2"


def directive(title, issued_on):
    return Directive.objects.create(title=title, issued_on=issued_on, text=title + "正文。")


def test_it_numbers_directives_per_year_of_their_date_and_keeps_the_number(cast):
    first, second = directive("一", dt.date(2026, 3, 1)), directive("二", dt.date(2026, 5, 1))
    earlier = directive("上年", dt.date(2025, 12, 30))
    assert [(d.year, d.sequence) for d in (first, second, earlier)] == [(2026, 1), (2026, 2), (2025, 1)]
    second.issued_on = dt.date(2027, 1, 5)  # a corrected date does not renumber
    second.save()
    second.refresh_from_db()
    assert (second.year, second.sequence) == (2026, 2)


def test_it_gives_every_task_a_number_unique_in_the_office(cast, units):
    a, b = directive("一", dt.date(2026, 3, 1)), directive("二", dt.date(2026, 5, 1))
    create = task_services.task_create
    supervisor = cast["supervisor"]
    a1 = create(actor=supervisor, title="甲", directive=a, lead_unit=units["lead"])
    b1 = create(actor=supervisor, title="乙", directive=b, lead_unit=units["lead"])
    b1_1 = create(actor=supervisor, title="乙的子任务", parent=b1, lead_unit=units["lead"])
    with time_machine.travel(dt.datetime(2026, 7, 1, 9, 0), tick=False):
        loose = create(actor=supervisor, title="无来源文件的任务", lead_unit=units["lead"])
    # Both directives number their first task 1; the codes differ.
    assert (a1.number, b1.number) == ("1", "1")
    assert [t.code for t in (a1, b1, b1_1, loose)] == ["〔2026〕1-1", "〔2026〕2-1", "〔2026〕2-1.1", "〔2026〕零-1"]
    assert str(b1_1) == "〔2026〕2-1.1 乙的子任务"


def test_it_keeps_a_code_for_life(cast, units):
    task = task_services.task_create(actor=cast["supervisor"], title="甲", directive=directive("一", dt.date(2026, 3, 1)), lead_unit=units["lead"])
    task.number = "9"
    task.save()
    task.refresh_from_db()
    assert task.code == "〔2026〕1-1"


def test_it_finds_a_task_on_the_board_by_its_number_however_typed(cast, units, login):
    task = task_services.task_create(actor=cast["supervisor"], title="营商环境", directive=directive("一", dt.date(2026, 3, 1)), lead_unit=units["lead"], deadline=dt.date(2026, 12, 31))
    task_services.task_publish(actor=cast["supervisor"], task=task)
    client = login(cast["supervisor"])
    for typed in ("〔2026〕1-1", "2026-1-1"):
        page = client.get("/tasks/board/", {"q": typed}).content.decode()
        assert "营商环境" in page and "〔2026〕1-1" in page


def test_it_prints_the_code_in_the_ledger(cast, units):
    task = task_services.task_create(actor=cast["supervisor"], title="营商环境", directive=directive("一", dt.date(2026, 3, 1)), lead_unit=units["lead"], deadline=dt.date(2026, 12, 31))
    task_services.task_publish(actor=cast["supervisor"], task=task)
    sheet = openpyxl.load_workbook(io.BytesIO(exports.ledger(user=cast["supervisor"]).content)).active
    assert "〔2026〕1-1" in [cell for row in sheet.iter_rows(values_only=True) for cell in row]


def two_tasks(cast, units):
    """〔2026〕1-1 and 〔2026〕2-1.1: typed without the year, "1-1" must find the first only."""
    create, supervisor = task_services.task_create, cast["supervisor"]
    first = create(actor=supervisor, title="营商环境", directive=directive("一", dt.date(2026, 3, 1)), lead_unit=units["lead"],
                   start_on=dt.date(2026, 9, 1), deadline=dt.date(2026, 10, 31))
    other = create(actor=supervisor, title="其他", directive=directive("二", dt.date(2026, 5, 1)), lead_unit=units["lead"],
                   deadline=dt.date(2026, 12, 31))
    child = create(actor=supervisor, title="子任务", parent=other, lead_unit=units["lead"], deadline=dt.date(2026, 12, 31))
    for task in (first, other):
        task_services.task_publish(actor=supervisor, task=task, today=dt.date(2026, 9, 1))
    return first, child


@pytest.mark.parametrize("typed", ["1-1", "1－1", " 1-1 "])
def test_it_finds_a_task_by_its_number_without_the_year(cast, units, login, typed):
    first, child = two_tasks(cast, units)
    client = login(cast["supervisor"])
    page = client.get("/tasks/board/", {"q": typed}).content.decode()
    assert "营商环境" in page and "子任务" not in page
    listed = client.get("/tasks/", {"q": typed}).content.decode()
    assert "营商环境" in listed and "子任务" not in listed
    found = client.get("/api/tasks/", {"q": typed}).json()["items"]
    assert [t["code"] for t in found] == ["〔2026〕1-1"]
    assert [t["code"] for t in client.get("/api/tasks/", {"q": "2-1.1"}).json()["items"]] == [child.code]


def test_it_shows_the_number_on_the_workbench_and_in_messages(cast, units, login):
    first, _child = two_tasks(cast, units)
    assert first.code in login(cast["owner"]).get("/").content.decode()
    out = io.StringIO()
    call_command("sweep", "--date", "2026-11-20", stdout=out)
    titles = list(Message.objects.filter(task=first).values_list("title", flat=True))
    # Mail and webhook text are the message's title and body: the number is in what the unit reads.
    assert titles and all(first.code in title for title in titles)


def test_it_names_overdue_tasks_by_number_in_the_bulletin(cast, units):
    first, child = two_tasks(cast, units)
    bulletin = report_services.bulletin_create(actor=cast["supervisor"], period="2026-11", today=dt.date(2026, 11, 20))
    assert f"{first.code} 营商环境" in bulletin.body and child.code not in bulletin.body
