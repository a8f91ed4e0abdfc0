"""Deadlines and cadences (luoshi.directives.parsing.dates) in the forms offices write them."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.directives.parsing.dates import field_deadline, find_cadence, find_deadline

ISSUED = dt.date(2025, 3, 12)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "words", "date"),
    [
        ("各乡镇要在3月25日前完成排查", "3月25日前", dt.date(2025, 3, 25)),
        ("6月底前全面完工", "6月底前", dt.date(2025, 6, 30)),
        ("二季度完成招标", "二季度", dt.date(2025, 6, 30)),
        ("上半年开工建设", "上半年", dt.date(2025, 6, 30)),
        ("确保实现“双过半”目标", "“双过半”", dt.date(2025, 6, 30)),
        ("年内建成投用", "年内", dt.date(2025, 12, 31)),
        ("年底前完成验收", "年底前", dt.date(2025, 12, 31)),
        ("春节前发放到位", "春节前", dt.date(2026, 2, 16)),
        ("本周内报送材料", "本周内", dt.date(2025, 3, 16)),
        ("下周召开专题会", "下周", dt.date(2025, 3, 23)),
        ("即日起开展专项整治", "即日起", ISSUED),
        ("10个工作日内反馈意见", "10个工作日内", dt.date(2025, 3, 26)),
        ("节前开展安全检查", "节前", dt.date(2025, 4, 3)),
        ("月底前报县政府办", "月底前", dt.date(2025, 3, 31)),
        ("次月5日前报送整改结果", "次月5日前", dt.date(2025, 4, 5)),
        ("下月10日前完成验收", "下月10日前", dt.date(2025, 4, 10)),
        ("2025年12月底完成", "2025年12月底", dt.date(2025, 12, 31)),
        ("12月31日前完成", "12月31日前", dt.date(2025, 12, 31)),
        ("15日内整改到位", "15日内", dt.date(2025, 3, 27)),
        ("2025.8.31前建成", "2025.8.31前", dt.date(2025, 8, 31)),
        ("于2025-06-30前完成", "2025-06-30前", dt.date(2025, 6, 30)),
    ],
)
def test_it_resolves_the_deadline_forms_offices_write_keeping_their_words(text, words, date):
    assert find_deadline(text, ISSUED) == (words, date)


@pytest.mark.parametrize(
    "text",
    ["每月5日前报送进展情况", "每月底前报送工作台账", "每周五报送周报", "每季度末报送季度总结", "每年年底前总结",
     "长期坚持", "持续推进", "版本号2025.6.3.1"],
)
def test_it_finds_no_deadline_in_a_cadence_an_ongoing_duty_or_a_version_number(text):
    assert find_deadline(text, ISSUED) == (None, None)


@pytest.mark.parametrize(
    ("text", "words", "cadence"),
    [("每月5日前报送进展情况", "每月5日前", "月报"), ("每周五报送", "每周五", "周报"), ("每季度末报送", "每季度末", "季报")],
)
def test_it_reads_a_reporting_cadence(text, words, cadence):
    assert find_cadence(text) == (words, cadence)


def test_it_finds_no_cadence_without_every():
    assert find_cadence("6月底前完成，按月报送进展") == (None, None)


@pytest.mark.parametrize(
    ("cell", "date"),
    [("11月", dt.date(2025, 11, 30)), ("2月", dt.date(2026, 2, 28)), ("2025年6月", dt.date(2025, 6, 30)),
     ("6.30", dt.date(2025, 6, 30)), ("2025.8.31", dt.date(2025, 8, 31)), ("年底前", dt.date(2025, 12, 31))],
)
def test_it_reads_a_bare_month_or_a_dotted_date_in_a_deadline_cell(cell, date):
    assert field_deadline(cell, ISSUED) == (cell, date)


@pytest.mark.parametrize("cell", ["长期坚持", "持续推进", "常态化推进"])
def test_it_keeps_an_ongoing_duty_as_words_without_a_date(cell):
    assert field_deadline(cell, ISSUED) == (cell, None)


def test_it_does_not_read_a_bare_month_outside_a_deadline_cell():
    assert find_deadline("11月召开了推进会", ISSUED) == (None, None)
    assert field_deadline("", ISSUED) == (None, None)


def test_it_takes_a_past_bare_year_for_a_topic_not_a_limit():
    assert find_deadline("会议原则同意县财政局关于2024年财政决算情况的意见", ISSUED) == (None, None)
    assert find_deadline("到2027年建成省级示范区", ISSUED) == ("2027年", dt.date(2027, 12, 31))
    assert find_deadline("2024年底前应完成而未完成", ISSUED) == ("2024年底前", dt.date(2024, 12, 31))
