"""Cutting one requirement into the actions a clerk registers (luoshi.directives.parsing.split).

Every sentence is written for this file (none is copied from the evaluation documents), and each
rule has a negative that must stay one row. Pure module: no Django, no database.
"""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.directives.parsing import parse
from luoshi.directives.parsing.parser import _past_preposition
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


@pytest.mark.parametrize("modal", ["要", "应", "须"])
def test_it_keeps_who_leads_and_who_assists_with_the_action_they_own(modal):
    # 二是要由X牵头，Y配合，开展…: the owners' clauses are no row of their own
    text = f"会议强调，一是要抓好冬季供暖保障；二是{modal}由县市场监管局牵头，县商务局配合，开展食品安全专项检查。"
    r = _rows(text)
    own = [c for c in r.tasks if "食品安全" in c.text]
    assert len(own) == 1
    assert not any(c.title.endswith("牵头") for c in r.tasks)
    assert own[0].lead_unit == "县市场监管局"
    assert own[0].co_units == ["县商务局"]


def test_it_reads_a_theme_sentence_then_its_owners_actions_as_a_heading_with_rows():
    # a speech's 一要 paragraph: the theme, then sentences each an action with its own owners
    text = (
        "下面，我再强调几点。\n"
        "一要全力冲刺全年目标。各乡镇要对照目标任务逐项梳理、查漏补缺。县发改局要牵头做好经济运行监测调度。\n"
        "二要守牢安全底线。各级各部门要深入排查整治重大事故隐患。县应急管理局要在11月底前完成危化品企业检查。\n"
    )
    r = _rows(text)
    owners = [(c.units, c.kind) for c in r.tasks]
    assert (["各乡镇"], "sentence") in owners and (["县发改局"], "sentence") in owners
    assert (["各级各部门"], "sentence") in owners and (["县应急管理局"], "sentence") in owners
    # the themes stand above the rows, not in place of them
    assert [c.title for c in r.tasks if c.kind == "heading"] == ["全力冲刺全年目标", "守牢安全底线"]


def test_it_keeps_a_theme_with_its_one_measure_as_one_row():
    # 一是X。县A局要…: the sentence after the theme is the theme's own measure
    text = "会议要求：\n一是加快重点项目建设。县发改委要对滞后项目实行一周一调度。\n二是抓好防汛备汛。县水利局要在5月底前完成隐患排查。\n"
    r = _rows(text)
    assert [(c.units, c.kind) for c in r.tasks] == [(["县发改委"], "item"), (["县水利局"], "item")]


# == forms of official-document grammar that decide where one action ends and who owns it ========
# (written for this file too; each rule has a case that must stay as it was)

def _tasks(text):
    return _rows(text).tasks


def _holding(rows, words):
    return [c for c in rows if words in c.text]


# -- a prepositional phrase between the adverbs and the verb ------------------------------------

def test_it_reads_an_action_after_a_prepositional_phrase():
    rows = _tasks("会议要求，各街道要加强夜间巡查，及时向区城管局报告发现的问题。")
    assert len(rows) == 2
    assert "报告发现的问题" in rows[1].text and "加强夜间巡查" not in rows[1].text


def test_it_reads_within_a_frame_as_the_place_of_the_verb():
    rows = _tasks("会议要求，各部门要规范审批流程，严格在法定时限内作出审批决定。")
    assert len(rows) == 2
    assert "作出审批决定" in rows[1].text


def test_it_does_not_take_a_comparison_or_a_surface_for_a_prepositional_action():
    assert _past_preposition("向县政府提出整改措施") == "提出整改措施"
    assert _past_preposition("与全市发展规划相符") is None
    assert _past_preposition("在宣传栏上张贴名单") is None


# -- a topic frame: 在X方面，… ------------------------------------------------------------------

def test_it_finds_the_subject_after_a_topic_frame():
    rows = _tasks("会议要求，在安全生产方面，各乡镇要全面开展隐患排查整治。")
    assert rows[0].units == ["各乡镇"]


def test_it_does_not_carry_an_owner_into_the_next_topic():
    rows = _tasks("会议强调，在防汛方面，县水利局要加强堤防巡查；在秋收方面，要抓好农机调度工作。")
    assert len(rows) == 2
    assert rows[0].units == ["县水利局"]
    assert rows[1].units == []


def test_it_still_carries_an_owner_into_a_clause_without_a_new_topic():
    rows = _tasks("会议强调，县水利局要加强堤防巡查；要抓好水库安全度汛工作。")
    assert [c.units for c in rows] == [["县水利局"], ["县水利局"]]


# -- 要确保 opening a requirement ----------------------------------------------------------------

def test_it_reads_ensure_opening_a_requirement_as_an_action():
    rows = _tasks("会议指出，在学校建设方面，要确保新校区按期交付使用，加强工程质量安全监管。")
    assert len(rows) == 2
    assert "确保新校区按期交付使用" in rows[0].text
    assert "加强工程质量安全监管" in rows[1].text


def test_it_keeps_ensure_after_an_action_as_its_purpose():
    rows = _tasks("会议要求，各镇要加快农村公路建设，要确保年底前全部通车。")
    assert len(rows) == 1


# -- a couplet heading an item, then owners with their modals -----------------------------------

def test_it_reads_the_owners_sentences_under_a_couplet_heading_as_tasks():
    text = ("1.明确分工，压实责任。各镇要建立问题整改台账，逐项明确整改时限。"
            "县督查室要每月通报整改进展情况。\n2.加强督导，严格考核。")
    rows = _tasks(text)
    assert _holding(rows, "建立问题整改台账")
    assert _holding(rows, "每月通报整改进展情况")
    assert not _holding(rows, "建立问题整改台账")[0].text.count("每月通报")


def test_it_keeps_a_work_plan_item_with_its_owner_as_one_task():
    rows = _tasks("1.加快推进城区雨污分流改造。县住建局牵头，县财政局配合，6月底前完成。\n2.新建城北公园。")
    first = _holding(rows, "雨污分流")
    assert len(first) == 1 and "6月底前完成" in first[0].text


# -- a reason first, then an owner with its modal ----------------------------------------------

def test_it_reads_an_owner_after_the_reason_as_the_requirement():
    rows = _tasks("本方案是全年工作的基本依据，各部门要对照任务清单制定推进计划。")
    assert len(rows) == 1
    assert rows[0].units == ["各部门"]


def test_it_reads_an_explanation_alone_as_no_task():
    assert _tasks("本方案是全年工作的基本依据。") == []


def test_it_reads_a_heading_that_asks_for_awareness_as_no_narrative():
    rows = _tasks("一、提高认识，压实责任\n各乡镇要成立工作专班，建立问题清单。\n二、加强督导\n县督查室要定期督查。")
    assert _holding(rows, "成立工作专班")


def test_it_still_reads_the_meaning_of_a_work_as_narrative():
    rows = _tasks("一、充分认识秋粮收购工作的重要意义\n秋粮收购事关农民增收，各乡镇要高度重视。\n"
                 "二、抓好收购\n各乡镇要加快收购进度。")
    assert not _holding(rows, "高度重视")
    assert _holding(rows, "加快收购进度")


# -- 、-lists of kinds and of actions ------------------------------------------------------------

def test_it_keeps_a_list_of_kinds_of_project_as_one_row():
    rows = _tasks("会议要求，要实施农村道路提升、饮水安全巩固类建设项目。")
    assert len(rows) == 1


def test_it_still_splits_a_list_of_named_projects():
    rows = _tasks("会议要求，要加快东环路、西环路等项目建设。")
    assert len(rows) == 2


def test_it_reads_areas_listed_by_their_actions_as_tasks():
    rows = _tasks("报告提出了今年的工作安排。一是聚焦产业发展，主要从壮大特色农业、做优乡村旅游、加快园区建设等3个方面进行安排。")
    assert _holding(rows, "做优乡村旅游")
    assert len({id(c) for c in rows if any(w in c.text for w in ("壮大特色农业", "做优乡村旅游", "加快园区建设"))}) == 3


# -- short actions, manner and listed subjects --------------------------------------------------

def test_it_reads_a_verb_and_the_plan_it_makes_as_an_action():
    rows = _tasks("会议要求，要结合实际细化方案，明确责任分工，分解任务清单。")
    assert len(rows) == 3


def test_it_keeps_naming_responsibility_and_measures_as_the_manner_of_the_plan():
    rows = _tasks("会议要求，各单位要制订工作方案，明确责任，明确措施。")
    assert len(rows) == 1


def test_it_skips_adverbs_of_soundness_and_effort_before_the_verb():
    rows = _tasks("会议要求，要科学组织项目施工，合理优化项目布局，千方百计拓宽群众增收渠道。")
    assert len(rows) == 3


def test_it_reads_departments_named_by_field_and_closed_by_deng_bumen_as_a_subject():
    rows = _tasks("会议强调，公安、交通、城管等部门要强化路面管控，完善联合执法机制。")
    assert len(rows) == 2


# -- units as written --------------------------------------------------------------------------

def test_it_reads_banner_and_regulator_collectives_as_units():
    rows = _tasks("会议要求，各苏木乡镇、各行业主管部门要加强安全生产监督管理。")
    assert rows[0].units == ["各苏木乡镇", "各行业主管部门"]


def test_it_reads_a_body_named_jigou_as_a_unit():
    rows = _tasks("二、县绩效考评机构要将重点任务纳入年度考核。")
    assert rows[0].units == ["县绩效考评机构"] and rows[0].lead_unit == "县绩效考评机构"


def test_it_reads_a_field_name_typed_with_a_semicolon_as_the_field():
    rows = _tasks("一、重点督办事项\n1.清理河道沿线垃圾。（责任单位；县水利局、各乡镇）\n2.整治违法建设。（责任单位：县住建局）")
    first = _holding(rows, "清理河道")[0]
    assert "责任单位" not in first.units
    assert set(first.units) == {"县水利局", "各乡镇"}


def test_it_reads_the_units_whose_responsibility_is_tightened_as_mentioned():
    rows = _tasks("会议要求，要开展联合执法检查，压实相关部门监管责任。")
    assert all("相关部门" not in c.units for c in rows)


# -- forms of the second round of 2026-12-02 -----------------------------------------------------

def test_it_reads_a_chain_closed_by_a_perseverance_adverb_and_its_verb_as_another_action():
    rows = _tasks("会议要求，要严格执行干部值班制度，抓实抓好防汛安全工作。要推进依法行政，持之以恒地抓好机关作风建设。")
    assert len(_holding(rows, "执行干部值班制度")) == 1
    assert len(_holding(rows, "抓实抓好防汛安全工作")) == 1
    assert not _holding(rows, "推进依法行政，持之以恒")


def test_it_keeps_a_manner_idiom_as_no_action_of_its_own():
    # counter-case: 持之以恒 before the verb is how the one action is done
    rows = _tasks("会议要求，各乡镇要持之以恒地抓好秸秆禁烧工作。")
    assert len(rows) == 1 and rows[0].units == ["各乡镇"]


def test_it_keeps_the_scopes_of_one_work_and_a_quoted_slogan_as_one_row():
    rows = _tasks("会议强调，要突出抓好重点场所、关键环节防控工作，慎终如始抓好“外防输入、内防反弹”工作。")
    assert len(rows) == 2
    assert _holding(rows, "重点场所、关键环节防控工作") and _holding(rows, "“外防输入、内防反弹”工作")


def test_it_still_splits_named_works_outside_quotes():
    rows = _tasks("会议要求，要加快城北污水厂、东环路改造、县人民医院新院区建设。")
    assert len(rows) == 3


def test_it_reads_a_requirement_after_a_frame_that_names_a_higher_authority():
    rows = _tasks("在通报中央环保督察整改滞后事项时，市长指出，各有关部门要全面压实整改责任，明确时间表和路线图。")
    assert len(rows) == 2 and all(c.units == ["各有关部门"] for c in rows)


def test_it_still_reads_a_higher_authority_speaking_as_no_directive():
    assert _tasks("中央环保督察组指出，各地要全面压实整改责任。") == []


def test_it_reads_a_verb_after_a_phrase_of_manner_as_an_action():
    rows = _tasks("会议指出，要将相关协议，按照时间节点上报相关部门，做好项目可研评审工作。")
    assert len(rows) == 2


def test_it_keeps_a_quoted_requirement_after_anzhao_as_the_manner_of_the_action():
    rows = _tasks("会议要求，要按照“持续、提升、高效”要求，全力做好保鲜提升工作。")
    assert len(rows) == 1


def test_it_reads_making_the_work_take_a_form_and_a_person_with_a_modal_as_actions():
    rows = _tasks("各责任单位要切实加强组织领导，主要领导要亲自研究部署。各责任单位要把今年工作任务进一步项目化、具体化，谋划具体的方案措施。")
    assert len(rows) == 4


def test_it_gives_an_owner_after_a_semicolon_its_own_row_and_lead_even_with_a_reason_first():
    rows = _tasks("会议要求，高作镇要多方筹集配套资金；姚集镇因两个村庄纳入拆迁范畴，应及时变更项目计划，报请上级部门审批。")
    row = _holding(rows, "变更项目计划")[0]
    assert row.units == ["姚集镇"] and row.lead_unit == "姚集镇"
    assert _holding(rows, "筹集配套资金")[0].units == ["高作镇"]


def test_it_reads_a_problem_paragraph_closed_by_its_duty_unit_as_one_row_of_that_unit():
    text = ("督察通报\n\n"
            "东环路北段施工工地内散在垃圾整改不彻底，围墙多处破损。（责任单位：区住建局，责任人：张三）\n\n"
            "城南农贸市场周边垃圾清运不及时，有积水容器。（责任单位：城南街道办事处，责任人：李四）\n")
    rows = [c for c in _tasks(text) if c.units]
    assert [c.lead_unit for c in rows] == ["区住建局", "城南街道办事处"]


def test_it_does_not_read_a_paragraph_without_its_duty_bracket_as_a_problem_row():
    text = "督察通报\n\n东环路北段施工工地内散在垃圾整改不彻底，围墙多处破损。\n"
    assert all(not c.units for c in _tasks(text))


def test_it_gives_each_named_work_listed_before_its_limit_and_completion_a_row_with_that_limit():
    r = parse("加快园区配套平台建设，推动东区标准化厂房、西溪小微园上半年投用；力促甲药业、乙医疗、丙健康等项目年内投产。",
              issued=dt.date(2025, 1, 1))
    rows = r.tasks
    for words, when in (("东区标准化厂房", "2025-06-30"), ("西溪小微园", "2025-06-30"), ("甲药业", "2025-12-31"),
                        ("乙医疗", "2025-12-31"), ("丙健康", "2025-12-31")):
        held = _holding(rows, words)
        assert len(held) == 1 and held[0].deadline.isoformat() == when, words
    assert len(_holding(rows, "配套平台建设")) == 1 and not _holding(rows, "配套平台建设")[0].deadline


def test_it_keeps_fields_listed_before_a_limit_as_one_row():
    # counter-case: no completion verb after the limit, so the list is not of works due
    rows = parse("推动安全生产、信访稳定工作年内取得新成效。", issued=dt.date(2025, 1, 1)).tasks
    assert len(rows) == 1


# -- third round of 2026-12-02: forms of work reports and meeting news ---------------------------


def test_it_gives_each_road_of_a_counted_list_of_one_kind_its_own_row():
    rows = _tasks("今年要建成滨河路东段、学府街、纬五路等20条道路，完成解放路、人民路等8条道路提升改造。")
    for words in ("滨河路东段", "学府街", "纬五路", "解放路", "人民路"):
        assert len(_holding(rows, words)) == 1, words
    assert _holding(rows, "学府街")[0].title == "建成学府街"


def test_it_keeps_a_counted_list_of_fields_as_one_row():
    # counter-case: 等3个领域 counts fields, not works
    rows = _tasks("要加强教育、医疗、养老等3个领域的投入。")
    assert len(rows) == 1


def test_it_reads_the_named_works_after_qizhong_as_rows_of_the_item():
    text = ("十件实事\n1.实施80条市政道路建设。其中，建成滨河路东段、学府街等30条道路，完成解放路、人民路等8条道路大修。\n"
            "2.开工建设第三水厂。\n")
    rows = _tasks(text)
    held = [_holding(rows, w) for w in ("实施80条市政道路建设", "滨河路东段", "学府街", "解放路")]
    assert all(len(h) == 1 for h in held) and len({id(h[0]) for h in held}) == 4


def test_it_still_reads_qizhong_before_a_count_as_no_directive():
    # counter-case: 其中 followed by what the total holds is an explanation
    rows = _tasks("要新建停车场10个。其中，公共停车场6个，专用停车场4个。")
    assert len(rows) == 1 and "公共停车场" not in rows[0].text


def test_it_reads_schools_and_parks_named_by_their_campus_or_garden_as_works():
    rows = _tasks("要开工建设县二中新校区、县实验小学新校区。")
    assert len(rows) == 2 and _holding(rows, "县二中新校区") != _holding(rows, "县实验小学新校区")


def test_it_splits_actions_after_dingqi_and_jiben_and_reads_xinzeng_as_a_verb():
    rows = _tasks("今年要新开工保障性住房500套，基本建成老旧小区改造20个，新增城市书房6家。")
    assert len(rows) == 3
    rows = _tasks("各乡镇要成立工作专班，定期通报整治进展情况。")
    assert len(rows) == 2 and all(c.units == ["各乡镇"] for c in rows)


def test_it_keeps_jiben_as_a_hedge_before_other_verbs():
    # counter-case: 基本 only marks a completion (基本建成/完成…); 基本保持 stays the manner of one row
    rows = _tasks("要稳住农业生产，基本保持粮食播种面积稳定。")
    assert len(rows) == 1


def test_it_reads_a_work_planned_and_carried_out_as_one_verb_over_its_list():
    rows = _tasks("要规划实施北湖公园、南山公园、滨江公园等12个园林绿化项目。")
    assert [c.title for c in rows] == ["实施北湖公园园林绿化项目", "实施南山公园园林绿化项目", "实施滨江公园园林绿化项目"]


def test_it_reads_calling_to_account_and_going_to_the_front_line_as_actions():
    rows = _tasks("要开展专项督查，对敷衍塞责的行为，依法依规进行责任追究。")
    assert len(_holding(rows, "进行责任追究")) == 1 and len(rows) == 2
    rows = _tasks("各级干部要自觉深入工作一线，靠前指挥，现场调度解决问题。")
    assert len(_holding(rows, "深入工作一线")) == 1


def test_it_keeps_jinxing_with_a_plan_and_shenru_as_manner_in_one_row():
    # counter-cases: 下发通知，进行专门安排部署 is one row; 深入推进 is manner, not going somewhere
    assert len(_tasks("示范区党工委办公室要下发通知，进行专门安排部署。")) == 1
    assert len(_tasks("要深入推进城乡环境整治。")) == 1


def test_it_reads_handing_over_funds_with_ba_as_its_own_action():
    rows = _tasks("各乡镇要规范项目档案，及时把奖补资金兑现到位。")
    assert len(_holding(rows, "兑现到位")) == 1 and len(rows) == 2


def test_it_reports_no_owner_for_a_listed_work_named_like_a_body():
    rows = _tasks("要开工建设县博物馆续建工程、县文化艺术中心、县全民健身中心。")
    assert len(rows) == 3 and all(c.units == [] for c in rows)


def test_it_keeps_the_owner_of_a_list_of_works_when_it_is_named_as_subject():
    # counter-case: the subject before the verb still owns every listed work
    rows = _tasks("县住建局要加快县文化艺术中心、县全民健身中心建设。")
    assert all(c.units == ["县住建局"] for c in rows)


def test_it_keeps_addressing_the_whole_audience_after_a_bare_modal_in_the_same_paragraph():
    rows = _tasks("各乡镇及相关单位要组织人员做好复垦地块管护工作。要进一步加快项目实施进度；进一步规范项目档案管理。")
    assert all(c.units == ["各乡镇及相关单位"] for c in rows) and len(rows) == 3


def test_it_does_not_carry_one_named_unit_or_a_later_subject_into_the_next_sentence():
    # counter-cases: 县爱卫会 named in passing, or an audience named only in a later clause
    rows = _tasks("县爱卫会要备好消杀物资，抓好夏季消杀。要进一步强化公厕后期维护。")
    assert _holding(rows, "后期维护")[0].units == []
    rows = _tasks("我们要迅速做好目标分解；相关部门单位要重新梳理发展目标。要把各项要求转化为具体工作举措。")
    assert _holding(rows, "具体工作举措")[0].units == []
    rows = _tasks("各乡镇要做好复垦地块管护工作。\n要进一步加快项目实施进度。")
    assert _holding(rows, "项目实施进度")[0].units == []


def test_it_reads_yao_before_jindeng_as_the_modal_not_the_word_yaojin():
    rows = _tasks("要紧盯重点行业领域和重点时段的安全，加强舆论宣传。")
    assert len(rows) == 1 and len(_holding(rows, "紧盯重点行业领域")) == 1


def test_it_still_reads_yaojin_as_a_word_of_importance():
    # counter-case: 不要紧 and 最要紧的 are no modals
    assert _tasks("这件事不要紧。") == [] and _tasks("最要紧的是安全。") == []


# --- titles and clauses (2026-12-03) -------------------------------------------------------------
def test_it_leaves_how_often_to_report_out_of_the_title():
    r = _rows("县住建局要每周通报进展，10个工作日内报送整改清单。")
    assert _titles(r) == ["报送整改清单"]
    (c,) = r.tasks
    assert c.cadence == "周报" and c.deadline_text == "10个工作日内" and c.lead_unit == "县住建局"
    # a row that is nothing but its reporting keeps it as its title
    assert _titles(_rows("县住建局要每月5日前向县政府报送整改进展情况。")) == ["每月5日前向县政府报送整改进展情况"]


def test_it_ends_a_long_title_at_the_last_clause_that_fits_whole():
    r = _rows("会议同意县住建局提出的改造方案，6月底前完成第一批12个小区的施工招标，年底前全部完工。")
    assert _titles(r) == ["县住建局提出的改造方案，完成第一批12个小区的施工招标"]
    # one clause longer than the limit is still cut at a word
    (long,) = _rows("县住建局要全面完成城区范围内二〇〇〇年以前建成的老旧小区的水电气暖管网和屋面外墙改造。").tasks
    assert len(long.title) <= 30 and long.title.startswith("全面完成城区范围内")


def test_it_reads_working_with_another_unit_as_a_role_not_the_title():
    (c,) = _rows("会议要求县公安局交警大队会同县城管局，在二季度内完成城区停车位普查。").tasks
    assert c.title == "完成城区停车位普查"
    assert c.lead_unit == "县公安局交警大队" and c.co_units == ["县城管局"]
    assert c.deadline == dt.date(2024, 6, 30)


def test_it_takes_putting_forward_a_plan_as_an_action_of_its_own():
    r = _rows("县交警大队要在二季度内完成城区停车位普查，提出增设公共停车场的方案。")
    assert _titles(r) == ["完成城区停车位普查", "提出增设公共停车场的方案"]
    assert _titles(_rows("县财政局要落实配套资金，提出资金使用计划。")) == ["落实配套资金", "提出资金使用计划"]
    # what was put forward, what someone said, and advice about nothing named are no action of their own
    assert len(_rows("会议同意县住建局提出的改造方案，6月底前完成施工招标。").tasks) == 1
    assert _titles(_rows("会议提出，要加快项目建设。")) == ["加快项目建设"]
    assert len(_rows("管委会办公室要协调监督，提出建议和意见。").tasks) == 1


def test_it_reads_a_period_of_the_year_between_the_owner_and_the_verb():
    for text, limit, due in [
        ("会议要求县住建局在二季度内完成城区停车位普查。", "二季度内", dt.date(2024, 6, 30)),
        ("县住建局上半年完成城区停车位普查。", "上半年", dt.date(2024, 6, 30)),
        ("会议要求各乡镇在汛前完成隐患排查。", "汛前", None),
    ]:
        (c,) = _rows(text).tasks
        assert c.title.startswith("完成") and c.deadline_text == limit and c.deadline == due, text
    # a unit the directory does not know, right after 要求, is the owner
    (c,) = _rows("会议要求县交警大队在二季度内完成城区停车位普查。").tasks
    assert c.lead_unit == "县交警大队"
    # …所在 is a place, not a unit followed by 在
    assert not _rows("县城所在地要完成管网改造。").tasks[0].units


def test_it_makes_a_theme_with_owned_requirements_between_semicolons_a_heading_with_rows():
    r = _rows(
        "二要狠抓项目建设不松劲。县重点项目服务中心要建立项目推进台账，实行周调度、月通报；"
        "县自然资源局、县住建局要开辟审批绿色通道；县财政局要积极争取专项债券资金，力争年内到位资金5亿元以上。"
    )
    head, *rows = r.tasks
    assert head.kind == "heading" and head.title == "狠抓项目建设不松劲"
    assert [c.units for c in rows] == [["县重点项目服务中心"], ["县自然资源局", "县住建局"], ["县财政局"]]
    assert all(c.parent == 0 for c in rows)
    # one owned requirement after the theme stays the theme's own measure: one row, as 周例会 news has it
    (one,) = _rows("一是抓好秋粮收购。县粮食局要及时兑付补贴。").tasks
    assert one.title == "抓好秋粮收购" and one.units == ["县粮食局"]
    two = _rows("一是抓好秋粮收购。县粮食局要及时兑付补贴；县财政局要保障收购资金。").tasks
    assert [c.units for c in two] == [[], ["县粮食局"], ["县财政局"]]


def test_it_keeps_a_limit_with_the_owner_whose_clause_names_it():
    r = _rows("县应急局要在清明节前开展森林防火检查，县交通运输局要加强隐患排查。")
    assert [(c.units, c.deadline_text) for c in r.tasks] == [(["县应急局"], "清明节前"), (["县交通运输局"], None)]
    # the same owner going on, or a limit said before every owner, still covers the clauses after it
    same = _rows("县应急局要在清明节前开展森林防火检查，加强隐患排查。").tasks
    assert [c.deadline_text for c in same] == ["清明节前", "清明节前"]
    before = _rows("清明节前，县应急局要开展森林防火检查，县交通运输局要加强隐患排查。").tasks
    assert [c.deadline_text for c in before] == ["清明节前", "清明节前"]
    # inside an inline 三是 item the item's sentence is no heading whose limit its rows inherit
    inline = _rows("会议要求，一是要抓好春耕备耕；二是要强化安全生产，县应急局要在清明节前开展一次森林防火专项检查，"
                   "县交通运输局要加强道路交通安全隐患排查.").tasks
    assert [(c.title, c.deadline_text) for c in inline[-2:]] == [
        ("开展一次森林防火专项检查", "清明节前"), ("加强道路交通安全隐患排查", None)
    ]


def test_it_reads_a_town_after_an_items_number_or_a_sentence_end_as_the_owner():
    r = _rows("会议议定：1.县城管局负责渣土运输管理；2.城关镇负责做好沿街住户的宣传解释工作。")
    assert [c.units for c in r.tasks] == [["县城管局"], ["城关镇"]]
    (c,) = _rows("会议听取了汇报。城关镇要做好宣传解释工作。").tasks
    assert c.units == ["城关镇"]
    # a town in the middle of an object is no owner
    (c,) = _rows("县住建局要加快城关镇污水管网改造。").tasks
    assert c.units == ["县住建局"]


def test_it_takes_a_limit_clause_after_what_the_work_goes_by_as_the_action():
    r = _rows("请各乡镇按照任务分工，于4月15日前完成造林任务，县林业局做好技术指导和检查验收。")
    assert [(c.title, c.units, c.deadline_text) for c in r.tasks] == [
        ("完成造林任务", ["各乡镇"], "4月15日前"), ("做好技术指导和检查验收", ["县林业局"], None)
    ]
    # after an action, a clause opening with a limit is still that action's schedule
    (c,) = _rows("县住建局要制定改造方案，4月底前报县政府审定。").tasks
    assert c.title.startswith("制定改造方案")
    # in a decision, what the work goes by is no part of the title
    d = _rows("会议同意县林业局关于春季植树造林的安排意见，请各乡镇按照任务分工，于4月15日前完成造林任务。").tasks
    assert "按照" not in d[0].title and d[0].title.endswith("完成造林任务")


def test_it_gives_a_black_lists_places_the_limit_of_the_request_that_closes_it():
    text = (
        "二、黑榜\n1.张湾村：村道两侧垃圾堆放，沟渠杂物未清理。\n2.新街社区：背街小巷卫生死角较多。\n"
        "三、工作要求\n请上榜黑榜的村（社区）于10月10日前完成整改，并将整改情况报镇人居办。"
    )
    r = _rows(text)
    listed = [c for c in r.tasks if c.units]
    assert [(c.lead_unit, c.deadline) for c in listed] == [("张湾村", dt.date(2024, 10, 10)), ("新街社区", dt.date(2024, 10, 10))]
    assert any(c.title.startswith("完成整改") for c in r.tasks)
    # a request with no limit before its verb is not read through the same door
    assert not [c for c in _rows("请上榜黑榜的村（社区）认真反思。").tasks if c.deadline]


def test_it_reads_the_bodies_of_a_sector_as_one_collective_owner():
    r = _rows("会议要求县卫健委加强监测预警，各医疗机构做好药品储备，县教育局督促各学校落实晨午检制度。")
    assert [(c.title, c.units, c.lead_unit) for c in r.tasks] == [
        ("加强监测预警", ["县卫健委"], "县卫健委"),
        ("做好药品储备", ["各医疗机构"], None),
        ("督促各学校落实晨午检制度", ["县教育局"], "县教育局"),
    ]
    assert r.tasks[2].mentioned_units == ["各学校"]


def test_it_gives_a_black_lists_item_to_the_village_named_before_the_spot():
    r = _rows("二、黑榜名单\n1.珠山村大水井:垃圾箱满溢,清理不及时。\n2.邑等村:公路旁垃圾随意丢弃,清理不及时。\n")
    assert [(c.units, c.lead_unit) for c in r.tasks] == [(["珠山村"], "珠山村"), (["邑等村"], "邑等村")]
    # a village named inside a problem, not before the item's colon, owns nothing
    assert not _rows("二、黑榜名单\n1.村道两侧垃圾堆放，张湾村未及时清理。\n").tasks[0].lead_unit
    # 农村… at an item's start is no village
    assert not _rows("1.农村垃圾治理:清运不及时。\n").tasks[0].units


def test_it_gives_an_item_handed_to_one_owner_that_owner_throughout():
    r = _rows(
        "（一）由县林业局负责，于7月17日前完成河道治理项目中已批复林地的征迁工作。同时，做好美丽城镇项目中未批复林地的手续报批工作。\n"
        "（二）由拦隆口人民政府负责，加强征迁工作组力量。\n"
    )
    assert [(c.lead_unit, c.units) for c in r.tasks] == [("县林业局", ["县林业局"])] * 2 + [("拦隆口人民政府", ["拦隆口人民政府"])]
    # an item that opens with its work, not with 由X负责, hands nothing on
    r = _rows("（一）完成河道治理项目征迁工作，由县林业局负责。同时，做好手续报批工作。\n（二）加强征迁工作组力量。\n")
    assert [c.units for c in r.tasks if "报批" in c.text] == [[]]


# --- 2026-12-03: owners carried through a decided item, the other party, limits over an item ------
_DECIDED = (
    "会议明确，（1）东河堤段清淤问题。鉴于汛期临近，会议决定由县水利局负责河道清淤工作，"
    "由县城区排水管理处与施工单位签订工程委托合同，县水务公司负责现场管理具体事宜。以上工作确保在两个月内完成。"
    "（2）城东片区补偿问题。城东片区（即原县农机站片区）涉及农户搬迁，由县征收办按既定方案给予货币补偿，"
    "县财政局与县水务公司签订合同，将补偿款转入县水务公司指定账户。"
)


def test_it_reads_numbered_items_after_the_decisions_lead_in_as_the_outline():
    r = parse(_DECIDED, issued=D)
    assert [o.label for o in r.outline] == ["（1）", "（2）"]
    assert r.outline[1].text.startswith("（2）城东片区补偿问题")


def test_it_still_reads_a_numbered_mark_after_an_ordinary_comma_as_text():
    r = parse("本次检查发现，(1)号楼外墙脱落，县住建局要督促业主立即修复。", issued=D)
    assert r.outline == []


def test_it_gives_each_owner_of_a_decided_item_its_row_and_the_items_closing_limit():
    rows = _tasks(_DECIDED)
    by = {k: _holding(rows, k) for k in ("负责河道清淤", "签订工程委托合同", "负责现场管理", "给予货币补偿",
                                          "县水务公司签订合同", "将补偿款转入")}
    assert all(len(v) == 1 for v in by.values()), {k: len(v) for k, v in by.items()}
    assert by["签订工程委托合同"][0].lead_unit == "县城区排水管理处"
    assert by["负责现场管理"][0].units == ["县水务公司"]
    # the limit after item (1) covers its three rows, counted from the day of issue; not item (2)'s
    assert {by[k][0].deadline for k in ("负责河道清淤", "签订工程委托合同", "负责现场管理")} == {dt.date(2024, 5, 4)}
    assert by["给予货币补偿"][0].deadline is None
    assert not _holding(rows, "以上工作确保")
    # the other party of the contract, where the money goes and a place's former name own nothing
    assert by["县水务公司签订合同"][0].units == ["县财政局"] and by["县水务公司签订合同"][0].lead_unit == "县财政局"
    assert by["将补偿款转入"][0].units == ["县财政局"]
    assert by["给予货币补偿"][0].units == ["县征收办"]


def test_it_keeps_a_unit_worked_with_and_a_limit_sentence_with_its_own_owner():
    rows = _tasks("会议要求，县财政局要会同县水务公司加强资金监管。以上工作由县审计局负责，确保在两个月内完成。")
    assert _holding(rows, "资金监管")[0].units == ["县财政局", "县水务公司"]
    assert _holding(rows, "资金监管")[0].deadline is None
    assert _holding(rows, "以上工作由县审计局负责")[0].units == ["县审计局"]


def test_it_joins_a_line_broken_inside_a_sentence_but_not_before_a_speaker():
    broken = ("会议听取了县住建局关于城北片区老旧小区改造工作进展情况的汇报。鉴于部分楼栋外墙、屋面和楼道普遍存在严重的安全隐患，"
              "改造工作迫在眉睫，会议决定由县住建局负责老旧小区\n\n改造工作，由县财政局与施工单位签订资金拨付协议，县城投公司负责现场管理。")
    rows = _tasks(broken)
    assert _holding(rows, "负责老旧小区\n\n改造工作")[0].title.endswith("老旧小区改造工作")
    speaker = ("会议听取了县住建局关于城北片区老旧小区改造工作进展情况的汇报。鉴于部分楼栋外墙、屋面和楼道普遍存在严重的安全隐患，"
               "改造工作迫在眉睫，各部门要抓好作风建设\n"
               "他强调，今年仍然是改造任务较为繁重的一年，各部门要加快进度。")
    assert len(_tasks(speaker)) >= 2 and not any("\n" in c.text for c in _tasks(speaker))


# --- 2026-12-03: named and counted works of one report item ---------------------------------------
def test_it_gives_each_school_listed_before_its_opening_a_row():
    rows = _tasks("今年将办好以下民生实事：（1）确保城南小学、实验中学新校区、第三幼儿园秋季投入使用。")
    assert [c.title for c in rows] == ["确保城南小学投入使用", "确保实验中学新校区投入使用", "确保第三幼儿园投入使用"]
    assert all(c.deadline is None for c in rows)


def test_it_keeps_results_sought_without_a_time_as_one_row():
    rows = _tasks("今年将办好以下民生实事：（1）推动更多项目形成实物量、更多成果转化落地。")
    assert len(rows) == 1


def test_it_gives_each_kind_of_counted_work_a_row_and_no_owner():
    rows = _tasks("今年将办好以下民生实事：（2）新建公共厕所60座、乡镇文体中心3处，村级健身广场20个。")
    assert [c.title for c in rows] == ["新建公共厕所60座", "新建乡镇文体中心3处", "新建村级健身广场20个"]
    assert all(c.units == [] for c in rows)


def test_it_keeps_a_total_and_its_breakdown_as_one_row():
    rows = _tasks("今年将办好以下民生实事：（4）新增学位3000个，其中小学1800个，初中1200个。")
    assert len(rows) == 1


def test_it_reads_a_service_for_people_counted_as_an_action():
    rows = _tasks("会议要求，县卫健局要为800户困难家庭实施上门服务，为全县65岁以上老年人免费体检。")
    assert len(rows) == 2 and rows[1].title == "为全县65岁以上老年人免费体检"
    assert all(c.lead_unit == "县卫健局" for c in rows)


def test_it_still_reads_wei_le_as_the_purpose_of_the_action():
    rows = _tasks("会议要求，为方便群众办事，县政务服务中心要延长窗口服务时间。")
    assert len(rows) == 1


# --- 2026-12-03: a patrol report's requests by 包片单位 --------------------------------------------
_PATROL = (
    "1、城南农贸市场周边有垃圾堆积。\n整改要求：由包片单位县林业局负责清除。\n2、东环路沿线商户占道经营。\n"
    "整改要求：由东环路沿线包片单位县文旅局、县医保局、县供销社负责对沿线商户开展劝导，"
    "在本月底以前将拒不整改的商户报县城管局依法处理。县创建办对上述工作进行抽查。\n"
    "请各相关单位对本次巡查的问题认真整改，整改情况及时报县创建办。"
)


def test_it_reads_the_unit_after_the_role_written_onto_its_name():
    row = _holding(_tasks(_PATROL), "负责清除")[0]
    assert row.units == ["县林业局"] and row.lead_unit == "县林业局"


def test_it_gives_every_listed_unit_both_actions_and_no_lead():
    rows = _tasks(_PATROL)
    for key in ("开展劝导", "将拒不整改的商户报县城管局"):
        (row,) = _holding(rows, key)
        assert row.units == ["县文旅局", "县医保局", "县供销社"] and row.lead_unit is None
    assert _holding(rows, "将拒不整改的商户")[0].deadline == dt.date(2024, 3, 31)


def test_it_leads_a_spot_check_with_the_unit_that_makes_it_and_splits_the_closing_request():
    rows = _tasks(_PATROL)
    assert _holding(rows, "进行抽查")[0].lead_unit == "县创建办"
    assert _holding(rows, "认真整改")[0].units == ["各相关单位"]
    assert _holding(rows, "整改情况及时报县创建办")[0].units == ["各相关单位"]


def test_it_keeps_reporting_how_the_work_went_by_a_limit_with_the_work():
    rows = _tasks("会议要求，各乡镇要开展占道经营劝导，在本月底以前将劝导情况报县城管局。")
    assert len(rows) == 1


def test_it_still_reads_a_community_as_one_unit():
    row = _tasks("会议要求，县城关社区要做好垃圾分类宣传。")[0]
    assert row.units == ["县城关社区"]


# --- 2026-12-03: revising asked for as a task, answering questions -------------------------------
def test_it_splits_revising_asked_for_as_a_task_from_carrying_the_plan_out():
    rows = _tasks("会议原则同意县民政局提交的养老服务工作方案，要求根据会议意见作进一步修改完善后，以县政府办名义印发实施。")
    assert len(rows) == 2
    assert "作进一步修改完善" in rows[0].text and rows[1].text.startswith("以县政府办名义印发实施")


def test_it_keeps_revising_then_approving_as_one_step():
    rows = _tasks("会议原则同意县民政局拟定的养老服务工作方案，修改完善后，批复实施。")
    assert len(rows) == 1


def test_it_reads_answering_questions_as_an_action_of_its_own():
    rows = _tasks("会议要求，要加强全程监督，及时答疑解惑，有效化解矛盾纠纷。")
    assert [c.title for c in rows] == ["加强全程监督", "及时答疑解惑", "有效化解矛盾纠纷"]


# --- 2026-12-03: the audience of every body and unit, 盯紧盯牢 --------------------------------------
def test_it_reads_every_department_and_unit_as_one_audience_and_keeping_watch_as_an_action():
    rows = _tasks("会议要求，各级各部门、单位要盯紧盯牢建筑工地和物流园区，实施好道路扬尘治理等有效举措。")
    assert len(rows) == 2 and all(c.units == ["各级各部门、单位"] and c.lead_unit is None for c in rows)


def test_it_still_reads_every_department_alone():
    rows = _tasks("会议要求，各级各部门要加强道路扬尘治理。")
    assert rows[0].units == ["各级各部门"]


# --- 2026-12-03: a work list pasted as `label: | value |` records ---------------------------------
_RECORD = "重点工作: | 12.推进老旧小区改造，完善配套设施。 |\n牵头单位: | 市住房城乡建设局 |\n"


def test_it_reads_a_records_unit_without_its_bars_and_the_last_milestone_as_its_limit():
    text = _RECORD + "年度阶段性工作目标: | 第一季度:制定改造计划。第二季度:完成改造任务的40%以上。第四季度:全面完成年度改造任务。 |\n进展情况: |\n已完成。 |"
    rows = _tasks(text)
    assert len(rows) == 1
    assert rows[0].units == ["市住房城乡建设局"] and rows[0].lead_unit == "市住房城乡建设局"
    assert rows[0].deadline == dt.date(2024, 12, 31) and rows[0].deadline_text == "第四季度"


def test_it_gives_a_record_without_milestones_no_limit():
    rows = _tasks(_RECORD + "进展情况: |\n已完成。 |")
    assert len(rows) == 1 and rows[0].deadline is None and rows[0].lead_unit == "市住房城乡建设局"


# --- 2026-12-03: a table whose bars were lost, records by bare number -----------------------------
_SPACED = (
    "附件 河道巡查问题汇总表 序号 巡查点位 存在问题 整改责任单位\n\n1 城西 街道 辖区 滨河路12号餐馆 油烟直排河道.\n\n"
    "区生态环境分局\n\n2 东塘河与西环路交叉口---东塘河清淤工程工地\n\n1、围挡破损;\n\n2、渣土未覆盖. 请区治水办协调解决\n\n"
    "3 南门菜市场 河边垃圾堆放. 区市场监管局 南门街道\n"
)


def test_it_reads_each_numbered_record_as_one_row_of_the_units_in_its_last_cell():
    rows = _tasks(_SPACED)
    assert len(rows) == 3
    assert rows[0].units == ["区生态环境分局"] and rows[0].lead_unit == "区生态环境分局"
    assert "渣土未覆盖" in rows[1].text and rows[1].lead_unit == "区治水办"
    assert rows[2].units == ["区市场监管局", "南门街道"] and rows[2].lead_unit is None
    assert rows[2].title.startswith("南门菜市场")


def test_it_still_reads_numbered_lines_without_the_header_as_requirements():
    rows = _tasks("会议要求：\n1 城西街道要加强河道保洁，清理河边垃圾。\n2 东塘街道要做好油烟直排整治。\n")
    assert len(rows) == 3 and rows[2].lead_unit == "东塘街道"


# --- 2026-12-03: a year plan's item whose sentence names the year's target -----------------------
_PLAN_ITEM = (
    "二、今年重点工作\n（一）加快文旅融合，打造特色品牌。立足本地资源，积极招商引资，力争{}招商任务；"
    "持续开展返乡创业系列活动；盘活古镇旅游资源，宣传打造特色旅游品牌。\n（二）提升民生服务。做好社会救助，织密兜底保障网。"
)


def test_it_reads_the_actions_of_an_item_that_names_the_years_target_as_rows():
    rows = _tasks(_PLAN_ITEM.format("完成全年"))
    for key in ("积极招商引资", "持续开展返乡创业系列活动", "宣传打造特色旅游品牌"):
        assert len(_holding(rows, key)) == 1 and len(_holding(rows, key)[0].text) < 40


def test_it_keeps_an_item_with_a_time_limit_as_one_dated_row():
    rows = _tasks(_PLAN_ITEM.format("6月底前完成"))
    (row,) = _holding(rows, "积极招商引资")
    assert "宣传打造特色旅游品牌" in row.text and row.deadline == dt.date(2024, 6, 30)


# --- 2026-12-03: owners who share the work by their duties, named before the work ----------------
def test_it_reads_owners_sharing_the_work_by_their_duties_as_the_rows_owners_not_a_row():
    rows = _tasks("会议要求，县水利局、县农业农村局要按职责分工负责，抓好秋冬水利设施修缮和农田水利建设。")
    assert [r.title for r in rows] == ["抓好秋冬水利设施修缮和农田水利建设"]
    assert rows[0].units == ["县水利局", "县农业农村局"] and rows[0].lead_unit is None
    rows = _tasks("县林业局要按职责分工负责，做好森林防火巡查。")
    assert [r.title for r in rows] == ["做好森林防火巡查"] and rows[0].lead_unit == "县林业局"


def test_it_still_reads_an_owner_made_responsible_for_named_work_as_the_work():
    rows = _tasks("会议要求，县水利局要负责抓好秋冬水利设施修缮，县农业农村局要做好农田水利建设。")
    assert len(rows) == 2 and rows[0].lead_unit == "县水利局" and "秋冬水利设施修缮" in rows[0].title
    assert rows[1].lead_unit == "县农业农村局"


# --- 2026-12-03: the towns and their villages as one audience ---------------------------------------
def test_it_reads_the_towns_and_their_villages_as_one_collective():
    for text in ("各镇（街）、村要对照问题，加强整改。", "各镇(街)、村要对照问题，加强整改。"):
        (row,) = _tasks(text)
        assert row.units == ["各镇（街）、村"] and row.lead_unit is None and row.title == "加强整改"
    (row,) = _tasks("各镇（街）、村（社区）要抓好垃圾清运。")
    assert row.units == ["各镇（街）、村（社区）"] and row.title == "抓好垃圾清运"


def test_it_still_reads_the_towns_alone_and_a_village_body_after_them():
    (row,) = _tasks("各镇（街）要抓好垃圾清运。")
    assert row.units == ["各镇（街）"]
    rows = _tasks("各镇（街）、村建站要抓好垃圾清运。")
    assert all("村建站" not in u for r in rows for u in r.units if u.startswith("各镇"))


# --- 2026-12-03: a body asked to revise a draft and put it to whoever approves it -----------------
def test_it_reads_a_request_to_revise_and_submit_as_the_bodys_row():
    (row,) = _tasks("会议听取了县财政局关于预算执行情况的汇报。会议要求，请县财政局根据会议意见修改完善后，提请县人大常委会审议。")
    assert row.lead_unit == "县财政局" and row.title == "修改完善后提请县人大常委会审议"
    (row,) = _tasks("请县司法局按照会议意见修订完善后报县政府审定。")
    assert row.lead_unit == "县司法局" and "报县政府审定" in row.title


def test_it_still_reads_a_report_heard_as_no_row():
    assert _tasks("会议听取了县财政局关于预算执行情况的汇报，县财政局已按程序报县人大常委会审议。") == []


# --- 2026-12-03: a 黑榜 table that came through one cell a line ---------------------------------------
_BLACK_CELLS = (
    "第三季度人居环境整治“红黑榜”\n红榜\n村组\n所属镇街\n桃源村上湾\n青石镇\n青石镇桃源村上湾\n黑榜\n村组\n所属镇街\n"
    "柳塘村后山组\n青石镇\n白沙村河口组\n石门街道\n青石镇柳塘村后山组生活垃圾未及时清运\n石门街道白沙村河口组沟渠淤塞杂草丛生\n"
    "{tail}"
)


def test_it_gives_each_problem_of_a_black_list_set_one_cell_a_line_a_row_of_its_town_and_village():
    rows = _tasks(_BLACK_CELLS.format(tail="各镇（街）、村要对照问题，加强整改。\n"))
    listed = [r for r in rows if "组" in r.title and r.units and r.units[0] in ("青石镇", "石门街道")]
    assert [(r.units, r.lead_unit) for r in listed] == [(["青石镇", "柳塘村"], None), (["石门街道", "白沙村"], None)]
    assert listed[0].title == "柳塘村后山组生活垃圾未及时清运"
    assert not any("村组" in u or "桃源村" in u for r in rows for u in r.units)  # header cells and the red list own nothing


def test_it_still_reads_a_black_list_of_units_one_a_line_as_before():
    rows = _tasks("黑榜单位：\n县水务局\n县城管局\n\n以上单位要在10日内完成整改。")
    assert {r.lead_unit for r in rows if r.lead_unit} >= {"县水务局", "县城管局"}


# --- 2026-12-03: a development zone is a place, not the verb 开发 --------------------------------------
def test_it_reads_a_development_zones_name_as_no_action():
    assert [r.title for r in _tasks("开发区·铁山区\n各镇（街）、村要对照问题，加强整改。\n")] == ["加强整改"]


def test_it_still_reads_developing_as_an_action():
    assert [r.title for r in _tasks("开发乡村公益性岗位500个。")] == ["开发乡村公益性岗位500个"]
    assert [r.title for r in _tasks("开发区域特色旅游线路。")] == ["开发区域特色旅游线路"]


# --- 2026-12-03: an enumerated requirement whose verb follows its circumstance ------------------------
def test_it_reads_a_requirement_after_the_circumstance_it_applies_in():
    rows = _tasks("请各单位做到以下几点：一是按时签收转办事项；二是在办理投诉过程中注意保密投诉人信息；三是认真核实投诉内容。")
    assert any(r.title.startswith("在办理投诉过程中注意保密投诉人信息") for r in rows)
    assert {"按时签收转办事项", "认真核实投诉内容"} <= {r.title for r in rows}


def test_it_still_reads_a_circumstance_told_as_no_row():
    assert _tasks("在办理投诉过程中，工作人员耐心细致，群众满意度较高。") == []


# --- 2026-12-03: the lead-in that only announces an enumeration ---------------------------------------
def test_it_gives_the_lead_in_of_an_enumeration_no_row_and_its_owners_to_the_items():
    rows = _tasks("下一步，请各单位切实做到以下几点：一是按时签收转办事项；二是认真核实投诉内容。")
    assert [r.title for r in rows] == ["按时签收转办事项", "认真核实投诉内容"]
    assert all(r.units == ["各单位"] for r in rows)


def test_it_still_reads_a_lead_in_that_asks_for_work_of_its_own():
    rows = _tasks("请各单位于5月底前报送整改清单，并做好以下工作：一是按时签收转办事项；二是认真核实投诉内容。")
    assert any("报送整改清单" in r.title for r in rows)


# --- 2026-12-03 (A): a town's 通报 naming villages in running text -------------------------------------
def test_it_reads_each_place_named_with_what_was_found_there_as_its_row():
    rows = _tasks("从检查情况看，东山村有三处未整改，一处整改不彻底；西坪社区发现垃圾乱堆乱放、沟渠未清理等现象。")
    assert [(r.lead_unit, r.units) for r in rows] == [("东山村", ["东山村"]), ("西坪社区", ["西坪社区"])]
    assert rows[0].title.startswith("东山村有三处未整改")


def test_it_still_reads_every_village_found_with_a_problem_as_no_row_of_a_place():
    assert _tasks("究其原因，各村普遍存在杂物乱堆乱放的现象。") == []
    rows = _tasks("东山镇和西坪村发现垃圾乱堆乱放等现象。")
    assert not any(u == "东山镇和西坪村" for r in rows for u in r.units)


def test_it_reads_a_hope_addressed_to_named_units_as_their_request():
    rows = _tasks("希望各社区对本次通报的问题立即整改，并加强日常巡查。")
    assert [r.title for r in rows] == ["对本次通报的问题立即整改", "并加强日常巡查"]
    assert all(r.units == ["各社区"] for r in rows)


def test_it_still_reads_a_hope_of_no_unit_as_no_row():
    assert _tasks("群众希望早日修通这条路。") == []
    assert _tasks("乡村振兴充满希望，发展前景广阔。") == []


def test_it_reads_what_the_writing_office_will_do_after_its_object_as_its_row():
    rows = _tasks("各村要加大整治力度，县督查室将不定期对整改情况进行抽查。")
    assert [(r.title, r.lead_unit) for r in rows][-1] == ("不定期对整改情况进行抽查", "县督查室")


def test_it_still_reads_what_was_done_to_an_object_as_no_row():
    assert _tasks("县督查室将对全县整治情况进行了全面督查。") == []


def test_it_reads_winning_people_over_as_an_action():
    rows = _tasks("各乡镇要加快推进拆迁进度，积极做通搬迁户思想工作。")
    assert [r.title for r in rows] == ["加快推进拆迁进度", "积极做通搬迁户思想工作"]


# --- 2026-12-03 (A): a title studied, works stressed at the close, praise -----------------------------
def test_it_reads_the_meetings_requirement_after_a_title_it_studied():
    rows = _tasks("会议传达学习了《国务院办公厅关于加强城市排水防涝工作的通知》精神，强调要加快排查城区易涝点位。")
    assert len(rows) == 1 and rows[0].title.endswith("加快排查城区易涝点位")


def test_it_still_reads_a_requirement_after_an_authoritys_meeting_studied_as_no_row():
    assert _tasks("会议传达学习了国务院常务会议精神，强调要加快排查城区易涝点位。") == []


def test_it_reads_each_work_stressed_at_the_close_as_a_row():
    rows = _tasks("会上，副县长还就抓好秋粮收购、冬季供暖保障及年度考核迎检等相关工作进行强调。")
    assert [r.title for r in rows] == ["抓好秋粮收购", "抓好冬季供暖保障", "抓好年度考核迎检"]


def test_it_still_reads_works_summed_up_before_the_requirements_as_no_rows():
    assert _tasks("会议就秋粮收购、冬季供暖保障等工作进行了安排部署。") == []


def test_it_gives_praised_units_and_the_heading_of_a_list_no_row():
    rows = _tasks("五、本月环境卫生做得较好的单位：县林业局、县水务局；表现较差的单位：县人社局、县医保局。\n")
    assert [r.lead_unit for r in rows] == ["县人社局", "县医保局"]


# --- 2026-12-03 (A): fields before the verb, short works with listed objects, items without a stop ------
def test_it_reads_the_work_after_the_fields_it_covers_as_an_action():
    rows = _tasks("各乡镇要主动加强与对口单位的联系，在医疗、养老、托育等方面深化合作，探索长效机制。")
    assert len(rows) == 3 and "深化合作" in rows[1].title


def test_it_still_reads_a_field_frame_without_a_verb_as_no_action_of_its_own():
    rows = _tasks("各乡镇要主动加强与对口单位的联系，在医疗、养老等方面下功夫。")
    assert len(rows) == 1


def test_it_titles_a_short_work_with_its_listed_objects():
    rows = _tasks("各部门要排定时间表、路线图，确保任务完成。")
    assert [r.title for r in rows] == ["排定时间表、路线图，确保任务完成"]


def test_it_still_skips_a_list_of_names_before_the_work_in_a_title():
    rows = _tasks("财政局、住建局，要加快拨付补助资金。")
    assert rows and rows[0].title.startswith("加快拨付补助资金")


def test_it_reads_enriching_and_widening_as_actions_of_their_own():
    rows = _tasks("县文旅局、县商务局要充分挖掘消费潜力，进一步创新方式，丰富消费场景，拓宽销售渠道。")
    assert [r.title for r in rows][1:] == ["丰富消费场景", "拓宽销售渠道"] and len(rows) == 3


def test_it_still_reads_a_rich_thing_as_no_action():
    rows = _tasks("县文旅局要充分挖掘消费潜力，丰富的文旅资源是发展基础。")
    assert len(rows) == 1


def test_it_reads_the_body_a_request_goes_to_before_the_basis_of_its_work():
    rows = _tasks("二、请城建集团结合会议讨论的意见，尽快报送征迁方案。")
    assert [(r.units, r.lead_unit) for r in rows] == [(["城建集团"], "城建集团")]


def test_it_still_reads_no_unit_where_a_request_goes_to_no_body():
    rows = _tasks("二、请结合会议讨论的意见，尽快报送征迁方案。")
    assert rows and all(r.units == [] for r in rows)


def test_it_reads_items_typed_without_their_stop_as_requirements():
    text = "会议议定如下：\n一、县发改局要抓紧组织实施\n二、请县交通局尽快报送项目清单"
    rows = parse(text, issued=D, model=None).tasks  # the rules alone (the model reads such lines too)
    assert [(r.title, r.lead_unit) for r in rows] == [("抓紧组织实施", "县发改局"), ("尽快报送项目清单", "县交通局")]


def test_it_still_reads_a_part_heading_with_sentences_under_it_as_a_heading():
    rows = _tasks("一、切实加强组织领导\n各乡镇要成立工作专班，明确专人负责。")
    assert not any(r.title.startswith("切实加强组织领导") for r in rows)


# --- 2026-12-03 (A): a title set over two lines ----------------------------------------------------
def test_it_reads_the_first_line_of_a_title_set_over_two_lines_as_no_row():
    rows = _tasks("推进全县老旧小区改造\n工作专题会议纪要\n会议要求，县住建局要加快施工进度。")
    assert [r.title for r in rows] == ["加快施工进度"]


def test_it_still_reads_an_unpunctuated_requirement_before_a_sentence_as_a_row():
    rows = _tasks("推进全县老旧小区改造\n各乡镇要加快施工进度。")
    assert any(r.title.startswith("推进全县老旧小区改造") for r in rows)


# --- 2026-12-03 (A): the agenda of a standing meeting -----------------------------------------------
def test_it_reads_a_meeting_studied_on_the_agenda_as_no_row_whatever_its_name_says():
    assert _tasks("市长主持召开市政府常务会议，听取财政工作汇报；传达学习全省坚决打赢污染防治攻坚战推进会精神，听取相关情况汇报。") == []


def test_it_still_reads_a_request_to_study_and_carry_out_as_a_row():
    rows = _tasks("各乡镇要认真传达学习全省会议精神，坚决抓好贯彻落实。")
    assert rows and all(r.units == ["各乡镇"] for r in rows)

# --- 2026-12-03 (B): five fresh dev documents --------------------------------------------------------
def test_it_reads_a_page_that_starts_at_a_later_bracketed_item_as_its_outline():
    # a page of a long report: the end of the item before (its lead sentence), then （六）
    text = ("抓好民生实事。年内新建农村公路300公里。\n"
            "（六）着力改善人居环境。坚持城乡统筹。\n"
            "推进垃圾分类。年底前建成3座转运站。")
    r = parse(text, issued=D)
    assert [o.label for o in r.outline if o.label] == ["（六）"]
    six = next(i for i, o in enumerate(r.outline) if o.label == "（六）")
    under = [c for c in r.tasks if c.start > r.outline[six].start]
    # the rows after it lie under it: in （六） itself or in a lead sentence one level below it
    assert under and all(c.section is not None and c.section >= six for c in under)
    assert all(o.level == 2 for o in r.outline[six + 1:])


def test_it_still_reads_no_outline_from_a_bracketed_arabic_number_alone():
    text = "（3）年内新建农村公路300公里。\n（4）年底前建成3座转运站。"
    assert [o.label for o in parse(text, issued=D).outline if o.label] == []


def test_it_reads_strict_and_overall_manner_and_gaohao_before_a_verb():
    # 从严 / 综合 say how the work is done; 搞好 is 做好 in an older register
    rows = _tasks("各乡镇要从严落实秸秆禁烧措施，综合整治村庄周边环境。")
    assert [r.title for r in rows] == ["从严落实秸秆禁烧措施", "综合整治村庄周边环境"]
    assert all(r.units == ["各乡镇"] for r in rows)
    rows = _tasks("搞好春耕物资调运，综合治理农田灌溉渠系。")
    assert [r.title for r in rows] == ["搞好春耕物资调运", "综合治理农田灌溉渠系"]


def test_it_still_reads_strictness_and_overall_views_told_as_no_row():
    assert _tasks("全面从严治党永远在路上。") == []
    assert _tasks("综合考虑各方面因素，方案还需论证。") == []


def test_it_gives_people_or_a_place_named_as_a_clauses_subject_no_owner_from_before():
    # …，网格员要真正沉下去: people in their posts are the subject of their clause, and no unit;
    # the street offices of the clause before do not own it
    rows = _tasks("各街道要把辖区内的门店管起来，网格员要真正沉下去，逐户排查隐患。")
    assert [r.title for r in rows][:2] == ["把辖区内的门店管起来", "真正沉下去，逐户排查隐患"]
    assert rows[0].units == ["各街道"] and rows[1].units == []
    rows = _tasks("各村要发挥党员作用，小区要发挥物业作用。")
    assert [r.units for r in rows] == [["各村"], []]


def test_it_still_carries_a_units_ownership_to_the_clauses_after_it():
    rows = _tasks("各街道要加强巡查，及时清理占道经营。")
    assert [r.units for r in rows] == [["各街道"], ["各街道"]]
    rows = _tasks("各街道要加强巡查，县城管局要做好执法保障。")
    assert [(r.units, r.lead_unit) for r in rows] == [(["各街道"], None), (["县城管局"], "县城管局")]


def test_it_reads_a_governments_part_in_anothers_work_and_repairs_as_actions():
    # 配合推动… with no subject: the government's own part in a work led elsewhere
    assert [r.title for r in _tasks("配合推动城际铁路项目建设，启动站前广场房屋征收。")] == [
        "配合推动城际铁路项目建设", "启动站前广场房屋征收"]
    assert [r.title for r in _tasks("巩固老旧小区改造成果，整修8条街道沿线建筑立面。")] == [
        "巩固老旧小区改造成果", "整修8条街道沿线建筑立面"]
    assert [r.title for r in _tasks("承接省级改革试点任务，推进闲置地块盘活。")] == [
        "承接省级改革试点任务", "推进闲置地块盘活"]


def test_it_still_reads_a_co_units_role_and_a_repaired_square_as_before():
    rows = _tasks("由县住建局负责，县财政局配合，年底前完成改造。")
    assert [(r.title, r.units, r.lead_unit) for r in rows] == [("完成改造", ["县住建局", "县财政局"], "县住建局")]
    assert _tasks("整修一新的广场成了群众休闲的好去处。") == []


def test_it_reads_raising_models_as_an_action():
    assert [r.title for r in _tasks("培树一批乡村振兴先进典型。")] == ["培树一批乡村振兴先进典型"]


def test_it_still_reads_models_raised_before_as_no_row():
    assert _tasks("去年选树出来的典型经得起检验。") == []


def test_it_reads_a_list_that_opens_with_a_sector_as_one_work_and_preparing_as_an_action():
    # 火电和水泥行业、大型燃煤锅炉…: whose work it is, listed, then the works (one row)
    assert [r.title for r in _tasks("加快钢铁和焦化行业、燃煤锅炉超低排放改造和脱硝设施建设。")] == [
        "加快钢铁和焦化行业、燃煤锅炉超低排放改造和脱硝设施建设"]
    assert [r.title for r in _tasks("大力发展体育产业，备战好第十五届省运会。")] == ["大力发展体育产业", "备战好第十五届省运会"]


def test_it_still_splits_a_list_of_works_and_reads_no_preparation_told():
    assert len(_tasks("加快城北污水厂、东环路改造和县人民医院新院区建设。")) == 3
    assert _tasks("备战期间，队员们刻苦训练。") == []


def test_it_reads_a_short_action_after_people_named_as_its_subject():
    # …，各相关负责人要深入一线: four characters after people as the subject are an action, as after a unit
    rows = _tasks("会议要求，各乡镇要严格落实考核办法，各相关负责人要深入一线，加大督导力度。")
    assert [r.title for r in rows] == ["严格落实考核办法", "深入一线", "加大督导力度"]
    assert [r.units for r in rows] == [["各乡镇"], [], []]
