"""The parser (luoshi.directives.parsing.parser) on the forms of 督查通报 and 会议纪要 that list work by unit
or by decision: texts written for these tests in the forms offices use."""

from __future__ import annotations

import datetime as dt

from luoshi.directives.parsing import parse

ISSUED = dt.date(2025, 3, 12)


def _rows(text: str):
    return parse(text, issued=ISSUED).tasks


def test_it_gives_each_numbered_problem_the_unit_named_before_its_colon():
    text = (
        "关于全县重点工作推进情况的督查通报\n"
        "近期，县政府督查室对全县重点工作推进情况进行了督查。县发改委、县财政局工作成效明显，值得肯定。\n"
        "一、存在的问题\n"
        "县交通运输局：1.农村公路养护项目进度滞后，仅完成年度计划的30%；2.客运站改造工程未按期开工。\n"
        "县住建局：1.老旧小区改造项目资金拨付缓慢；2.城区雨污分流工程施工现场管理不规范；3.保障性住房分配未公示。\n"
    )
    rows = _rows(text)
    assert [r.lead_unit for r in rows] == ["县交通运输局"] * 2 + ["县住建局"] * 3
    assert all(r.units == [r.lead_unit] for r in rows)
    assert not any("值得肯定" in r.text for r in rows)  # praise is no row


def test_it_gives_numbered_lines_the_unit_on_the_line_above():
    text = (
        "二、存在问题\n"
        "县自然资源局：\n"
        "1.闲置土地处置工作推进缓慢。\n"
        "2.违法占地问题整改不到位。\n"
        "县林业局：\n"
        "1.林长制巡林记录不全。\n"
        "2.森林防火通道建设滞后。\n"
    )
    rows = _rows(text)
    assert [r.lead_unit for r in rows] == ["县自然资源局", "县自然资源局", "县林业局", "县林业局"]


def test_it_gives_items_under_a_unit_heading_that_unit():
    text = (
        "二、存在问题\n"
        "（一）县住建局。1.城区停车场建设项目前期手续办理滞后。2.背街小巷改造进度缓慢，完成率不足20%。\n"
        "（二）县农业农村局。1.高标准农田建设项目尚未开工。\n"
    )
    assert [r.lead_unit for r in _rows(text)] == ["县住建局", "县住建局", "县农业农村局"]


def test_it_does_not_take_a_topic_before_a_colon_for_a_unit():
    text = "会议要求：1.各乡镇要做好防汛值守；2.抓好秋粮收购。\n"
    rows = _rows(text)
    assert rows and all(r.lead_unit is None for r in rows)


def test_it_takes_a_plan_a_unit_proposed_and_the_meeting_agreed_as_that_units_task():
    text = ("会议同意县农业农村局提出的春耕生产工作安排；会议要求各乡镇做好春耕物资储备，确保3月25日前完成备耕。\n")
    rows = _rows(text)
    assert rows[0].lead_unit == "县农业农村局" and "春耕生产工作安排" in rows[0].text
    assert rows[1].deadline == dt.date(2025, 3, 25) and "各乡镇" in rows[1].units


def test_it_takes_no_row_for_a_report_the_meeting_only_heard_or_agreed():
    rows = _rows("会议原则同意县教育局关于城区学校建设情况的汇报。\n")
    assert rows == []


def test_it_reads_each_decided_item_of_minutes_with_its_units_and_deadline():
    text = (
        "会议议定：\n"
        "一、由县林业局牵头，各乡镇配合，清明节前完成重点林区巡查。\n"
        "二、县市场监管局负责开展食品安全专项整治，10个工作日内报送整治方案。\n"
        "三、城区停车场项目由县城投公司负责实施，年内建成投用。\n"
    )
    rows = _rows(text)
    assert [(r.lead_unit, r.deadline) for r in rows] == [
        ("县林业局", dt.date(2025, 4, 3)), ("县市场监管局", dt.date(2025, 3, 26)), ("县城投公司", dt.date(2025, 12, 31))]


def test_it_gives_a_problem_closed_by_its_units_in_brackets_one_row_led_by_the_first():
    text = (
        "5月12日至16日，县创卫办对城区环境卫生进行了检查，发现如下问题：\n"
        "一、人民路农贸市场周边垃圾清运不及时。（县城管局）\n"
        "二、汽车站周边流动摊贩占道经营。（县城管执法大队、城关镇）\n"
        "三、滨河公园保洁不到位（详见附件照片）。\n"
    )
    rows = [r for r in _rows(text) if r.kind == "item"]
    assert [(r.lead_unit, r.co_units) for r in rows] == [("县城管局", []), ("县城管执法大队", ["城关镇"])]
    assert not any("滨河公园" in r.text and r.lead_unit for r in rows)  # a bracket that names no unit


def test_it_names_each_unit_criticised_after_a_colon_and_not_those_praised():
    text = "四、本周志愿服务岗表现较好的单位：县财政局、县税务局；表现较差的单位：县文旅局、县统计局。\n"
    rows = _rows(text)
    assert [r.lead_unit for r in rows] == ["县文旅局", "县统计局"]


def test_it_gives_the_closing_limit_to_every_problem_listed_above_it():
    text = (
        "县交通运输局：1.农村公路养护项目进度滞后；2.客运站改造工程未按期开工。\n"
        "县住建局：1.老旧小区改造项目资金拨付缓慢。\n"
        "以上问题，请各责任单位于4月15日前整改到位，并将整改情况报县政府督查室。\n"
    )
    rows = _rows(text)
    owned = [r for r in rows if r.lead_unit]
    assert len(owned) == 3 and all(r.deadline == dt.date(2025, 4, 15) for r in owned)


def test_it_gives_no_closing_limit_to_problems_that_have_their_own_or_without_a_closing_sentence():
    text = (
        "县住建局：1.老旧小区改造项目资金拨付缓慢，6月底前拨付到位；2.保障性住房分配未公示。\n"
        "各单位要高度重视，于4月15日前报送工作总结。\n"
    )
    rows = [r for r in _rows(text) if r.lead_unit == "县住建局"]
    assert [r.deadline for r in rows] == [dt.date(2025, 6, 30), None]


def test_it_gives_a_heading_limit_to_the_rows_under_it_that_set_none():
    text = (
        "二、下步工作安排\n"
        "（一）春节前完成农民工工资清零。\n"
        "县人社局要牵头开展欠薪隐患全面排查，建立问题台账，逐项督促整改。县住建局要督促在建项目全面落实工资专户制度。"
        "县交通运输局要加强交通建设领域工资支付监管，3月底前完成专项检查。\n"
        "（二）抓好安全生产。\n"
        "县应急局要开展安全生产大检查，严查各类隐患。县消防救援大队要加强人员密集场所消防检查。各乡镇要落实值班值守制度。\n"
    )
    rows = _rows(text)
    by_unit = {r.lead_unit: r for r in rows}
    assert by_unit["县住建局"].deadline == dt.date(2026, 2, 16)
    assert by_unit["县交通运输局"].deadline_text in ("春节前", "3月底前")
    assert any(r.deadline == dt.date(2025, 3, 31) for r in rows)  # its own limit stays
    assert by_unit["县应急局"].deadline is None  # a heading without a limit gives none


def test_it_gives_a_numbered_problem_that_opens_with_its_unit_and_a_colon_that_unit_as_lead():
    text = (
        "二、存在的问题\n"
        "1.县交通运输局：农村公路养护工程进度滞后，仅完成年度计划的40%。\n"
        "2.县住建局：城区雨污分流改造项目推进缓慢。\n"
        "3.各乡镇：秸秆禁烧巡查不到位。\n"
    )
    rows = _rows(text)
    assert [r.lead_unit for r in rows] == ["县交通运输局", "县住建局", None]  # a collective never leads


def test_it_names_each_unit_with_overdue_items_and_gives_them_the_closing_limit():
    text = (
        "3月份，系统内逾期未办结事项较多的单位有：县住建局（5件）、县自然资源局（3件）。\n"
        "交办事项签收不及时的单位：县教育局、县卫健委。\n"
        "请上述单位于4月10日前将逾期事项全部办结。\n"
    )
    rows = [r for r in _rows(text) if r.lead_unit]
    assert [r.lead_unit for r in rows] == ["县住建局", "县自然资源局", "县教育局", "县卫健委"]
    assert all(r.deadline == dt.date(2025, 4, 10) for r in rows)


def test_it_takes_no_row_for_units_with_many_items_done():
    rows = _rows("3月份，办结事项较多的单位有：县住建局、县自然资源局。\n")
    assert [r for r in rows if r.lead_unit] == []


def test_it_finds_the_action_and_its_owner_after_a_time_limit_before_the_verb():
    text = (
        "会议要求县交通运输局于4月15日前完成公交线路调整。\n"
        "会议要求县住建局10个工作日内制定老旧小区改造方案。\n"
    )
    rows = _rows(text)
    assert [(r.lead_unit, r.deadline) for r in rows] == [
        ("县交通运输局", dt.date(2025, 4, 15)), ("县住建局", dt.date(2025, 3, 26))]


def test_it_takes_no_row_for_a_time_limit_without_an_action():
    assert _rows("会议要求县交通运输局于4月15日前。\n") == []


# -- third round of 2026-12-02: a ranking from below with its units on the next line ---------------


def test_it_reads_each_unit_under_a_ranking_from_below_as_a_row_to_chase():
    text = ("关于一季度环境卫生整治情况的督查通报\n现将督查情况通报如下：\n1、单位末位排名\n县统计局 县供销社\n"
            "2、满意度连续2个月均在后10名的乡镇是：\n甲镇、乙镇；\n\n县爱卫办\n2021年4月1日\n")
    rows = parse(text, issued=dt.date(2021, 4, 1)).tasks
    assert [c.lead_unit for c in rows] == ["县统计局", "县供销社", "甲镇", "乙镇"]


def test_it_reads_no_row_under_a_ranking_from_above():
    # counter-case: the first places are praise
    text = "督查通报\n1、单位排名前三\n县统计局 县供销社\n"
    assert all(not c.lead_unit for c in parse(text, issued=dt.date(2021, 4, 1)).tasks)


def test_it_cuts_the_imprint_of_an_official_document_out_of_the_text():
    text = "会议要求，县住建局要加快施工进度。\n本期发：局领导，局机关各科室。\n县住房和城乡建设局办公室 2021年8月16日印\n"
    rows = parse(text, issued=dt.date(2021, 8, 16)).tasks
    assert [c.title for c in rows] == ["加快施工进度"]


def test_it_keeps_a_sentence_that_only_mentions_printing_as_text():
    # counter-case: 印发 inside a sentence is no imprint line
    rows = parse("会议要求，县政府办公室要于2021年8月16日印发实施方案。\n", issued=dt.date(2021, 8, 1)).tasks
    assert len(rows) == 1 and rows[0].deadline == dt.date(2021, 8, 16)
