"""The ``benchmark`` management command, run in-process without a database.

``run(argv)`` needs no Django settings (pure: ``-p no:django`` works). The last test goes through
``call_command`` and is skipped unless Django is set up (pytest-django with luoshi.settings)."""

import json
from io import StringIO
from pathlib import Path

import pytest

from luoshi.indicators.management.commands.benchmark import run

SAMPLE = Path(__file__).parent / "data" / "indicators" / "sample_long.csv"


def by_entity(period):
    return {e["entity"]: e for e in period["entities"]}


def test_it_prints_hand_computed_json():
    code, out, err = run([str(SAMPLE), "--json"])
    assert code == 0 and err == ""
    report = json.loads(out)
    assert [p["period"] for p in report["periods"]] == ["2024", "2025"]
    p24 = report["periods"][0]
    # entities in rank order; 2024 composites: 安阳 100 (only 获得信贷), 鹤壁 (100 + 66.67)/2,
    # 新乡 (50 + 100)/2, 焦作 (50 + 0)/2, 济源 (0 + 33.33)/2
    assert [(e["entity"], e["rank"]) for e in p24["entities"]] == [
        ("安阳", 1), ("鹤壁", 2), ("新乡", 3), ("焦作", 4), ("济源", 5)]
    e = by_entity(p24)
    assert e["鹤壁"]["composite"] == pytest.approx(250 / 3)
    assert e["济源"]["composite"] == pytest.approx(50 / 3)
    assert e["安阳"]["indicators"]["KB"] == {"value": None, "score": None, "rank": None, "tier": None}
    assert e["焦作"]["indicators"]["KB"] == {"value": 3.0, "score": 50.0, "rank": 2, "tier": 1}
    assert e["新乡"]["indicators"]["KB"]["rank"] == 2
    assert set(e["济源"]) >= {"entity", "composite", "rank", "tier", "indicators"}
    # 2025: 济源 (80 + 33.33)/2 = 56.67, 新乡 53.33, 鹤壁 (100 + 0)/2 = 安阳 (0 + 100)/2 = 50, 焦作 46.67
    p25 = report["periods"][1]
    assert [(e["entity"], e["rank"]) for e in p25["entities"]] == [
        ("济源", 1), ("新乡", 2), ("安阳", 3), ("鹤壁", 3), ("焦作", 5)]
    # 焦作: 开办企业 2024 rank 2 (tied with 新乡 at 3 days) → 2025 rank 3; composite 4 → 5
    assert by_entity(p25)["焦作"]["flags"] == [
        {"kind": "drop", "indicator": "KB", "reason": "较上期下降1位（第2→第3）"},
        {"kind": "drop", "indicator": None, "reason": "较上期下降1位（第4→第5）"}]


def test_it_selects_periods_and_tier_size():
    code, out, _ = run([str(SAMPLE), "--json", "--period", "2025", "--tier-size", "2"])
    assert code == 0
    report = json.loads(out)
    assert [p["period"] for p in report["periods"]] == ["2025"]
    assert [e["tier"] for e in report["periods"][0]["entities"]] == [1, 1, 2, 2, 3]
    code, _, err = run([str(SAMPLE), "--period", "2099"])
    assert code == 1 and "文件中没有期间：2099" in err


def test_it_prints_a_readable_table():
    code, out, _ = run([str(SAMPLE), "--period", "2024"])
    assert code == 0
    assert "【2024】" in out and "第1方阵" in out and "综合得分" in out
    line = next(line for line in out.splitlines() if "安阳" in line and "方阵" in line)
    assert "100.00" in line and "—" in line  # missing 开办企业 shown as "—", not 0


def test_it_reports_file_errors_row_by_row_and_exits_1(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("城市,指标,期间,值\n甲,A,2024,1\n乙,A,2024,abc\n甲,A,2024,2\n", encoding="utf-8")
    code, out, err = run([str(bad), "--json"])
    assert code == 1 and out == ""
    assert "第3行，“值”列：无法识别的数字“abc”" in err
    assert "第4行：与第2行重复（甲，A，2024）" in err
    assert "共2处错误" in err


def test_it_reports_missing_files_and_bad_arguments(tmp_path):
    code, _, err = run([str(tmp_path / "nope.csv")])
    assert code == 1 and "无法打开文件" in err
    code, _, err = run([str(SAMPLE), "--tier-size", "0"])
    assert code == 1 and "--tier-size" in err


def test_it_runs_through_call_command_when_django_is_set_up():
    from django.apps import apps
    from django.conf import settings

    if not settings.configured or not apps.ready:
        pytest.skip("Django not set up in this run (pure run with -p no:django)")
    from django.core.management import call_command

    out = StringIO()
    call_command("benchmark", str(SAMPLE), "--json", stdout=out, stderr=StringIO())
    assert json.loads(out.getvalue())["periods"][0]["period"] == "2024"
