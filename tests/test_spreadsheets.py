"""The spreadsheet import toolkit every import uses (luoshi.core.spreadsheets): row errors, the
limits from settings, and the apply step (nothing written on any error; dry run writes nothing)."""

import pytest
from django.test import override_settings
from openpyxl import Workbook

from luoshi.core.spreadsheets import (
    ImportReport,
    RowError,
    Column,
    RowErrors,
    SpreadsheetError,
    apply_import,
    import_limits,
    read_table,
    workbook_bytes,
    write_table,
)
from luoshi.indicators.tabular import read_observations
from luoshi.orgs.models import Unit


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    return workbook_bytes(wb)


def test_it_says_where_a_row_error_is():
    assert str(RowError(row=3, message="不是数字", column="数值", sheet="2024")) == "工作表“2024”，第3行，“数值”列：不是数字"
    assert str(RowError(row=None, message="文件为空")) == "文件为空"
    assert str(RowError(row=0, message="找不到表头")) == "找不到表头"


def test_it_lists_errors_up_to_the_limit_and_counts_the_rest():
    errors = RowErrors(max_errors=2)
    for row in (2, 3, 4, 5):
        errors.add(row, "错")
    errors.finish()
    assert [e.row for e in errors] == [2, 3, None]
    assert errors[-1].message == "另有2处错误未列出"


@override_settings(UPLOAD_MAX_BYTES=1000, IMPORT_MAX_ROWS=7, IMPORT_MAX_ERRORS=9)
def test_it_takes_the_limits_from_settings():
    limits = import_limits()
    assert (limits.max_bytes, limits.max_rows, limits.max_errors) == (1000, 7, 9)


@override_settings(IMPORT_MAX_ROWS=3)
def test_it_applies_one_row_limit_to_every_reader():
    data = _xlsx([["名称"], ["甲"], ["乙"], ["丙"], ["丁"]])  # five rows, three allowed
    with pytest.raises(SpreadsheetError, match="最多 3 行"):
        read_table(data, {"name": ["名称"]}, ["name"])
    csv = "entity,indicator,period,value\n" + "".join(f"e{i},X,2024,{i}\n" for i in range(4))
    result = read_observations(csv.encode(), filename="f.csv")
    assert [e.message for e in result.errors] == ["数据行数超过上限（3行），请拆分文件"]


@override_settings(UPLOAD_MAX_BYTES=100)
def test_it_applies_one_size_limit_to_every_reader():
    data = _xlsx([["名称"], ["甲"]])
    with pytest.raises(SpreadsheetError, match="文件过大"):
        read_table(data, {"name": ["名称"]}, ["name"])
    result = read_observations(b"entity,indicator,period,value\n" + b"a,X,2024,1\n" * 20, filename="f.csv")
    assert "文件超过大小上限" in result.errors[0].message


def test_it_finds_the_header_below_a_title_row():
    rows, index, cols = read_table(_xlsx([["某某表"], ["序号", "名称"], [1, "甲"]]), {"name": ["名称"]}, ["name"])
    assert (index, cols, rows[2]) == (1, {"name": 1}, (1, "甲"))


def test_it_reads_a_two_row_header_as_written_by_write_table_as_one():
    wb = Workbook()
    write_table(wb.active, title="某某台账", subtitle="截至2026-11-10", rows=[["甲", 1, "=1+1"], ["乙", 2, "-x"]], columns=[
        Column("名称"), Column("总额", group="资金（万元）"), Column("备注", group="资金（万元）"),
    ])
    columns = {"name": ["名称"], "total": ["总额"], "note": ["备注"]}
    rows, index, cols = read_table(workbook_bytes(wb), columns, ["name"])
    # Title, subtitle, the group row and the row of sub-headers; the data follows.
    assert (index, cols) == (3, {"name": 1, "total": 2, "note": 3})
    # Formula-like text comes back as written, without the apostrophe that kept it text.
    assert rows[4:] == [(1, "甲", 1, "=1+1"), (2, "乙", 2, "-x")]


def test_it_never_takes_a_data_row_for_the_second_row_of_a_header():
    columns = {"name": ["名称"], "total": ["总额"]}
    # The first row already names a column the row below fills: that row is data.
    rows, index, cols = read_table(_xlsx([["序号", "名称", "说明"], [1, "甲", "总额"]]), columns, ["name"])
    assert (index, cols) == (0, {"name": 1})


@pytest.mark.django_db
def test_it_writes_nothing_when_a_row_failed():
    report = ImportReport()
    report.error(4, "单位为空")
    apply_import(report, lambda r: Unit.objects.create(name="甲局"))
    assert not Unit.objects.filter(name="甲局").exists()


@pytest.mark.django_db
def test_it_writes_nothing_on_a_dry_run():
    apply_import(ImportReport(), lambda r: Unit.objects.create(name="甲局"), dry_run=True)
    assert not Unit.objects.filter(name="甲局").exists()


@pytest.mark.django_db
def test_it_writes_in_one_transaction_and_rolls_back_an_error_found_while_writing():
    apply_import(ImportReport(), lambda r: Unit.objects.create(name="甲局"))
    assert Unit.objects.filter(name="甲局").exists()

    def write_then_fail(report):
        Unit.objects.create(name="乙局")
        report.error(0, "上级单位关系形成了循环")

    report = apply_import(ImportReport(), write_then_fail)
    assert not report.ok and not Unit.objects.filter(name="乙局").exists()
