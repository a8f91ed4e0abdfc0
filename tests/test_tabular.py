"""Pure tests of luoshi.indicators.tabular (no Django needed: run with ``-p no:django``)."""

import io
from pathlib import Path

import openpyxl
import pytest

from luoshi.indicators.scoring import Observation
from luoshi.indicators.tabular import MISSING, format_errors, parse_direction, parse_number, read_observations

DATA = Path(__file__).parent / "data" / "indicators"
HEADER = "entity,indicator,period,value\n"


def read_csv(text, enc="utf-8", **kw):
    return read_observations(text.encode(enc), filename="f.csv", **kw)


def xlsx(sheets, formats=None):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    for (name, ref), fmt in (formats or {}).items():
        wb[name][ref].number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def errs(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def assert_nothing_valid(result):
    observations, specs, errors = result
    assert errors and observations == [] and specs == {}


EXPECTED_SAMPLE = {
    ("济源", "KB", "2024"): 5.0, ("焦作", "KB", "2024"): 3.0, ("新乡", "KB", "2024"): 3.0,
    ("鹤壁", "KB", "2024"): 1.0, ("安阳", "KB", "2024"): None,
    ("济源", "XD", "2024"): 20.0, ("焦作", "XD", "2024"): 10.0, ("新乡", "XD", "2024"): 40.0,
    ("鹤壁", "XD", "2024"): 30.0, ("安阳", "XD", "2024"): 40.0,
    ("济源", "KB", "2025"): 2.0, ("焦作", "KB", "2025"): 3.0, ("新乡", "KB", "2025"): 4.0,
    ("鹤壁", "KB", "2025"): 1.0, ("安阳", "KB", "2025"): 6.0,
    ("济源", "XD", "2025"): 25.0, ("焦作", "XD", "2025"): 25.0, ("新乡", "XD", "2025"): 30.0,
    ("鹤壁", "XD", "2025"): 20.0, ("安阳", "XD", "2025"): 35.0,
}


@pytest.mark.parametrize("name", ["sample_long.csv", "sample_long_gb18030.csv", "sample_wide.xlsx"])
def test_it_reads_the_sample_files_in_every_encoding_and_layout(name):
    observations, specs, errors = read_observations(DATA / name)
    assert errors == []
    assert {(o.entity, o.indicator, o.period): o.value for o in observations} == EXPECTED_SAMPLE
    assert specs["KB"].direction == "lower" and specs["XD"].direction == "higher"
    assert specs["KB"].unit == "天"


def test_it_reads_the_long_sample_spec_columns():
    result = read_observations(DATA / "sample_long.csv")
    assert result.layout == "long" and result.warnings == []
    assert (result.specs["KB"].name, result.specs["KB"].weight) == ("开办企业", 1.0)


def test_it_reads_utf8_with_bom_and_gb18030_and_file_objects():
    text = "城市,指标,年度,数值\n济源,开办企业,2024,3.5\n"
    for data in (b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("gb18030"), text.encode("utf-8")):
        observations, specs, errors = read_observations(io.BytesIO(data), filename="x.csv")
        assert errors == []
        assert observations == [Observation("济源", "开办企业", "2024", 3.5)]
        assert list(specs) == ["开办企业"]


def test_it_accepts_english_and_chinese_header_aliases_and_tabs():
    text = "单位\t指标代码\t时期\t值\t得分\t排名\t指标方向\t权重\t单位(计量)\t指标名称\t备注\n甲\tA\t2024Q1\t1\t80\t第2位\t越低越好\t2\t天\t开办\t随便\n"
    observations, specs, errors = read_csv(text)
    assert errors == []
    assert observations == [Observation("甲", "A", "2024Q1", 1.0, 80.0, 2)]
    s = specs["A"]
    assert (s.direction, s.weight, s.unit, s.name) == ("lower", 2.0, "天", "开办")


def test_it_parses_numbers_sensibly():
    assert parse_number("1,234.5") == 1234.5
    assert parse_number("12%") == 12.0
    assert parse_number("１２３．５") == 123.5  # full-width digits and point
    assert parse_number("−3") == -3.0  # U+2212 minus
    assert parse_number(" .5 ") == 0.5
    assert parse_number("1e3") == 1000.0
    assert parse_number(7) == 7.0
    assert parse_number(0.2, percent_format=True) == 20.0
    assert parse_number("—") is MISSING and parse_number("无") is MISSING and parse_number("N/A") is MISSING
    for bad in ("abc", "1,2.3", "1,23", "3.5天", "nan", "inf", "1.2.3", "", "#DIV/0!"):
        with pytest.raises(ValueError):
            parse_number(bad)
    with pytest.raises(ValueError):
        parse_number(True)


def test_it_parses_directions():
    assert [parse_direction(x) for x in ("正向", "越高越好", "higher", "HIGHER")] == ["higher"] * 4
    assert [parse_direction(x) for x in ("逆向", "越低越好", "lower", "负向")] == ["lower"] * 4
    with pytest.raises(ValueError):
        parse_direction("适中")


def test_it_reports_invalid_numbers_with_row_and_column_and_returns_nothing():
    result = read_csv(HEADER + "a,X,2024,1\nb,X,2024,abc\nc,X,2024,\"1,2.3\"\nd,X,2024,2\n")
    assert_nothing_valid(result)
    assert [(r, c) for r, c, _ in errs(result)] == [(3, "value"), (4, "value")]
    assert "无法识别的数字“abc”" in result.errors[0].message
    assert str(result.errors[0]).startswith("第3行，“value”列：无法识别的数字“abc”")


def test_it_reports_duplicates():
    result = read_csv("城市,指标,期间,值\n甲,A,2024,1\n乙,A,2024,2\n甲,A,2024,3\n")
    assert_nothing_valid(result)
    assert errs(result) == [(4, None, "与第2行重复（甲，A，2024）")]


def test_it_reports_blank_required_cells():
    result = read_csv("城市,指标,期间,值\n,A,2024,1\n乙,,2024,2\n丙,A,,3\n丁,A,2024,\n")
    assert_nothing_valid(result)
    assert errs(result) == [
        (2, "城市", "城市/单位为空"),
        (3, "指标", "指标为空"),
        (4, "期间", "期间为空"),
    ]


def test_it_reads_an_empty_value_cell_as_a_missing_value_with_a_warning():
    observations, _, errors = read_csv("城市,指标,期间,值\n甲,A,2024,1\n乙,A,2024,\n丙,A,2024,-\n丁,A,2024,\n")
    assert errors == []
    assert [(o.entity, o.value) for o in observations] == [("甲", 1.0), ("乙", None), ("丙", None), ("丁", None)]
    result = read_csv("城市,指标,期间,值\n甲,A,2024,1\n乙,A,2024,\n丙,A,2024,-\n丁,A,2024,\n")
    assert "第3、5行的值为空，按缺失值处理（同“-”或“无”）" in result.warnings


def test_it_accepts_explicit_missing_markers():
    observations, _, errors = read_csv(HEADER + "a,X,2024,-\nb,X,2024,暂无\nc,X,2024,5\n")
    assert errors == []
    assert [o.value for o in observations] == [None, None, 5.0]


def test_it_reports_conflicting_direction_and_weight():
    result = read_csv("城市,指标,期间,值,方向,权重\n甲,A,2024,1,正向,1\n乙,A,2024,2,逆向,1\n丙,A,2024,3,,2\n")
    assert_nothing_valid(result)
    assert errs(result) == [
        (3, "方向", "指标“A”的方向“逆向”与第2行的“正向”不一致"),
        (4, "权重", "指标“A”的权重“2”与第2行的“1”不一致"),
    ]


def test_it_reports_bad_direction_weight_score_and_rank():
    text = "城市,指标,期间,得分,排名,方向,权重\n甲,A,2024,120,1,正向,1\n乙,A,2024,50,2.5,向上,-1\n"
    result = read_csv(text)
    assert_nothing_valid(result)
    cols = [c for _, c, _ in errs(result)]
    assert cols == ["得分", "排名", "方向", "权重"]
    assert "得分应在0到100之间" in result.errors[0].message
    assert "排名应为正整数" in result.errors[1].message


def test_it_warns_when_direction_defaults():
    result = read_csv(HEADER + "a,X,2024,1\n")
    assert result.errors == [] and result.specs["X"].direction == "higher"
    assert result.warnings == ["以下指标未指定方向，按正向（越高越好）处理：X"]


def test_it_catches_unquoted_thousands_separators():
    result = read_csv(HEADER + "a,X,2024,1,234.5\n")
    assert_nothing_valid(result)
    assert errs(result)[0][0] == 2 and "第5列有数据但没有表头" in errs(result)[0][2]


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"", "f.csv", "文件为空"),
        (b"  \n\n", "f.csv", "文件为空"),
        (b"this is not a zip file", "f.xlsx", "这不是 .xlsx 格式的 Excel 文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "f.xls", "不支持旧版Excel(.xls)文件"),
        ("entity,indicator,period,value\n".encode("utf-16"), "f.csv", "UTF-16"),
        (b"entity,indicator,period,value\na,\xff\xfe\xfa,2024,1\n", "f.csv", "无法识别文件编码"),
        (b"entity,indicator\x00,period", "f.csv", "二进制"),
        (b"city;what;ever\n1;2;3\n", "f.csv", "表头缺少必需的列：指标、期间"),
        (b"entity,indicator,period,remark\n", "f.csv", "表头缺少数据列"),
        (b"entity,indicator,period,value\n", "f.csv", "只有表头，没有数据行"),
        (b"entity,indicator,period,value,\xe5\x80\xbc\n", "f.csv", "重复"),
    ],
)
def test_it_reports_broken_files(data, filename, message):
    result = read_observations(data, filename=filename)
    assert_nothing_valid(result)
    assert message in format_errors(result.errors)


def test_it_reports_csv_without_header_rows():
    result = read_csv("\n\n,,,\n")
    assert_nothing_valid(result)
    assert "找不到表头" in format_errors(result.errors)


def test_it_limits_the_number_of_rows():
    text = HEADER + "".join(f"e{i},X,2024,{i}\n" for i in range(5))
    assert read_csv(text, max_rows=5).errors == []
    result = read_csv(text, max_rows=4)
    assert_nothing_valid(result)
    assert errs(result) == [(None, None, "数据行数超过上限（4行），请拆分文件")]


def test_it_limits_the_file_size():
    result = read_csv(HEADER + "a,X,2024,1\n", max_bytes=10)
    assert_nothing_valid(result)
    assert "文件超过大小上限" in result.errors[0].message


def test_it_reads_long_xlsx_with_percent_cells_and_excel_numbers():
    data = xlsx({"数据": [["城市", "指标", "年度", "值"], ["甲", "A", 2024, 0.125], ["乙", "A", 2024.0, "1,234.5"],
                         [None, None, None, None], ["丙", "A", 2024, 3]]},
                {("数据", "D2"): "0.0%"})
    observations, specs, errors = read_observations(data, filename="x.xlsx")
    assert errors == []
    assert [(o.entity, o.period, o.value) for o in observations] == [
        ("甲", "2024", 12.5), ("乙", "2024", 1234.5), ("丙", "2024", 3.0)]


def test_it_reports_xlsx_errors_with_sheet_and_row():
    data = xlsx({"数据": [["城市", "指标", "年度", "值"], ["甲", "A", 2024, 1], ["乙", "A", 2024, "abc"],
                         ["丙", "A", 2024, "#DIV/0!"]]})
    result = read_observations(data, filename="x.xlsx")
    assert_nothing_valid(result)
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("数据", 3, "值"), ("数据", 4, "值")]
    assert str(result.errors[0]).startswith("工作表“数据”，第3行，“值”列：")
    assert "Excel错误值" in result.errors[1].message


def test_it_reads_wide_xlsx_one_sheet_per_period():
    data = xlsx({
        "2024": [["城市", "A", "B"], ["方向", "正向", "逆向"], ["权重", 1, 2], ["甲", 1, 2], ["乙", 3, None]],
        "2025": [["城市", "A", "B"], ["甲", "5", "-"], ["乙", 4, 1]],
    })
    result = read_observations(data, filename="w.xlsx")
    assert result.errors == [] and result.layout == "wide"
    assert [(o.entity, o.indicator, o.period, o.value) for o in result.observations] == [
        ("甲", "A", "2024", 1.0), ("甲", "B", "2024", 2.0), ("乙", "A", "2024", 3.0),
        ("甲", "A", "2025", 5.0), ("甲", "B", "2025", None), ("乙", "A", "2025", 4.0), ("乙", "B", "2025", 1.0),
    ]
    assert (result.specs["B"].direction, result.specs["B"].weight) == ("lower", 2.0)
    # only some sheets
    result = read_observations(data, filename="w.xlsx", sheets=["2025"])
    assert {o.period for o in result.observations} == {"2025"}


def test_it_reports_wide_xlsx_errors():
    data = xlsx({
        "2024": [["城市", "A", "A"], ["甲", 1, 2]],
        "2025": [["城市", "A", None], ["甲", 1, 9], ["甲", 2, None], [None, 3, None], ["乙", "x", None]],
        "2026": [["城市", "A"], ["方向", "逆向"], ["甲", 1]],
        "2027": [["城市", "A"], ["方向", "正向"], ["甲", 1]],
    })
    result = read_observations(data, filename="w.xlsx")
    assert_nothing_valid(result)
    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
        ("2024", 1, "A", "指标列“A”重复"),
        ("2025", 2, None, "第3列有数据但表头没有指标名称"),
        ("2025", 3, "城市", "“甲”与第2行重复"),
        ("2025", 4, "城市", "城市为空"),
        ("2025", 5, "A", "无法识别的数字“x”（只接受如 1234.5、1,234.5、12% 的写法，不带单位）"),
        ("2027", 2, "A", "指标“A”的方向“正向”与工作表“2026”第2行的“逆向”不一致"),
    ]


def test_it_rejects_wide_csv_and_detects_xlsx_by_content():
    assert "只支持.xlsx" in format_errors(read_csv(HEADER + "a,X,2024,1\n", layout="wide").errors)
    data = xlsx({"Sheet": [["城市", "指标", "期间", "值"], ["甲", "A", "2024", 1]]})
    observations, _, errors = read_observations(data)  # no filename: sniffed as a zip
    assert errors == [] and len(observations) == 1


def test_it_returns_nothing_valid_when_one_row_of_many_is_bad():
    rows = "".join(f"e{i},X,2024,{i}\n" for i in range(200))
    result = read_csv(HEADER + rows + "bad,X,2024,？\n")
    assert_nothing_valid(result)
    assert len(result.errors) == 1 and result.errors[0].row == 202


# Properties ---------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

finite = st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(finite)
def test_it_parses_what_python_and_excel_style_formatting_print(x):
    assert parse_number(repr(x)) == x
    assert parse_number(f"{x:,.2f}") == float(f"{x:.2f}")
    assert parse_number(f"{x:.3f}%") == float(f"{x:.3f}")
    full_width = f"{x:.2f}".translate(str.maketrans("0123456789.-", "０１２３４５６７８９．－"))
    assert parse_number(full_width) == float(f"{x:.2f}")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["甲", "乙", "丙"]), st.sampled_from(["A", "B"]),
                          st.sampled_from(["2024", "2025"]), st.one_of(finite, st.just("abc"))), max_size=12))
def test_it_returns_either_everything_or_nothing(rows):
    text = HEADER + "".join(f'{e},{i},{p},"{v}"\n' for e, i, p, v in rows)
    observations, specs, errors = read_csv(text)
    keys = [(e, i, p) for e, i, p, _ in rows]
    bad = any(v == "abc" for *_, v in rows) or len(set(keys)) < len(keys) or not rows
    if bad:
        assert errors and observations == [] and specs == {}
    else:
        assert errors == [] and [(o.entity, o.indicator, o.period, o.value) for o in observations] == [
            (e, i, p, float(repr(v))) for e, i, p, v in rows]
