"""Cutting one requirement into the actions a clerk registers (luoshi.directives.parsing.split).

Every sentence is written for this file (none is copied from the evaluation documents), and each
rule has a negative that must stay one row. Pure module: no Django, no database.
"""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.directives.parsing import parse
from luoshi.directives.parsing.split import aims_only, named_work, opens_action

D = dt.date(2024, 3, 4)


def _rows(text):
    r = parse(text, issued=D)
    for c in r.tasks:
        assert text[c.start:c.end] == c.text
        assert len(c.title) <= 30
    return r


def _titles(r):
    return [c.title for c in r.tasks]


def test_it_splits_clauses_that_open_with_coined_verbs():
    text = "会议要求，各村要管好用好防汛物资，落细落实巡堤查险，严查私搭乱建。"
    r = _rows(text)
    assert _titles(r) == ["管好用好防汛物资", "落细落实巡堤查险", "严查私搭乱建"]
    # the shared subject owns every row
    assert all(c.units == ["各村"] for c in r.tasks)


def test_it_splits_a_second_verb_with_an_adverb_before_it():
    text = "会议要求，各乡镇要严格落实河长制，加大巡河频次，及时清理河道垃圾，坚决打击非法采砂。"
    r = _rows(text)
    assert _titles(r) == ["严格落实河长制", "加大巡河频次", "及时清理河道垃圾", "坚决打击非法采砂"]


def test_it_keeps_a_purpose_clause_with_its_action():
    text = "会议指出，县农业农村局要抓实春耕备耕，做细种子化肥调运，确保粮食面积稳定在50万亩以上。"
    r = _rows(text)
    assert len(r.tasks) == 2
    assert r.tasks[1].title.startswith("做细种子化肥调运")
    assert "确保粮食面积" in r.tasks[1].text
    assert all(c.lead_unit == "县农业农村局" for c in r.tasks)


@pytest.mark.parametrize("text, kept", [
    # the spirit or effect sought
    ("会议强调，各部门要加强卫生死角清理，营造全民参与创卫的浓厚氛围。", "浓厚氛围"),
    ("会议要求，各乡镇要树牢底线思维，全面排查整治安全隐患。", "排查整治"),
    # what to do with the cases the action finds
    ("会议指出，相关部门要立即组织力量对全县桥梁开展安全检测，对存在隐患的要及时设置警示标志并限期整改。", "限期整改"),
    # 把 as a preposition, not 把好
    ("会议要求，县城管局要把好事办实，把实事办好。", "把实事办好"),
    # a later milestone of the same work
    ("会议要求，各乡镇要加快农村危房改造，下周例会前报送改造进度。", "报送改造进度"),
])
def test_it_keeps_an_elaborating_clause_with_its_action(text, kept):
    r = _rows(text)
    assert len(r.tasks) == 1
    assert kept in r.tasks[0].text


def test_it_splits_a_list_of_works_each_named_as_it_is_done():
    text = "会议要求，县发改委要加快城北污水厂、东环路改造、县人民医院新院区建设。"
    r = _rows(text)
    assert _titles(r) == ["加快城北污水厂", "加快东环路改造", "加快县人民医院新院区建设"]
    assert all(c.lead_unit == "县发改委" for c in r.tasks)
    assert [c.text for c in r.tasks][1] == "东环路改造"


def test_it_splits_works_counted_after_the_list_and_keeps_the_time_limit_on_each():
    text = "会议要求，县卫健委要在6月底前完成县中医院门诊楼、城南社区卫生服务中心、乡镇卫生院提升改造三个项目。"
    r = _rows(text)
    assert _titles(r) == ["完成县中医院门诊楼项目", "完成城南社区卫生服务中心项目", "完成乡镇卫生院提升改造项目"]
    assert all(c.deadline == dt.date(2024, 6, 30) and c.deadline_text == "6月底前" for c in r.tasks)
    assert all(c.units == ["县卫健委"] for c in r.tasks)


@pytest.mark.parametrize("text", [
    "会议要求，要持续提升群众的获得感、幸福感、安全感。",  # qualities
    "会议要求，要完善教育、医疗、养老等公共服务。",  # fields of one service
    "会议要求，县市场监管局要加强学校、医院、养老机构等场所的食品安全监管。",  # places of one check
    "会议要求，要不断提升服务的便捷性、规范性、透明度。",
])
def test_it_keeps_a_list_of_fields_or_qualities_as_one_row(text):
    r = _rows(text)
    assert len(r.tasks) == 1


def test_it_splits_the_actions_of_an_enumerated_item_under_its_heading():
    text = "会议强调：一是要扛起防汛责任，备足抢险物资。二是要做实秋冬季造林，严把苗木质量关，狠抓林木管护。"
    r = _rows(text)
    second = [c for c in r.tasks if r.outline[c.section].label == "二是"]
    assert [c.title for c in second] == ["做实秋冬季造林", "严把苗木质量关", "狠抓林木管护"]


def test_it_recognises_coined_verbs_and_not_their_lookalikes():
    for s in ("抓实春耕", "做细调运", "织密防护网", "严防火灾", "严把质量关", "扛起责任", "狠抓落实"):
        assert opens_action(s), s
    for s in ("把好事办实", "严格要求", "安全生产", "紧盯指标"):
        assert not opens_action(s), s


def test_it_tells_works_from_fields():
    for s in ("城北污水厂", "东环路改造", "县人民医院新院区建设", "滨江公园"):
        assert named_work(s), s
    for s in ("安全生产", "信访稳定", "规范性", "教育", "群众的获得感"):
        assert not named_work(s), s
    assert aims_only("营造全社会参与的浓厚氛围")
    assert not aims_only("开展河道清淤")


def test_it_gives_each_unit_asked_in_turn_its_own_row_and_lead():
    text = "会议研究了城东棚户区改造问题，要求县财政局尽快拨付项目资金，县自然资源局加快办理用地手续。"
    r = _rows(text)
    assert [(c.title, c.lead_unit) for c in r.tasks] == [
        ("尽快拨付项目资金", "县财政局"),
        ("加快办理用地手续", "县自然资源局"),
    ]


def test_it_reads_a_more_forceful_adverb_before_a_list_of_verbs():
    text = "会议要求，要办好全县农民丰收节，更大力度谋划、储备、建设项目。"
    r = _rows(text)
    assert _titles(r) == ["办好全县农民丰收节", "更大力度谋划、储备、建设项目"]


def test_it_gives_an_object_added_with_yiji_its_own_row_and_the_verb_before_it():
    text = "会议要求，县市场监管局要持续加强农贸市场、超市的价格监管，以及节日期间的食品安全抽检。"
    r = _rows(text)
    assert len(r.tasks) == 2
    assert r.tasks[1].text.startswith("以及") and r.tasks[1].title.endswith("加强节日期间的食品安全抽检")
    assert r.tasks[1].lead_unit == "县市场监管局"
    # what is followed or studied is no work of its own
    text2 = "会议要求，要深入学习贯彻全会精神，以及省委经济工作会议精神。"
    assert len(_rows(text2).tasks) == 1


def test_it_splits_parallel_names_with_one_works_head():
    text = "会议要求，县住建局要加快东区、西区污水处理厂建设。"
    r = _rows(text)
    assert _titles(r) == ["加快东区污水处理厂建设", "加快西区污水处理厂建设"]
    for text in ("会议要求，要统筹推进城乡、区域协调发展。", "会议要求，要加强春节、元宵节期间市场监管。",
                 "同时要坚持原则、坚守底线，把督查工作抓实。"):
        assert len(_rows(text).tasks) == 1, text


def test_it_splits_maintenance_verbs_under_an_enumerated_item():
    text = "二是要做好冬季供暖，提前检修供热管网，全面清扫供热站房。"
    assert _titles(_rows(text)) == ["做好冬季供暖", "提前检修供热管网", "全面清扫供热站房"]
