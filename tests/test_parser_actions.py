"""The parser on documents of every genre an office receives: one candidate per accountable action,
units as written with their roles, deadlines, the document's own date, web-page text, titles.

Every example is written for this file (none is copied from the evaluation documents). Pure module:
no Django, no database.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.directives.parsing import ParseError, UnitName, parse, read_text
from luoshi.directives.parsing.dates import detect_date, find_deadline

D = dt.date(2024, 3, 4)  # a Monday


def _check_offsets(text, result):
    for o in result.outline:
        assert text[o.start:o.end] == o.text
    for c in result.tasks:
        assert text[c.start:c.end] == c.text
        assert c.section is None or 0 <= c.section < len(result.outline)
        assert c.parent is None or 0 <= c.parent < len(result.tasks)


def _titles(result):
    return [c.title for c in result.tasks]


# --- one candidate per action -----------------------------------------------------------------------

MEETING = (
    "会议要求，各街道要抓好汛前排查，落实好春耕物资储备，加快滨河公园、北环路拓宽工程、第三小学扩建等项目建设，"
    "守牢生态环境、食品安全底线。"
)


def test_it_gives_each_action_of_a_meeting_requirement_its_own_row():
    r = parse(MEETING, issued=D)
    _check_offsets(MEETING, r)
    assert _titles(r) == [
        "抓好汛前排查",
        "落实好春耕物资储备",
        "加快滨河公园项目建设",
        "加快北环路拓宽工程",
        "加快第三小学扩建项目建设",
        "守牢生态环境底线",
        "守牢食品安全底线",
    ]
    # the subject of the sentence owns every action in it
    assert all(c.units == ["各街道"] and c.lead_unit is None for c in r.tasks)
    # the full sentence is the source; each row's span covers its own words
    assert r.tasks[2].text == "加快滨河公园" and r.tasks[3].text == "北环路拓宽工程"


def test_it_splits_an_enumerated_item_into_its_actions_under_the_item():
    text = "会议强调，一是要抓好春茶采摘，督促农业部门及时发放补贴，加快冷链仓库改造；二是要做好森林防火。"
    r = parse(text, issued=D)
    _check_offsets(text, r)
    assert [o.label for o in r.outline] == ["一是", "二是"]
    assert _titles(r) == ["抓好春茶采摘", "督促农业部门及时发放补贴", "加快冷链仓库改造", "做好森林防火"]
    assert [c.section for c in r.tasks] == [0, 0, 0, 1]
    assert all(c.parent is None for c in r.tasks)  # siblings: none elaborates another
    assert r.tasks[1].units == ["农业部门"]


@pytest.mark.parametrize(
    "sentence",
    [
        "要建设安全、便捷、高效的交通体系。",  # 、 joins adjectives
        "要完善规划、设计、施工各环节管理。",  # the parts of one object
        "要加快推进技术创新、管理创新、产品创新。",  # one line of work, not several named works
    ],
)
def test_it_keeps_an_enumeration_that_names_no_distinct_works_in_one_row(sentence):
    r = parse(sentence, issued=D)
    assert len(r.tasks) == 1


def test_it_splits_two_works_joined_by_a_second_verb():
    text = "今年计划新建12条背街小巷，继续推进东湖水系治理和启动西河黑臭水体整治。"
    r = parse(text, issued=D)
    _check_offsets(text, r)
    spans = [c.text for c in r.tasks]
    assert any("新建12条背街小巷" in s for s in spans)
    assert any("东湖水系治理" in s and "西河" not in s for s in spans)
    assert any("西河黑臭水体整治" in s and "东湖" not in s for s in spans)


def test_it_builds_the_outline_from_enumerators_after_a_lead_in():
    text = "区长要求，一要压实防汛责任，层层传导压力。二要强化物资保障，五一前完成防汛物资补充。三要严肃值班纪律。"
    r = parse(text, issued=D)
    _check_offsets(text, r)
    assert [o.label for o in r.outline] == ["一要", "二要", "三要"]
    due = next(c for c in r.tasks if "物资补充" in c.text)
    assert due.deadline == dt.date(2024, 4, 30) and due.deadline_text == "五一前"


def test_it_keeps_a_short_item_with_its_owner_as_one_row():
    text = "会议要求：\n一是抓好春耕备耕。县农业农村局要在3月底前完成种子化肥调运。\n"
    r = parse(text, issued=D)
    assert len(r.tasks) == 1
    assert r.tasks[0].lead_unit == "县农业农村局" and r.tasks[0].deadline == dt.date(2024, 3, 31)


# --- web pages --------------------------------------------------------------------------------------

WEB = (
    "首页 > 新闻中心 > 乡镇动态 镇政府召开安全生产调度会 发布时间:2024-03-01 来源:镇党政办 阅读次数:356 "
    "3月1日上午,镇长主持召开安全生产调度会。会议要求:一是镇安监站要开展燃气安全检查,3月15日前完成;"
    "二是各村要落实网格员巡查。会议强调,相关部门及乡镇要按职责分工负责,县疾控中心、城管执法队要做好配合。"
    "审核:王五 责任编辑:赵六 打印本页 关闭窗口"
)


def test_it_reads_a_web_page_pasted_as_one_line_with_ascii_punctuation():
    r = parse(WEB, issued=dt.date(2024, 3, 1))
    _check_offsets(WEB, r)
    assert [o.label for o in r.outline] == ["一是", "二是"]
    furniture = ("首页", "发布时间", "来源", "阅读次数", "审核", "责任编辑", "打印本页", "关闭窗口")
    assert not any(word in c.text for c in r.tasks for word in furniture)
    first = r.tasks[0]
    assert first.lead_unit == "镇安监站" and first.deadline == dt.date(2024, 3, 15)
    assert first.title == "开展燃气安全检查，3月15日前完成"  # full-width in the title, source as written
    assert "," in first.text
    last = r.tasks[-1]
    assert last.units == ["县疾控中心", "城管执法队"] and last.lead_unit is None


def test_it_breaks_numbered_parts_run_together_on_one_line():
    text = "关于做好春季防火工作的通知 一、加强组织领导。各镇要成立防火指挥部。二、强化巡查值守。各村要落实专人巡山。"
    r = parse(text, issued=D)
    assert [o.label for o in r.outline if o.kind == "part"] == ["一", "二"]
    assert {c.units[0] for c in r.tasks if c.units} == {"各镇", "各村"}


# --- units ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "sentence, lead, co",
    [
        ("区交通局牵头，区公安分局、各街道配合，15个工作日内完成校园周边隐患整治。", "区交通局", ["区公安分局", "各街道"]),
        ("由县医保局负责，县卫健委参与，6月底前完成城乡居民参保扩面。", "县医保局", ["县卫健委"]),
        ("请县住建局于3月25日前报送老旧小区改造方案。", "县住建局", []),
        ("县城投集团要加快棚户区改造，区城建局参与。", "县城投集团", ["区城建局"]),
        ("县直各单位要认真做好节前值班值守。", None, ["县直各单位"]),
        ("各乡镇（街道）要即日起开展森林防火巡查。", None, ["各乡镇（街道）"]),
        ("相关部门及乡镇要按职责分工负责，确保按期完成。", None, ["相关部门及乡镇"]),
        ("开发区供电公司要在4月底前完成线路改造。", "开发区供电公司", []),
        ("由城关街道办事处负责，东城社区配合，月底前完成摸排。", "城关街道办事处", ["东城社区"]),
        ("经开区管委会要加快标准厂房建设。", "经开区管委会", []),
    ],
)
def test_it_names_units_as_written_and_tells_the_lead_from_co_units(sentence, lead, co):
    r = parse(sentence, issued=D)
    assert len(r.tasks) == 1
    c = r.tasks[0]
    assert c.lead_unit == lead
    assert c.co_units == co
    assert c.units == ([lead] if lead else []) + co


def test_it_leaves_units_that_only_reported_or_are_mentioned_out_of_the_owners():
    text = (
        "会上，县发改委、县财政局汇报了一季度经济运行情况。会议听取了县自然资源局关于土地供应的汇报。"
        "县政府办要督促责任单位抓好落实，结果报市委督查室备案。"
    )
    r = parse(text, issued=D)
    assert len(r.tasks) == 1  # reports heard are not tasks
    assert parse("县创建文明城市领导小组召开第二次会议。", issued=D).tasks == []  # the news itself
    c = r.tasks[0]
    assert c.units == ["县政府办"] and c.lead_unit == "县政府办"
    assert "责任单位" not in c.units  # 督促责任单位: a role, not a unit named 责任单位
    assert c.mentioned_units == ["市委督查室"]


def test_it_uses_the_directory_and_its_aliases():
    units = [UnitName("县疾病预防控制中心", ("县疾控中心", "疾控中心"))]
    r = parse("县疾控中心要在本周内完成重点人群筛查。", issued=D, units=units)
    assert r.tasks[0].lead_unit == "县疾病预防控制中心"


# --- 督查通报 ---------------------------------------------------------------------------------------

NOTICE = (
    "关于县政府常务会议确定事项落实情况的督查通报\n"
    "〔2024〕7号\n"
    "其中，由县水利局负责的第2件、县林业局负责的第5、7件事项进展滞后，请以上单位加快进度。\n"
    "东湖污水管网工程、南山村道路硬化项目等均未达序时；红旗镇、白沙乡等未按要求报送材料。\n"
    "一、县住建局\n"
    "1.老旧小区改造开工率偏低。\n"
    "2.保障房分配进度滞后。\n"
    "县政府督查室\n"
    "2024年3月4日\n"
)


def test_it_gives_one_row_per_numbered_item_of_a_supervision_notice():
    r = parse(NOTICE, issued=D)
    _check_offsets(NOTICE, r)
    rows = [(c.title, c.lead_unit) for c in r.tasks]
    assert rows == [
        ("县水利局负责的第2件", "县水利局"),
        ("县林业局负责的第5件事项", "县林业局"),
        ("县林业局负责的第7件事项", "县林业局"),
        ("东湖污水管网工程（未达序时）", None),
        ("南山村道路硬化项目（未达序时）", None),
        ("红旗镇（未按要求报送材料）", "红旗镇"),
        ("白沙乡（未按要求报送材料）", "白沙乡"),
        ("老旧小区改造开工率偏低", "县住建局"),
        ("保障房分配进度滞后", "县住建局"),
    ]
    # the two items of 第5、7件 each cover their own number
    assert r.tasks[1].text.endswith("第5") and r.tasks[2].text == "7件"


def test_it_turns_the_decisions_of_an_executive_meeting_into_rows_with_their_drafting_unit():
    text = "会议原则同意县财政局拟定的《县级预算绩效管理办法》，修改完善后印发实施。会议研究了近期重点工作。"
    r = parse(text, issued=D)
    assert len(r.tasks) == 1
    c = r.tasks[0]
    assert c.lead_unit == "县财政局"
    assert c.title == "《县级预算绩效管理办法》修改完善后印发实施"


MINUTES = (
    "会议纪要\n"
    "会议议定事项如下：\n"
    "一、关于城区停车难问题。会议明确，由县公安局交警大队牵头，县城管局、县住建局配合，于4月底前完成城区停车泊位施划；"
    "县发改局负责研究制定停车收费标准。\n"
    "二、关于农贸市场改造。会议同意县市场监管局提出的改造方案，由城关镇负责组织实施，6月底前完工。\n"
)


def test_it_reads_the_agreed_items_of_minutes_with_their_owners():
    r = parse(MINUTES, issued=D)
    _check_offsets(MINUTES, r)
    assert [(c.title, c.lead_unit, c.co_units, c.deadline) for c in r.tasks] == [
        ("完成城区停车泊位施划", "县公安局交警大队", ["县城管局", "县住建局"], dt.date(2024, 4, 30)),
        ("研究制定停车收费标准", "县发改局", [], None),
        # the unit that carries the decision out leads it, not the one that proposed it
        ("县市场监管局提出的改造方案，6月底前完工", "城关镇", ["县市场监管局"], dt.date(2024, 6, 30)),
    ]


def test_it_reads_inline_fields_written_with_ascii_punctuation():
    text = "1.推进城东片区棚户区改造。(牵头单位:县住建局;配合单位:县财政局、城关镇;完成时限:2024年6月底前)\n"
    c = parse(text, issued=D).tasks[0]
    assert (c.title, c.lead_unit, c.co_units, c.deadline) == (
        "推进城东片区棚户区改造", "县住建局", ["县财政局", "城关镇"], dt.date(2024, 6, 30)
    )


def test_it_reads_a_list_of_assigned_items_after_a_colon():
    text = (
        "区委区政府召开第三次“周交办”工作会议。会议交办了以下事项：1.城区背街小巷改造（责任单位：区住建局，完成时限：4月15日前）；"
        "2.东风路积水点整治（责任单位：区城管局、区水利局，完成时限：汛前）；3.各街道要在本周五前完成疫苗接种摸底。"
    )
    r = parse(text, issued=D)
    _check_offsets(text, r)
    assert [o.label for o in r.outline] == ["1.", "2.", "3."]
    assert [(c.title, c.lead_unit, c.units, c.deadline_text, c.deadline) for c in r.tasks] == [
        ("城区背街小巷改造", "区住建局", ["区住建局"], "4月15日前", dt.date(2024, 4, 15)),
        ("东风路积水点整治", None, ["区城管局", "区水利局"], "汛前", None),  # 汛前 varies by region: text only
        ("完成疫苗接种摸底", None, ["各街道"], "本周五前", dt.date(2024, 3, 8)),
    ]


def test_it_does_not_carry_an_owner_into_the_next_enumerated_item():
    text = "县长指出：一是抓安全保稳定，县应急局牵头开展危化品专项整治；二是抓民生补短板，加快城南学校、县医院新院区建设。"
    r = parse(text, issued=D)
    assert [(c.title, c.lead_unit, c.units) for c in r.tasks] == [
        ("抓安全保稳定", None, []),
        ("开展危化品专项整治", "县应急局", ["县应急局"]),
        ("抓民生补短板", None, []),
        ("加快城南学校建设", None, []),  # a hospital named as a work is no unit
        ("加快县医院新院区建设", None, []),
    ]


# --- deadlines ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "phrase, text, expected",
    [
        ("要在3月25日前完成招标。", "3月25日前", dt.date(2024, 3, 25)),
        ("6月底前全面完成。", "6月底前", dt.date(2024, 6, 30)),
        ("二季度完成验收。", "二季度", dt.date(2024, 6, 30)),
        ("上半年建成投用。", "上半年", dt.date(2024, 6, 30)),
        ("确保主要指标实现双过半。", "双过半", dt.date(2024, 6, 30)),
        ("年内完成改造。", "年内", dt.date(2024, 12, 31)),
        ("年底前全部办结。", "年底前", dt.date(2024, 12, 31)),
        ("春节前发放到位。", "春节前", dt.date(2025, 1, 28)),  # 2024's 春节 (10 Feb) has passed
        ("本周内报送清单。", "本周内", dt.date(2024, 3, 10)),
        ("下周报送检查结果。", "下周", dt.date(2024, 3, 17)),
        ("即日起开展巡查。", "即日起", D),  # due from the day the directive is confirmed
        ("10个工作日内办结。", "10个工作日内", dt.date(2024, 3, 18)),
        ("节前做好值班安排。", "节前", dt.date(2024, 4, 3)),  # 清明 (4 April) comes first
        ("国庆节前完成布置。", "国庆节前", dt.date(2024, 9, 30)),
        ("下周例会前报送办理情况。", "下周例会前", dt.date(2024, 3, 10)),  # the meeting is held on Mondays
        ("20日前报送台账。", "20日前", dt.date(2024, 3, 20)),
        ("3日前报送台账。", "3日前", dt.date(2024, 4, 3)),  # the 3rd of this month has passed
        ("年前完成欠薪清零。", "年前", dt.date(2025, 1, 28)),  # before the Spring Festival
    ],
)
def test_it_resolves_deadlines_against_the_confirmed_date_and_keeps_the_text(phrase, text, expected):
    assert find_deadline(phrase, D) == (text, expected)


def test_it_prefers_a_limit_to_a_start_and_keeps_text_without_a_date():
    assert find_deadline("即日起开展排查，月底前完成整改。", D) == ("月底前", dt.date(2024, 3, 31))
    assert find_deadline("春节前发放到位。", None) == ("春节前", None)
    # periods and pasts are no limits
    assert find_deadline("三年前建成的厂房", D) == (None, None)
    assert find_deadline("前三季度全县实现增长", D) == (None, None)


def test_it_does_not_take_a_year_in_a_document_title_for_a_deadline():
    r = parse("会议同意县农业农村局拟定的《现代农业园区建设方案（2024-2026年）》，报县委审定后印发。", issued=D)
    assert r.tasks[0].deadline is None


# --- the document's own date ----------------------------------------------------------------------

def test_it_detects_the_date_a_page_was_published():
    r = parse("县长主持召开周例会\n发布时间：2023-04-10\n会议要求，各乡镇要做好防汛准备。", issued=dt.date(2023, 4, 12))
    found = r.detected_date
    assert found.date == dt.date(2023, 4, 10) and found.text == "发布时间：2023-04-10"
    assert r.date_mismatch is True
    d = r.to_dict()
    assert d["detected_date"]["date"] == "2023-04-10" and d["date_mismatch"] is True


def test_it_reads_the_meeting_date_with_the_confirmed_year_and_agrees_when_equal():
    r = parse("9月3日，市政府召开常务会议。会议要求，各区要抓好秋粮收购。", issued=dt.date(2023, 9, 3))
    assert r.detected_date.date == dt.date(2023, 9, 3) and r.detected_date.source == "会议日期"
    assert r.date_mismatch is False


def test_it_takes_the_year_of_a_document_number_when_nothing_else_dates_it():
    found = detect_date("县政府办公室文件\n县政办〔2024〕7号\n各乡镇要抓好春耕。")
    assert found["date"] is None and found["year"] == 2024 and found["text"] == "〔2024〕7号"
    r = parse("县政办〔2024〕7号\n各乡镇要抓好春耕。", issued=dt.date(2023, 12, 1))
    assert r.date_mismatch is True


def test_it_prefers_the_signature_date_written_in_chinese_numerals():
    found = detect_date("各镇要抓好春耕。\n县人民政府\n二〇二四年三月五日\n")
    assert found["date"] == dt.date(2024, 3, 5) and found["source"] == "落款"


def test_it_reports_no_date_when_the_text_has_none():
    r = parse("各乡镇要抓好春耕。", issued=D)
    assert r.detected_date is None and r.date_mismatch is None
    assert r.to_dict()["detected_date"] is None


# --- titles -------------------------------------------------------------------------------------------

def test_it_titles_by_verb_and_object_and_keeps_the_sentence_in_the_measures():
    text = (
        "二是由县交通运输局牵头，县公安局配合，10个工作日内完成全县农村公路临水临崖路段安全隐患排查整治和警示标志补设工作。"
    )
    r = parse(text, issued=D)
    c = r.tasks[0]
    assert c.title.startswith("完成全县农村公路")
    assert len(c.title) <= 30
    assert "牵头" not in c.title and "10个工作日内" not in c.title
    assert c.measures.startswith("由县交通运输局牵头") and c.measures.endswith("警示标志补设工作。")


# --- input and output ---------------------------------------------------------------------------------

def test_it_reads_gb18030_utf8_and_docx_alike():
    docx = pytest.importorskip("docx")
    from luoshi.directives.documents import read_document

    text = "会议要求，各乡镇要做好防汛值守，落实好秋播准备。"
    doc = docx.Document()
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    for source in (read_text(text.encode("gb18030")), read_text(text.encode("utf-8")), read_document("会议.docx", buf.getvalue())):
        assert _titles(parse(source, issued=D)) == ["做好防汛值守", "落实好秋播准备"]


def test_it_only_adds_keys_to_the_result_dictionary():
    d = parse(MEETING, issued=D).to_dict()
    assert {"outline", "tasks", "issued", "detected_date", "date_mismatch"} <= set(d)
    task = d["tasks"][0]
    assert {
        "title", "text", "measures", "start", "end", "section", "units", "lead_unit", "deadline",
        "deadline_text", "targets", "lead_leader", "kind", "confidence", "parent", "co_units", "mentioned_units",
    } <= set(task)


_SOUP = st.lists(
    st.sampled_from(
        ["会议要求,", "一是", "二是", "一要", "、", ",", ";", ":", "(", ")", "?", " ", "\n", "当前位置:首页>", "来源:",
         "发布时间:2024-03-01", "阅读次数:", "打印本页", "县住建局", "要加快", "A项目", "等项目建设", "牵头", "配合",
         "负责的第", "3", "件", "等均未达序时", "春节前", "双过半", "〔2024〕7号", "9月3日,", "召开", "。", "由", "请"]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_SOUP, st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))))
def test_it_never_crashes_on_web_page_and_meeting_soup(text, issued):
    try:
        r = parse(text, issued=issued)
    except ParseError as exc:  # pragma: no cover - the fallback must never be reached
        pytest.fail(f"parse raised {exc!r} on {text!r}")
    _check_offsets(text, r)
    r.to_dict()


# --- 督查通报, flattened tables, field names, decisions ------------------------------------------------


def _rows(result):
    return [(c.text, c.lead_unit) for c in result.tasks]


def test_it_gives_one_row_per_unit_a_notice_flags_as_lagging_and_none_for_praise():
    text = (
        "二、巡查得分情况\n"
        "1.得分排名前两位的是东湖镇(98.5)、西岭乡(97.2)。得分低于80分的单位是南关街道(76.4)、北山镇(70.1)。\n"
    )
    result = parse(text, issued=D)
    _check_offsets(text, result)
    assert _rows(result) == [("南关街道(76.4)", "南关街道"), ("北山镇(70.1)", "北山镇")]


def test_it_gives_one_row_per_unit_on_a_criticism_list_and_none_for_the_praise_list():
    text = (
        "红榜名单\n第一组:县图书馆、城南街道办事处\n"
        "黑榜名单\n第一组:县文化馆\n第二组:东坪镇、县科协\n"
        "县文明办\n2024年3月4日\n"
    )
    result = parse(text, issued=D)
    _check_offsets(text, result)
    assert _rows(result) == [("县文化馆", "县文化馆"), ("东坪镇", "东坪镇"), ("县科协", "县科协")]


def test_it_gives_each_lagging_work_listed_under_an_area_to_that_area():
    text = "其中：东城区有2(社区食堂建设、口袋公园建设)推进缓慢；西城区有1(老旧管网改造)推进缓慢。"
    result = parse(text, issued=D)
    _check_offsets(text, result)
    assert _rows(result) == [
        ("社区食堂建设", "东城区"),
        ("口袋公园建设", "东城区"),
        ("老旧管网改造", "西城区"),
    ]


def test_it_reads_a_table_pasted_one_cell_a_line_by_row_number_and_cell_content():
    text = (
        "2024年重点工作责任清单\n序号 |\n重点工作 |\n责任领导 |\n牵头 单位 |\n配合单位 |\n完成时限 |\n"
        "1 |\n新建城东污水处理厂二期工程。 |\n王明 |\n县住建局 |\n县财政局、东城镇 |\n9月底前 |\n"
        "2 |\n完成农村公路养护招标。 |\n李华 |\n县交通运输局 |\n6月底前 |\n"
    )
    result = parse(text, issued=D)
    _check_offsets(text, result)
    assert [(c.text, c.lead_unit, c.co_units, c.lead_leader, c.deadline) for c in result.tasks] == [
        ("新建城东污水处理厂二期工程。", "县住建局", ["县财政局", "东城镇"], "王明", dt.date(2024, 9, 30)),
        ("完成农村公路养护招标。", "县交通运输局", [], "李华", dt.date(2024, 6, 30)),
    ]


def test_it_reads_field_names_as_offices_write_them():
    text = (
        "1. 规模以上工业增加值增长7%。\n牵头负责领导:张强。\n牵头责任单位:市工信局。\n"
        "协同责任单位:市发展改革委、市统计局等,各县、市、区政府。\n"
    )
    result = parse(text, issued=D)
    _check_offsets(text, result)
    (task,) = result.tasks
    assert task.lead_unit == "市工信局"
    assert task.units == ["市工信局", "市发展改革委", "市统计局", "各县、市、区政府"]
    assert task.lead_leader == "张强"


def test_it_makes_each_decided_item_of_minutes_a_row():
    text = (
        "会议决定如下事项:\n"
        "一、老城区临时停车泊位保留至6月底。\n"
        "二、市城管局会同市公安局交警支队对占道经营进行清理，所需经费由市财政局解决。\n"
        "三、市交通局负责公交线路的调整优化。\n"
    )
    result = parse(text, issued=D)
    _check_offsets(text, result)
    assert [(c.text[:2], c.lead_unit) for c in result.tasks] == [("一、", None), ("二、", "市城管局"), ("三、", "市交通局")]
    assert result.tasks[0].deadline == dt.date(2024, 6, 30)
    assert "市公安局交警支队" in result.tasks[1].co_units


def test_it_takes_two_collectives_joined_as_one_owner_and_a_unit_after_by():
    result = parse("会议要求，各乡镇及县直部门要做好森林防火巡查。原则同意，由城投集团按程序组织实施。", issued=D)
    assert [c.units for c in result.tasks] == [["各乡镇及县直部门"], ["城投集团"]]
    assert result.tasks[1].lead_unit == "城投集团"


def test_it_reads_manner_adverbials_and_a_work_named_before_its_time_limit_as_actions():
    text = "会议要求，要做好秋冬季大气污染防治，精细化治理餐饮油烟；农村危房改造工作7月底前全面完成。"
    result = parse(text, issued=D)
    _check_offsets(text, result)
    assert [c.text for c in result.tasks] == [
        "会议要求，要做好秋冬季大气污染防治",
        "精细化治理餐饮油烟",
        "农村危房改造工作7月底前全面完成。",
    ]
    assert result.tasks[2].deadline == dt.date(2024, 7, 31)
