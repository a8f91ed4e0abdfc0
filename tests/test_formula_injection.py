"""Formula injection: every cell every export writes — titles, headers, group headers, rows, sheet
names, CSV — goes through the one neutraliser (luoshi.core.spreadsheets.neutralise/sheet_title).
Each export is read back with openpyxl (CSV with the csv module) and no cell may be a formula."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from luoshi.core.spreadsheets import Column, FORMULA_PREFIXES, neutralise, sheet_title, workbook_bytes, write_table
from luoshi.indicators.models import Entity, Indicator, IndicatorSet, Observation, Period
from luoshi.projects import tabular as project_tabular
from luoshi.projects.models import Project
from luoshi.reports import exports, streaming
from luoshi.requests import exports as request_exports
from luoshi.tasks.models import Task

from .test_reports_world import TODAY, make_task

EVIL = ['=HYPERLINK("http://x","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def assert_no_formula(content: bytes, evil=()) -> list:
    """Every cell of every sheet, read without evaluating; returns the string values."""
    wb = load_workbook(io.BytesIO(content), data_only=False)
    values = []
    for ws in wb.worksheets:
        assert not ws.title.startswith(FORMULA_PREFIXES + ("'",)), ws.title
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_PREFIXES), (ws.title, cell.coordinate, cell.value)
                    values.append(cell.value)
    for text in evil:
        assert any(text in value for value in values), f"{text!r} is in the file"
    return values


def test_it_quotes_every_formula_prefix_and_passes_numbers_through():
    assert [neutralise(text) for text in EVIL] == ["'" + text for text in EVIL]
    assert neutralise(-3) == -3 and neutralise("开办企业") == "开办企业" and neutralise(None) is None


def test_it_names_sheets_without_formula_prefixes_or_forbidden_characters():
    assert sheet_title("=A1/B2[x]") == "A1 B2 x"
    assert sheet_title("\t@'名称'") == "名称"
    assert sheet_title("[=x") == "x"
    assert sheet_title("长" * 40) == "长" * 31
    assert sheet_title("==") == "Sheet1"


def test_it_neutralises_titles_headers_and_groups_of_every_office_table():
    wb = Workbook()
    write_table(
        wb.active, title=EVIL[0], subtitle=EVIL[1],
        columns=[Column(EVIL[2]), Column(EVIL[3], group=EVIL[4]), Column(EVIL[5], group=EVIL[4])],
        rows=[EVIL[:3], EVIL[3:]],
    )
    assert_no_formula(workbook_bytes(wb), EVIL)


def test_it_neutralises_indicator_names_in_the_benchmark_headers(cast, units):
    s = IndicatorSet.objects.create(name=EVIL[0])
    us = Entity.objects.create(indicator_set=s, name="本市", is_us=True)
    other = Entity.objects.create(indicator_set=s, name=EVIL[3])
    period = Period.objects.create(indicator_set=s, key="2026", order=1)
    for i, text in enumerate(EVIL):
        ind = Indicator.objects.create(indicator_set=s, code=f"C{i}", name=text, category=EVIL[1], responsible_unit=units["lead"])
        for entity, value in ((us, 1 + i), (other, 2 + i)):
            Observation.objects.create(indicator_set=s, entity=entity, indicator=ind, period=period, value=value)
    content = exports.indicators(user=cast["supervisor"], today=TODAY).content
    assert_no_formula(content, EVIL)
    headers = [c.value for c in load_workbook(io.BytesIO(content)).worksheets[2][4]]
    assert "'" + EVIL[0] in headers


def test_it_neutralises_every_task_export_and_the_streamed_board(cast, units):
    from luoshi.directives.models import Directive

    directive = Directive.objects.create(title=EVIL[0], issued_on=dt.date(2026, 3, 1), text="……", status="published")
    # Titles are stored stripped, so the tab and CR variants arrive as a bare "=1+1".
    STORED = {text.strip() for text in EVIL}
    for text in EVIL:
        make_task(cast, title=text, lead=units["lead"], start=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                  measures=text, directive=directive, kind="rectification")
    for kind in ("ledger", "rectification", "decomposition"):
        extra = {"directive": directive.pk} if kind == "decomposition" else {}
        assert_no_formula(exports.export(kind, user=cast["supervisor"], today=TODAY, **extra).content, STORED)

    header, rows, widths = streaming.task_table(Task.objects.all())
    assert_no_formula(b"".join(streaming.xlsx_chunks(EVIL[0], header, rows, widths)), STORED)
    header, rows, _ = streaming.task_table(Task.objects.all())
    text = b"".join(streaming.csv_chunks([EVIL[1], *header], rows)).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + EVIL[1] in cells and "'" + EVIL[0] in cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)]


def test_it_writes_no_formula_in_the_other_exports(cast, login):
    assert_no_formula(project_tabular.export_ledger(Project.objects.none(), today=TODAY)[1])
    assert_no_formula(request_exports.problem_ledger([], today=TODAY)[1])
    response = login(cast["admin"]).get(reverse("orgs:import_template"))
    assert response.status_code == 200, response.status_code
    assert_no_formula(response.content)
