"""Deadlines and cadences (luoshi.directives.parsing.dates) in the forms offices write them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.directives.parsing import parse
from luoshi.directives.parsing.dates import detect_date, field_deadline, find_cadence, find_deadline, ongoing

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
        ("即日起开展专项整治", "即日起", dt.date(2025, 3, 12)),  # due from the day confirmed
        ("10个工作日内反馈意见", "10个工作日内", dt.date(2025, 3, 26)),
        ("节前开展安全检查", "节前", dt.date(2025, 4, 3)),
        ("月底前报县政府办", "月底前", dt.date(2025, 3, 31)),
        ("次月5日前完成验收", "次月5日前", dt.date(2025, 4, 5)),
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
    [("11月", dt.date(2025, 11, 30)), ("2月", dt.date(2025, 2, 28)), ("2025年6月", dt.date(2025, 6, 30)),
     ("1月", dt.date(2026, 1, 31)), ("6.30", dt.date(2025, 6, 30)), ("2025.8.31", dt.date(2025, 8, 31)),
     ("年底前", dt.date(2025, 12, 31)), ("2026.6", dt.date(2026, 6, 30)), ("2026-06", dt.date(2026, 6, 30)),
     ("2026/9前", dt.date(2026, 9, 30)), ("2026.13", None)],
)
def test_it_reads_a_bare_month_or_a_dotted_date_in_a_deadline_cell(cell, date):
    assert field_deadline(cell, ISSUED) == (cell, date)


@pytest.mark.parametrize("cell", ["长期坚持", "持续推进", "常态化推进"])
def test_it_keeps_an_ongoing_duty_as_words_without_a_date(cell):
    assert field_deadline(cell, ISSUED) == (cell, None)
    assert ongoing(cell) and not ongoing("年底前") and not ongoing("随便写写")


def test_it_does_not_read_a_bare_month_outside_a_deadline_cell():
    assert find_deadline("11月召开了推进会", ISSUED) == (None, None)
    assert field_deadline("", ISSUED) == (None, None)


def test_it_takes_a_past_bare_year_for_a_topic_not_a_limit():
    assert find_deadline("会议原则同意县财政局关于2024年财政决算情况的意见", ISSUED) == (None, None)
    assert find_deadline("到2027年建成省级示范区", ISSUED) == ("2027年", dt.date(2027, 12, 31))
    assert find_deadline("2024年底前应完成而未完成", ISSUED) == ("2024年底前", dt.date(2024, 12, 31))


# -- the forms an office meets beyond the common ones ---------------------------------------------

DEC = dt.date(2024, 12, 16)  # a Monday in December: limits named without a year may mean next year's


@pytest.mark.parametrize(
    ("text", "issued", "words", "date"),
    [
        # spaces inside a date, as typeset or pasted from a PDF
        ("各施工单位要在9 月 20 日前完成施工任务", ISSUED, "9 月 20 日前", dt.date(2025, 9, 20)),
        ("9 月 20 前完成剩余工程量", ISSUED, "9 月 20 前", dt.date(2025, 9, 20)),
        ("于2025 年 10 月 8 日前报县政府", ISSUED, "2025 年 10 月 8 日前", dt.date(2025, 10, 8)),
        ("7月 底前完成招标", ISSUED, "7月 底前", dt.date(2025, 7, 31)),
        # full-width digits, kept as written
        ("各单位于９月２０日前报送", ISSUED, "９月２０日前", dt.date(2025, 9, 20)),
        ("２０２５年６月底前完工", ISSUED, "２０２５年６月底前", dt.date(2025, 6, 30)),
        # a year and its part
        ("2025年底完成主体工程", ISSUED, "2025年底", dt.date(2025, 12, 31)),
        ("三季度末实现通车", ISSUED, "三季度末", dt.date(2025, 9, 30)),
        ("本年度内完成改造", ISSUED, "本年度内", dt.date(2025, 12, 31)),
        ("力争三年内建成", ISSUED, "三年内", dt.date(2028, 3, 12)),
        # festivals
        ("年前完成农民工工资清欠", DEC, "年前", dt.date(2025, 1, 28)),
        ("国庆前完成道路改造", ISSUED, "国庆前", dt.date(2025, 9, 30)),
        ("国庆节前投入使用", ISSUED, "国庆节前", dt.date(2025, 9, 30)),
        # quoted
        ("务必“月底前”完成清零", ISSUED, "月底前", dt.date(2025, 3, 31)),
        # limits set by a term
        ("限期15日内整改到位", ISSUED, "限期15日内", dt.date(2025, 3, 27)),
        ("限10个工作日内办结", ISSUED, "限10个工作日内", dt.date(2025, 3, 26)),
        ("本月内完成摸底", ISSUED, "本月内", dt.date(2025, 3, 31)),
        ("4月中旬完成评审", ISSUED, "4月中旬", dt.date(2025, 4, 20)),
        # Chinese numerals
        ("十二月底前完成验收", ISSUED, "十二月底前", dt.date(2025, 12, 31)),
        ("十月十五日前上报", ISSUED, "十月十五日前", dt.date(2025, 10, 15)),
        # Chinese digits in the year, a weekday without 本周, a month's last two thirds
        ("二〇二五年六月底前完成", ISSUED, "二〇二五年六月底前", dt.date(2025, 6, 30)),
        ("周五前报送典型案例", ISSUED, "周五前", dt.date(2025, 3, 14)),
        ("6月中下旬完成验收", ISSUED, "6月中下旬", dt.date(2025, 6, 30)),
        # a period ends at its end
        ("3月至5月开展专项整治", ISSUED, "3月至5月", dt.date(2025, 5, 31)),
        ("4至6月集中攻坚", ISSUED, "4至6月", dt.date(2025, 6, 30)),
        ("4月—6月底开展排查", ISSUED, "4月—6月底", dt.date(2025, 6, 30)),
        ("4月1日至5月20日开展回头看", ISSUED, "4月1日至5月20日", dt.date(2025, 5, 20)),
        ("2025年9月至2026年3月开展冬春攻势", ISSUED, "2025年9月至2026年3月", dt.date(2026, 3, 31)),
        # two limits: the first is the row's (the second is the next stage)
        ("年底前完成主体工程，明年6月底前全面完成", ISSUED, "年底前", dt.date(2025, 12, 31)),
        # limits that name no day: the words are kept, no date is made up
        ("汛期前完成隐患排查", ISSUED, "汛期前", None),
        ("入汛前完成河道清障", ISSUED, "入汛前", None),
        ("秋收前完成机耕道修缮", ISSUED, "秋收前", None),
        ("开学前完成校舍安全检查", ISSUED, "开学前", None),
        ("发现问题立即整改", ISSUED, "立即", None),
        ("即日起开展为期三个月的专项行动", ISSUED, "即日起", ISSUED),
        ("立即开展排查，6月底前全部整改", ISSUED, "6月底前", dt.date(2025, 6, 30)),
        # a day without a year: past long ago means next year's, just past stays (overdue, not hidden)
        ("1月20日前完成", DEC, "1月20日前", dt.date(2025, 1, 20)),
        ("12月10日前完成", DEC, "12月10日前", dt.date(2024, 12, 10)),
        ("11月底前报送", DEC, "11月底前", dt.date(2024, 11, 30)),
        ("3月底前完成", DEC, "3月底前", dt.date(2025, 3, 31)),
        ("一季度完成", DEC, "一季度", dt.date(2025, 3, 31)),
    ],
)
def test_it_reads_the_less_common_deadline_forms(text, issued, words, date):
    assert find_deadline(text, issued) == (words, date)


@pytest.mark.parametrize(
    "text",
    ["长期坚持", "持续推进", "常态化开展巡查", "序号 1 9号楼", "三年以来", "近年来持续推进",
     "全面细化分解2025年工作目标任务", "及早谋划好明年的工作", "3月10日上午，县长主持召开专题会议",
     "2025年3月10日，市政府召开常务会议"],
)
def test_it_finds_no_limit_where_none_is_set(text):
    assert find_deadline(text, ISSUED) == (None, None)


def test_it_reads_around_a_day_as_that_day_not_as_a_limit_before_it():
    assert find_deadline("6月1日前后开展", ISSUED) == ("6月1日", dt.date(2025, 6, 1))


def test_it_does_not_join_two_numbers_separated_by_a_space():
    assert find_deadline("序号 1 9月底前完成", ISSUED) == ("9月底前", dt.date(2025, 9, 30))


@pytest.mark.parametrize(
    ("text", "words", "cadence"),
    [
        ("每月5日前报送进展情况", "每月5日前", "月报"),
        ("次月5日前报送上月进展", "次月5日前", "月报"),
        ("于次月10号前上报县督查室", "次月10号前", "月报"),
        ("请于每季度末月20日前报县政府督查室", "每季度末月20日前", "季报"),
        ("每年12月底前报送年度总结", "每年", "年报"),
    ],
)
def test_it_reads_a_cadence_and_no_deadline_from_a_reporting_rhythm(text, words, cadence):
    assert find_cadence(text) == (words, cadence)
    assert find_deadline(text, ISSUED) == (None, None)


def test_it_keeps_a_next_month_limit_that_is_not_a_report():
    assert find_deadline("下月10日前完成验收", ISSUED) == ("下月10日前", dt.date(2025, 4, 10))
    assert find_cadence("下月10日前完成验收") == (None, None)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.integers(1, 28), st.sampled_from(["", " ", "\u3000", "  "]),
       st.sampled_from(["前", "之前", "以前"]), st.booleans())
def test_it_reads_any_month_and_day_however_spaced_or_written(month, day, gap, before, fullwidth):
    digits = str.maketrans("0123456789", "０１２３４５６７８９") if fullwidth else {}
    written = f"{month}{gap}月{gap}{day}{gap}日{before}".translate(digits)
    words, date = find_deadline(f"各单位要在{written}完成整改", dt.date(2025, 1, 1))
    assert words == written
    assert date == dt.date(2025, month, day)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_it_never_fails_and_keeps_words_as_written_on_any_text(text):
    words, date = find_deadline(text, ISSUED)
    assert words is None or words in text
    assert date is None or isinstance(date, dt.date)
    find_cadence(text)
    field_deadline(text, ISSUED)


def test_it_reads_the_limit_after_the_day_a_meeting_was_held():
    text = "3月10日，县长主持召开周交办会，要求各乡镇3月20日前完成排查"
    assert find_deadline(text, ISSUED) == ("3月20日前", dt.date(2025, 3, 20))


@pytest.mark.parametrize(
    ("text", "deadline", "cadence"),
    [
        ("会议要求，县住建局要加快推进老旧小区改造，于次月5日前报送进展情况。", (None, None), ("次月5日前", "月报")),
        ("各乡镇要在9 月 20 日前完成秋粮收购点布设。", ("9 月 20 日前", dt.date(2025, 9, 20)), (None, None)),
        ("县水利局要在汛期前完成病险水库除险加固。", ("汛期前", None), (None, None)),
    ],
)
def test_a_candidate_carries_the_limit_or_the_cadence_its_sentence_sets(text, deadline, cadence):
    (row,) = parse(text, issued=ISSUED).tasks
    assert (row.deadline_text, row.deadline) == deadline
    assert (row.cadence_text, row.cadence) == cadence


@pytest.mark.parametrize(
    ("text", "date", "source", "words"),
    [
        ("9 月 3 日，市政府召开常务会议，研究部署秋冬季大气污染防治工作。", dt.date(2025, 9, 3), "会议日期", "9 月 3 日，市政府召开"),
        ("会议纪要\n各单位要抓好落实。\n\n２０２４年３月５日\n", dt.date(2024, 3, 5), "落款", "２０２４年３月５日"),
        ("发布时间：２０２３-０４-１０\n县政府召开常务会议", dt.date(2023, 4, 10), "发布时间", "发布时间：２０２３-０４-１０"),
    ],
)
def test_it_reads_the_documents_own_date_however_spaced_or_written(text, date, source, words):
    found = detect_date(text, assume_year=2025)
    assert (found["date"], found["source"], found["text"]) == (date, source, words)
    assert text[found["start"]:found["end"]].strip() == words


def test_it_takes_a_named_festival_over_a_passing_jieqian():
    # 节前 qualifying the work (节前安全检查) yields to the festival the limit names
    assert find_deadline("开展节前食品安全专项检查，春节前完成全覆盖。", ISSUED) == ("春节前", dt.date(2026, 2, 16))
    # alone, 节前 is still the limit: the festival next to come
    assert find_deadline("节前开展安全检查。", ISSUED)[0] == "节前"


# -- third round of 2026-12-02: a limit for starting and one for finishing -------------------------


@pytest.mark.parametrize(
    ("text", "words", "date"),
    [
        ("督促项目6月底前开工、12月底前完工", "12月底前", "2024-12-31"),
        ("3月底前启动，年底前全面建成", "年底前", "2024-12-31"),
        ("力争9月底前动工，11月底前主体竣工", "11月底前", "2024-11-30"),
    ],
)
def test_it_takes_the_limit_for_finishing_over_the_limit_for_starting(text, words, date):
    got_words, got = find_deadline(text, dt.date(2024, 1, 10))
    assert got_words == words and got.isoformat() == date


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("力争月底前开始打桩", "月底前"),  # a start alone is still the limit
        ("6月底前完成，12月底前验收", "6月底前"),  # the first completion stays the limit
    ],
)
def test_it_keeps_a_lone_start_limit_or_the_first_completion(text, words):
    assert find_deadline(text, dt.date(2024, 1, 10))[0] == words


@pytest.mark.parametrize(
    ("text", "words", "date"),
    [
        ("48小时内完成清理", "48小时内", "2024-01-12"),
        ("限期一周整改到位", "限期一周", "2024-01-17"),
        ("限期15天办结", "限期15天", "2024-01-25"),
        ("年度内完成改造", "年度内", "2024-12-31"),
        ("4月10日至15日完成集中排查", "4月10日至15日", "2024-04-15"),
        ("3月28日至4月5日开展检查", "3月28日至4月5日", "2024-04-05"),
    ],
)
def test_it_reads_hours_periods_after_xianqi_the_year_and_days_of_one_month(text, words, date):
    got_words, got = find_deadline(text, dt.date(2024, 1, 10))
    assert got_words == words and got.isoformat() == date


@pytest.mark.parametrize("text", ["连续工作3天", "两年来持续推进", "用5天时间集中整治", "限期整改"])
def test_it_reads_a_length_without_nei_or_xianqi_as_no_limit(text):
    assert find_deadline(text, dt.date(2024, 1, 10)) == (None, None)
