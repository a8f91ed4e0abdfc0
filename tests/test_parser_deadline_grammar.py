"""Time limits as a grammar: every combination of the parts an office writes a limit with resolves to the day
the words mean, counted from the confirmed date; the forms that name no limit give none; no text fails.

The expected dates are computed here from the calendar, not by the parser's code: a month's end, a quarter's
end, working days counted one by one, the day before a festival from the State Council's holiday notices.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.directives.parsing import parse
from luoshi.directives.parsing.dates import find_deadline

CN = "零一二三四五六七八九"
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 28 → 二十八."""
    if n < 10:
        return CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN[tens]) + "十" + ("" if ones == 0 else CN[ones])


def written(n: int, style: str) -> str:
    return {"arabic": str(n), "chinese": chinese(n), "fullwidth": str(n).translate(FULL)}[style]


def eom(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def next_year_if_long_past(d: dt.date, issued: dt.date, build) -> dt.date:
    """A month or quarter named without its year that passed more than a month before means next year's."""
    return build(issued.year + 1) if d < issued - dt.timedelta(days=31) else d


issued_dates = st.dates(dt.date(2011, 1, 1), dt.date(2029, 12, 31))
styles = st.sampled_from(["arabic", "chinese", "fullwidth"])
SUBJECTS = ["", "县住建局要", "各乡镇务必", "会议要求，县财政局"]
PREPS = ["", "在", "于", "力争"]
VERBS = ["完成", "全面完成改造任务", "报送县政府办", "整改到位。"]


@settings(max_examples=250, deadline=None)
@given(issued_dates, st.integers(1, 12), styles, st.sampled_from(["", "year", "今年", "明年"]),
       st.sampled_from(["底前", "底", "末", "底之前", "上旬前", "中旬前", "下旬前", "中旬", "份"]),
       st.sampled_from(SUBJECTS), st.sampled_from(PREPS), st.sampled_from(VERBS))
def test_a_month_and_its_part_resolve_to_the_part_of_that_month(issued, month, style, year, part, subject, prep, verb):
    head = {"": "", "year": f"{issued.year}年", "今年": "今年", "明年": "明年"}[year]
    words = f"{head}{written(month, style)}月{part}"

    def build(y):
        day = 10 if part.startswith("上旬") else 20 if part.startswith("中旬") else calendar.monthrange(y, month)[1]
        return dt.date(y, month, day)

    if year == "":
        want = next_year_if_long_past(build(issued.year), issued, build)
    else:
        want = build(issued.year + (1 if year == "明年" else 0))
    assert find_deadline(f"{subject}{prep}{words}{verb}", issued) == (words, want)


@settings(max_examples=250, deadline=None)
@given(issued_dates, st.integers(1, 12), st.integers(1, 28), styles,
       st.sampled_from(["", "year", "今年", "明年"]), st.sampled_from(["日前", "日之前", "日以前", "号前", "日"]),
       st.sampled_from(SUBJECTS), st.sampled_from(PREPS))
def test_a_month_and_day_resolve_to_that_day(issued, month, day, style, year, tail, subject, prep):
    head = {"": "", "year": f"{issued.year}年", "今年": "今年", "明年": "明年"}[year]
    words = f"{head}{written(month, style)}月{written(day, style)}{tail}"
    if year == "":
        want = next_year_if_long_past(dt.date(issued.year, month, day), issued, lambda y: dt.date(y, month, day))
    else:
        want = dt.date(issued.year + (1 if year == "明年" else 0), month, day)
    assert find_deadline(f"{subject}{prep}{words}完成整改", issued) == (words, want)


QUARTER_NAMES = {1: ["一季度", "第一季度", "1季度"], 2: ["二季度", "第二季度", "2季度"],
                 3: ["三季度", "第三季度", "3季度"], 4: ["四季度", "第四季度", "4季度"]}


@settings(max_examples=200, deadline=None)
@given(issued_dates, st.integers(1, 4), st.integers(0, 2), st.sampled_from(["", "末", "底", "前", "内"]),
       st.sampled_from(["", "year", "明年"]), st.sampled_from(SUBJECTS))
def test_a_quarter_resolves_to_its_last_day(issued, q, name, tail, year, subject):
    head = {"": "", "year": f"{issued.year}年", "明年": "明年"}[year]
    words = f"{head}{QUARTER_NAMES[q][name]}{tail}"
    if year == "":
        want = next_year_if_long_past(eom(issued.year, 3 * q), issued, lambda y: eom(y, 3 * q))
    else:
        want = eom(issued.year + (1 if year == "明年" else 0), 3 * q)
    assert find_deadline(f"{subject}{words}完成招标", issued) == (words, want)


@settings(max_examples=200, deadline=None)
@given(issued_dates, st.sampled_from([
    ("上半年", 6, 30, 0), ("上半年前", 6, 30, 0), ("下半年", 12, 31, 0), ("年底前", 12, 31, 0), ("年内", 12, 31, 0),
    ("今年内", 12, 31, 0), ("年末前", 12, 31, 0), ("本年度内", 12, 31, 0), ("今年年底前", 12, 31, 0),
    ("今年底前", 12, 31, 0), ("明年底前", 12, 31, 1), ("明年上半年", 6, 30, 1), ("“双过半”", 6, 30, 0),
    ("双过半", 6, 30, 0), ("今明两年", 12, 31, 1)]), st.sampled_from(SUBJECTS))
def test_the_halves_and_the_end_of_the_year_resolve_in_the_confirmed_year(issued, form, subject):
    words, month, day, ahead = form
    found = find_deadline(f"{subject}{words}完成", issued)
    if words == "上半年" and dt.date(issued.year, 6, 30) < issued - dt.timedelta(days=31):
        assert found == (words, dt.date(issued.year + 1, 6, 30))  # 上半年 said in December: next year's
    elif words in ("上半年前", "下半年") and dt.date(issued.year, month, day) < issued - dt.timedelta(days=31):
        assert found[0] == words
    else:
        assert found == (words, dt.date(issued.year + ahead, month, day))


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def working_days_after(d: dt.date, n: int) -> dt.date:
    while n:
        d += dt.timedelta(days=1)
        n -= d.weekday() < 5
    return d


@settings(max_examples=300, deadline=None)
@given(issued_dates, st.integers(1, 30), st.sampled_from(["arabic", "chinese", "fullwidth", "liang"]),
       st.sampled_from(["个工作日", "日", "天", "周", "个星期", "个月"]), st.sampled_from(["内", "以内", "限期"]),
       st.sampled_from(SUBJECTS))
def test_a_period_counted_from_the_confirmed_date_ends_where_it_is_counted_to(issued, n, style, unit, how, subject):
    if style == "liang":
        if n != 2:
            return
        number = "两"
    else:
        number = written(n, style)
    words = f"限期{number}{unit}" if how == "限期" else f"{number}{unit}{how}"
    want = {"个工作日": lambda: working_days_after(issued, n), "日": lambda: issued + dt.timedelta(days=n),
            "天": lambda: issued + dt.timedelta(days=n), "周": lambda: issued + dt.timedelta(days=7 * n),
            "个星期": lambda: issued + dt.timedelta(days=7 * n), "个月": lambda: add_months(issued, n)}[unit]()
    assert find_deadline(f"{subject}{words}整改到位", issued) == (words, want)


@settings(max_examples=150, deadline=None)
@given(issued_dates, st.sampled_from(["半个月内", "半月内", "半年内", "限期半个月"]))
def test_half_a_month_and_half_a_year(issued, words):
    want = add_months(issued, 6) if "年" in words else issued + dt.timedelta(days=15)
    assert find_deadline(f"各单位要在{words}完成整改", issued) == (words, want)


@settings(max_examples=200, deadline=None)
@given(issued_dates, st.sampled_from(["本周内", "本周", "下周", "下周内", "周内"]), st.sampled_from(SUBJECTS))
def test_this_week_and_next_week_end_on_their_sunday(issued, words, subject):
    sunday = issued + dt.timedelta(days=6 - issued.weekday())
    want = sunday + dt.timedelta(days=7) if words.startswith("下") else sunday
    assert find_deadline(f"{subject}{words}报送材料", issued) == (words, want)


@settings(max_examples=200, deadline=None)
@given(issued_dates, st.integers(0, 6), st.sampled_from(["本周", "下周"]), st.sampled_from(["前", "之前"]))
def test_a_weekday_of_this_or_next_week(issued, wd, week, before):
    if week == "本周" and wd < issued.weekday():
        return  # 本周一前 said on a Wednesday: overdue as written, not counted here
    words = f"{week}{'一二三四五六日'[wd]}{before}"
    monday = issued - dt.timedelta(days=issued.weekday()) + dt.timedelta(days=7 if week == "下周" else 0)
    assert find_deadline(f"{words}报送典型案例", issued) == (words, monday + dt.timedelta(days=wd))


@settings(max_examples=150, deadline=None)
@given(issued_dates, st.sampled_from(["本月底前", "本月内", "月底前", "月内", "当月底", "本月中旬前", "本月上旬前",
                                      "下月底前", "下个月底前", "下月初", "下月中旬前"]))
def test_this_month_and_next_month_resolve_to_their_part(issued, words):
    month = add_months(issued.replace(day=1), 1 if words.startswith("下") else 0)
    day = 10 if ("上旬" in words or "初" in words) else 20 if "中旬" in words else calendar.monthrange(
        month.year, month.month)[1]
    assert find_deadline(f"各乡镇要{words}完成摸底", issued) == (words, month.replace(day=day))


@settings(max_examples=150, deadline=None)
@given(issued_dates, st.sampled_from(["本季度内", "本季度末", "本季度", "下季度", "下一季度末"]))
def test_this_quarter_and_the_next_end_on_the_quarters_last_day(issued, words):
    end = eom(issued.year, (issued.month - 1) // 3 * 3 + 3)
    if words.startswith("下"):
        nxt = add_months(end.replace(day=1), 3)
        end = eom(nxt.year, nxt.month)
    assert find_deadline(f"各乡镇要{words}完成验收", issued) == (words, end)


# the day before each festival, from the State Council holiday notices (lunar ones by year)
SPRING = {2011: (2, 3), 2012: (1, 23), 2013: (2, 10), 2014: (1, 31), 2015: (2, 19), 2016: (2, 8), 2017: (1, 28),
          2018: (2, 16), 2019: (2, 5), 2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22), 2024: (2, 10),
          2025: (1, 29), 2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3)}


def next_festival(issued: dt.date, name: str) -> dt.date:
    for y in (issued.year, issued.year + 1):
        day = {"春节": lambda: dt.date(y, *SPRING[y]), "国庆节": lambda: dt.date(y, 10, 1), "国庆": lambda: dt.date(y, 10, 1),
               "元旦": lambda: dt.date(y, 1, 1), "五一": lambda: dt.date(y, 5, 1), "清明节": lambda: dt.date(y, 4, 4)}[name]()
        if day - dt.timedelta(days=1) >= issued:
            return day - dt.timedelta(days=1)
    raise AssertionError


@settings(max_examples=200, deadline=None)
@given(issued_dates, st.sampled_from(["春节", "国庆节", "国庆", "元旦", "五一", "清明节"]), st.sampled_from(["前", "之前"]),
       st.sampled_from(SUBJECTS))
def test_before_a_festival_is_the_day_before_the_next_one(issued, name, before, subject):
    words = f"{name}{before}"
    assert find_deadline(f"{subject}{words}发放到位", issued) == (words, next_festival(issued, name))


@settings(max_examples=150, deadline=None)
@given(issued_dates, st.sampled_from(["汛期前", "汛前", "入汛前", "主汛期前", "冬季来临前", "雨季来临前", "汛期到来前",
                                      "秋收前", "开学前", "入冬前", "立即"]))
def test_a_season_or_立即_keeps_its_words_and_names_no_day(issued, words):
    assert find_deadline(f"各乡镇要{words}完成隐患排查", issued) == (words, None)


# -- what is not a time limit ---------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(issued_dates, st.sampled_from([
    "每月{d}日前报送进展情况", "每月底前报送工作台账", "每周五报送周报", "每季度末报送季度总结", "每季度末月{d}日前报送",
    "次月{d}日前报送上月进展",
    "印发《三年行动方案（{y0}-{y1}年）》", "实施三年行动计划（{y0}-{y1}年）", "编制{y0}—{y1}年规划",
    "去年{m}月已完成", "{y0}年以来累计完成投资", "近{n}年来持续推进", "实施{cn}年行动", "用{n}天时间集中整治",
    "春节前后做好安全防范", "国庆前后加强值守", "节前后开展检查",
    "将该项目纳入今年农村饮水计划", "科学谋划明年投资计划", "按照全年的目标任务抓好调度", "力争按时完成全年固投任务",
    "对本周重点工作进行安排", "安排部署二季度经济工作", "列出一年、半年、一季度、一月、一周工作计划",
    "全力确保年末岁尾社会大局稳定", "{m}月{d}日，县长主持召开专题会议", "工作谋划和明年开局"]),
    st.integers(1, 28), st.integers(1, 12), st.integers(2, 9))
def test_cadences_titles_past_dates_durations_and_topics_set_no_limit(issued, form, d, m, n):
    y0 = issued.year - 2
    text = form.format(d=d, m=m, n=n, cn=chinese(n), y0=y0, y1=y0 + 4)
    assert find_deadline(text, issued) == (None, None)


PIECES = ["年底前", "6月", "底", "前", "内", "个工作日", "10", "十", "季度", "上半年", "双过半", "春节", "节前", "本周",
          "下周", "即日起", "至", "日", "号", "每月", "限期", "半个月", "元月", "２０２５年", "〇", "（", "）", "，", "《", "》",
          "前后", "今年", "明年", "全年", "的", "、", " "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=14), st.none() | issued_dates)
def test_no_mix_of_the_grammars_parts_fails_and_the_words_are_the_texts_own(parts, issued):
    text = "".join(parts)
    words, date = find_deadline(text, issued)
    assert words is None or words in text
    if issued is None and date is not None:
        assert words[:4].isdigit() or words[:4].translate(str.maketrans("０１２３４５６７８９", "0123456789")).isdigit() \
            or "〇" in words or any(ch.isdigit() for ch in words)


# -- plain cases --------------------------------------------------------------------------------------------

ISSUED = dt.date(2025, 3, 12)


@pytest.mark.parametrize(
    ("text", "words", "date"),
    [
        ("元月底前完成", "元月底前", dt.date(2026, 1, 31)),
        ("元月15日前报送", "元月15日前", dt.date(2026, 1, 15)),
        ("今明两年完成改造", "今明两年", dt.date(2026, 12, 31)),
        ("半年内完成", "半年内", dt.date(2025, 9, 12)),
        ("本月中旬前完成", "本月中旬前", dt.date(2025, 3, 20)),
        ("下月初完成", "下月初", dt.date(2025, 4, 10)),
        ("月内完成摸底", "月内", dt.date(2025, 3, 31)),
        ("本季度内完成", "本季度内", dt.date(2025, 3, 31)),
        ("下季度完成验收", "下季度", dt.date(2025, 6, 30)),
        ("冬季来临前完成管网检修", "冬季来临前", None),
        ("即日起至6月30日开展专项整治", "6月30日", dt.date(2025, 6, 30)),
        ("到2027年建成省级示范区", "2027年", dt.date(2027, 12, 31)),
        ("今年力争动工", "今年", dt.date(2025, 12, 31)),
        ("冲刺全年目标任务", "全年", dt.date(2025, 12, 31)),
        ("确保一季度开门红", "一季度", dt.date(2025, 3, 31)),
        ("下周完成", "下周", dt.date(2025, 3, 23)),
    ],
)
def test_the_forms_added_to_the_grammar(text, words, date):
    assert find_deadline(text, ISSUED) == (words, date)


def test_a_limit_in_the_sentence_after_an_action_is_that_actions():
    r = parse("县住建局要加快推进老旧小区改造，完善配套设施。此项工作6月底前完成。\n县水利局要做好河道清淤。", issued=ISSUED)
    got = {c.text[:8]: (c.deadline_text, c.deadline) for c in r.tasks}
    assert got["县住建局要加快推"] == ("6月底前", dt.date(2025, 6, 30))
    assert got["县水利局要做好河"] == (None, None)  # another paragraph
    assert not any(c.text.startswith("此项工作") for c in r.tasks)


def test_the_day_a_meeting_was_held_is_no_limit_of_its_actions():
    r = parse("3月10日，县长主持召开专题会议，听取工作汇报，要求各乡镇加快推进老旧小区改造，做好河道清淤工作，"
              "组织好抗旱保秋工作。", issued=ISSUED)
    assert r.tasks and all(c.deadline is None for c in r.tasks)


def test_one_limit_at_the_end_of_a_sentence_is_every_action_of_it():
    r = parse("会议要求，县住建局要加快推进老旧小区改造，完善配套设施建设，6月底前全面完成。", issued=ISSUED)
    assert len(r.tasks) == 2 and all(c.deadline == dt.date(2025, 6, 30) for c in r.tasks)


def test_a_limit_in_a_heading_is_the_limit_of_its_items_that_set_none():
    r = parse("一、6月底前完成春季攻坚\n1.县人社局要在4月底前完成欠薪排查。\n2.县住建局要督促项目支付工资。\n", issued=ISSUED)
    got = {c.lead_unit: c.deadline for c in r.tasks}
    assert got["县人社局"] == dt.date(2025, 4, 30) and got["县住建局"] == dt.date(2025, 6, 30)


def test_a_limit_column_gives_each_row_its_own_limit():
    r = parse("序号\t重点任务\t牵头单位\t完成时限\n1\t推进老旧小区改造\t县住建局\t6月底前\n2\t加强河道治理\t县水利局\t11月\n"
              "3\t推进雨污分流\t县水务局\t持续推进\n", issued=ISSUED)
    got = {c.lead_unit: (c.deadline_text, c.deadline) for c in r.tasks}
    assert got == {"县住建局": ("6月底前", dt.date(2025, 6, 30)), "县水利局": ("11月", dt.date(2025, 11, 30)),
                   "县水务局": ("持续推进", None)}


# -- the document's own date ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "date", "source"),
    [
        ("发布于：2023/4/10\n正文", dt.date(2023, 4, 10), "发布于"),
        ("发布于 2023-04-10\n正文", dt.date(2023, 4, 10), "发布于"),
        ("县政府召开常务会议\n2023-04-10 15:30:01 来源：县政府网\n正文", dt.date(2023, 4, 10), "页面日期"),
        ("记者观察网1月30日电（记者 某某）1月28日下午，县长主持召开常务会议。\n发布时间：2026-01-30",
         dt.date(2026, 1, 28), "会议日期"),
    ],
)
def test_the_documents_own_date_on_news_pages(text, date, source):
    from luoshi.directives.parsing.dates import detect_date

    found = detect_date(text)
    assert (found["date"], found["source"]) == (date, source)


def test_a_date_and_a_number_in_a_table_row_are_no_page_date():
    from luoshi.directives.parsing.dates import detect_date

    assert detect_date("序号 2023.04.10 12") is None


# 2026-12-03 (review): an amount in 元 before 月底 is no 元月; 数月内 is no limit of this month


@pytest.mark.parametrize(
    ("text", "words", "date"),
    [
        ("每户补贴500元月底前发放到位", "月底前", dt.date(2025, 3, 31)),
        ("每户补贴五百元月底前发放到位", "月底前", dt.date(2025, 3, 31)),
        ("力争数月内完成", None, None),
        ("几月内建成投用", None, None),
        # as they were: 元月 is January, 月内 this month
        ("元月底前完成", "元月底前", dt.date(2026, 1, 31)),
        ("2026年元月10日前完成", "2026年元月10日前", dt.date(2026, 1, 10)),
        ("月内完成整改", "月内", dt.date(2025, 3, 31)),
        ("本月内完成整改", "本月内", dt.date(2025, 3, 31)),
    ],
)
def test_an_amount_or_a_count_of_months_is_no_month_limit(text, words, date):
    assert find_deadline(text, ISSUED) == (words, date)
