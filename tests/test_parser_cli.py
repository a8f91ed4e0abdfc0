"""`luoshi parse --units FILE`: an office's unit directory from a text file, no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys

NEWS = (
    "3月1日上午，县长主持召开县政府周例会。会议要求，一是县疾控中心要在本周内完成重点人群筛查；"
    "二是城管执法队牵头，各街道配合，3月15日前完成占道经营整治。\n"
)
DIRECTORY = (
    "# 单位目录：全称在前，简称、别名在后\n"
    "县疾病预防控制中心\t县疾控中心、疾控中心\n"
    "县城市管理综合执法大队, 城管执法队\n"
    "\n"
)


def run_parse(*args, cwd):
    """The console command with no secret and a database that cannot be reached."""
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/nowhere"
    env["LUOSHI_VAR_DIR"] = str(cwd / "var-never-created")
    return subprocess.run(
        [sys.executable, "-m", "luoshi", "parse", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_it_maps_names_onto_the_directory_given_as_a_file(tmp_path):
    (tmp_path / "news.txt").write_bytes(NEWS.encode("gb18030"))
    (tmp_path / "units.txt").write_text(DIRECTORY, encoding="utf-8")
    result = run_parse("news.txt", "--date", "2024-03-01", "--units", "units.txt", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    leads = [t["lead_unit"] for t in data["tasks"]]
    assert leads == ["县疾病预防控制中心", "县城市管理综合执法大队"]
    assert data["tasks"][1]["co_units"] == ["各街道"]
    assert data["tasks"][1]["deadline"] == "2024-03-15"
    assert data["detected_date"]["date"] == "2024-03-01" and data["date_mismatch"] is False
    assert not (tmp_path / "var-never-created").exists()


def test_it_names_the_units_as_written_without_a_directory(tmp_path):
    (tmp_path / "news.txt").write_text(NEWS, encoding="utf-8")
    result = run_parse("news.txt", "--date", "2024-03-01", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [t["lead_unit"] for t in json.loads(result.stdout)["tasks"]] == ["县疾控中心", "城管执法队"]


def test_it_says_when_the_document_dates_itself_otherwise(tmp_path):
    (tmp_path / "news.txt").write_text(NEWS, encoding="utf-8")
    result = run_parse("news.txt", "--date", "2024-03-04", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "文中日期：2024-03-01（3月1日上午，县长主持）" in result.stdout
    assert "与确认的日期 2024-03-04 不一致" in result.stdout


def test_it_explains_an_unreadable_or_empty_directory(tmp_path):
    (tmp_path / "news.txt").write_text(NEWS, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("# nothing here\n\n", encoding="utf-8")
    missing = run_parse("news.txt", "--units", "missing.txt", cwd=tmp_path)
    assert missing.returncode != 0 and "无法读取单位目录" in missing.stderr and "Traceback" not in missing.stderr
    empty = run_parse("news.txt", "--units", "empty.txt", cwd=tmp_path)
    assert empty.returncode != 0 and "中没有单位" in empty.stderr and "Traceback" not in empty.stderr
