"""Units as written (luoshi.directives.parsing.units) and who owns a row: lead, co-units, units that
only reported or are only mentioned. The sentences are written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.directives.parsing import parse
from luoshi.directives.parsing.units import UnitMatcher, normalize

ISSUED = dt.date(2026, 9, 1)


def _rows(text):
    return [(c.units, c.lead_unit) for c in parse(text, issued=ISSUED).tasks]


def _names(text):
    return [m.name for m in UnitMatcher().find(text)]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("各镇(街道、社区)要做好防汛值守", ["各镇（街道、社区）"]),
        ("各县(区)要在月底前报送", ["各县（区）"]),
        ("县防汛抗旱指挥部各成员单位要落实值班", ["县防汛抗旱指挥部各成员单位"]),
        ("市安委会有关成员单位要制定子方案", ["市安委会有关成员单位"]),
        ("市安委会办公室要汇总", ["市安委会办公室"]),
        ("管委会各部门要加快推进", ["管委会各部门"]),
        ("各职能部门要形成名单", ["各职能部门"]),
        ("各级各有关部门单位要抓好整改", ["各级各有关部门单位"]),
        ("各相关县区和部门单位要履行职能", ["各相关县区和部门单位"]),
        ("各责任村要落实专人", ["各责任村"]),
        ("各村各小组要加强宣传", ["各村各小组"]),
        ("县发改委要会同县攻坚办做好申报", ["县发改委", "县攻坚办"]),
        ("县发改委要会同县督查落实办督导", ["县发改委", "县督查落实办"]),
        ("县财政局办公室要做好报账", ["县财政局办公室"]),
        ("巡查组负责每周通报", ["巡查组"]),
    ],
)
def test_it_recognises_units_as_written(text, names):
    assert _names(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "推进美丽乡村、新农村、城中村建设",
        "资产重组要依法依规进行",
        "要加快建立和优化工作制度",
        "全力做好保鲜提升工作",
    ],
)
def test_it_finds_no_unit_where_none_is_named(text):
    assert _names(text) == []


def test_it_reads_villages_and_zones_in_a_list_of_owners():
    assert _rows("9月10日前东坪村、西坪村要完成河道垃圾清理。") == [(["东坪村", "西坪村"], None)]
    units, lead = _rows("园区道路改造由高新区和县交通运输局负责落实。")[0]
    assert units == ["高新区", "县交通运输局"] and lead == "高新区"


def test_it_gives_a_work_to_the_unit_that_carries_it_out_not_to_the_leader_who_heads_it():
    # 李明 heads the work; 柳河镇 carries it out and is the unit that owns the row
    assert _rows("河道清淤由李明牵头，柳河镇落实。") == [(["柳河镇"], "柳河镇")]
    assert _rows("巡查组负责每周通报整改进度。") == [(["巡查组"], "巡查组")]


def test_it_keeps_units_a_verb_acts_on_out_of_the_owners():
    r = parse("县农业农村局要督促各村(社区)做好秸秆禁烧。", issued=ISSUED)
    (c,) = r.tasks
    assert c.units == ["县农业农村局"] and c.lead_unit == "县农业农村局"
    assert c.mentioned_units == ["各村（社区）"]
    # the subject named before supervises; the supervised units are only mentioned
    first, second = parse("各乡镇要做好防汛值守，督促各村(社区)落实巡查。", issued=ISSUED).tasks
    assert first.units == second.units == ["各乡镇"] and second.mentioned_units == ["各村（社区）"]
    (c,) = parse("要支持共青团、妇联、科协开展志愿服务。", issued=ISSUED).tasks
    assert c.units == [] and c.lead_unit is None


def test_it_does_not_take_a_unit_named_in_a_thing_it_owns_for_an_owner():
    (c,) = parse("管委会办公室要修订管委会制度。", issued=ISSUED).tasks
    assert c.units == ["管委会办公室"] and c.lead_unit == "管委会办公室"
    (c,) = parse("区住建局要修改完善方案，以区政府办名义印发。", issued=ISSUED).tasks
    assert c.units == ["区住建局"] and c.mentioned_units == ["区政府办"]


def test_it_tells_the_lead_from_the_co_units_and_from_units_that_only_reported():
    (c,) = parse("由县住建局牵头，县财政局、县自然资源局配合，9月底前完成老旧小区改造。", issued=ISSUED).tasks
    assert c.lead_unit == "县住建局" and c.co_units == ["县财政局", "县自然资源局"]
    assert c.deadline == dt.date(2026, 9, 30)
    assert parse("县林业局汇报了森林防火工作。", issued=ISSUED).tasks == []
    r = parse("会议听取了县水利局的汇报。会议要求，各乡镇(街道、办事处)要做好防汛值守。", issued=ISSUED)
    (c,) = r.tasks
    assert c.units == ["各乡镇（街道、办事处）"] and c.lead_unit is None


def test_it_invents_no_unit_on_these_sentences():
    text = (
        "会议要求，各镇(街道、社区)要做好防汛值守，督促各村(社区)落实巡查。管委会各部门要加快推进职能领域工作。"
        "9月10日前东坪村、西坪村要完成河道垃圾清理。河道清淤由李明牵头，柳河镇落实。推进美丽乡村、新农村建设。"
        "要加快建立和优化管委会制度。市安委会有关成员单位要于9月15日前制定本系统子方案。"
    )
    norm_text = normalize(text)
    for c in parse(text, issued=ISSUED).tasks:
        for u in [*c.units, *c.co_units, *([c.lead_unit] if c.lead_unit else [])]:
            assert normalize(u) in norm_text, u


def test_it_gives_the_items_of_an_enumeration_to_the_units_its_lead_in_addresses():
    r = parse("会议要求各乡镇：一要做好防汛值守；二要抓好秋播准备。", issued=ISSUED)
    assert [c.units for c in r.tasks] == [["各乡镇"], ["各乡镇"]]
    # a unit that only reported before the lead-in owns nothing; an item naming its own owner keeps it
    r = parse("会议听取了县水利局的汇报。会议要求：一要做好防汛值守；二要县农业农村局抓好秋播准备。", issued=ISSUED)
    assert [c.units for c in r.tasks] == [[], ["县农业农村局"]]


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("会议议定：（三）城关镇要落实汛期值班值守制度。", "城关镇"),
        ("会议议定：(二)青山乡负责做好秸秆禁烧巡查。", "青山乡"),
        ("会议要求：（1）县疾控中心要加强传染病监测。", "县疾控中心"),
        ("会议要求：（四）城投公司要加快安置房建设。", "城投公司"),
    ],
)
def test_it_reads_the_unit_that_opens_a_numbered_item(text, unit):
    # the item's number in brackets stands where a comma would: the unit after it is the subject
    assert _rows(text) == [([unit], unit)]


def test_it_gives_the_rows_under_a_town_heading_to_that_town():
    text = (
        "二、存在问题\n（一）县交通运输局\n1.农村公路养护资金拨付不及时。\n"
        "（二）高桥镇\n2.秸秆综合利用率低于全县平均水平。\n3.人居环境整治问题整改不到位。\n"
        "（三）存在的短板\n4.部分村庄垃圾清运不及时。\n"
    )
    rows = _rows(text)
    assert rows[:3] == [(["县交通运输局"], "县交通运输局"), (["高桥镇"], "高桥镇"), (["高桥镇"], "高桥镇")]
    # a heading that is no place names no unit
    assert all("存在的短板" not in units for units, _lead in rows)


# -- forms of the second round of 2026-12-02 -----------------------------------------------------

@pytest.mark.parametrize(("text", "names"), [
    ("会议要求，兴庆区政府办公室要加强跟踪督查。", ["兴庆区政府办公室"]),
    ("会议要求，同时县住建局要加快进度。", ["县住建局"]),  # counter-case: an adverb is no place
    ("会议原则同意市住建局提出的改造计划。", ["市住建局"]),  # counter-case: a verb is no place
    ("会议要求，牵头责任单位要牵头抓总，积极组织实施。", ["牵头责任单位"]),
    ("会议要求，项目施工单位要合理调度，项目指挥部要倒排工期。", ["项目施工单位", "项目指挥部"]),
    ("吕仙亭街道办事处、龟山社区居委会要加大项目建设协调力度。", ["吕仙亭街道办事处", "龟山社区居委会"]),
])
def test_it_reads_places_roles_project_parties_and_residents_committees_as_written(text, names):
    assert _names(text) == names


def test_it_reads_the_role_that_leads_as_the_lead_and_a_supporting_collective_as_a_co_unit():
    row = parse("会议强调，各有关单位要主动配合，积极支持，吕仙亭街道办事处要组织专门班子强力推进。", issued=ISSUED).tasks[0]
    assert row.lead_unit == "吕仙亭街道办事处" and row.co_units == ["各有关单位"]
    assert _rows("会议要求，牵头单位要发挥组织协调作用。") == [(["牵头单位"], "牵头单位")]


def test_it_leaves_the_lead_open_when_the_collective_before_does_more_than_support():
    assert _rows("会议强调，各有关单位和吕仙亭街道办事处要组织专门班子强力推进。")[0][1] is None


# -- third round of 2026-12-02: collectives as written ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("各地各部门要制定整治方案", ["各地各部门"]),
        ("各区各部门要落实防控措施", ["各区各部门"]),
        ("各相关职能部门和单位要加大整改力度", ["各相关职能部门和单位"]),
        ("各建设单位要完善资料台账", ["各建设单位"]),
        ("涉及单位要做好各项准备工作", ["涉及单位"]),
    ],
)
def test_it_reads_collectives_of_places_and_kinds_as_one_owner(text, names):
    assert _names(text) == names
    assert _rows(text + "。") == [(names, None)]


def test_it_still_reads_a_party_of_a_works_project_as_the_lead_of_its_row():
    # counter-case: 建设单位 without 各 is one party and leads
    assert _rows("建设单位要完善资料台账。") == [(["建设单位"], "建设单位")]
    assert _names("各部门要加强协调") == ["各部门"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("双沟、王集两镇要加快推进秸秆禁烧", ["双沟镇", "王集镇"]),
        ("马家庄、李家湾两村负责河道清淤", ["马家庄村", "李家湾村"]),
        ("城东、城西、城南三个街道要做好垃圾分类", ["城东街道", "城西街道", "城南街道"]),
        # 乡镇 says not which of the two each is: the names stay as written
        ("高桥、城关、新集等三个乡镇要完成危房改造", ["高桥", "城关", "新集"]),
    ],
)
def test_it_reads_places_of_one_level_named_once_for_all_as_one_unit_each(text, names):
    assert _names(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "双沟、王集、高桥两镇要加快推进",  # three names, two towns: not this form
        "各乡镇、各部门两个责任要压实",
        "完成老旧、危险两村改造",  # not a subject
    ],
)
def test_it_reads_no_counted_places_where_the_count_or_the_subject_disagrees(text):
    names = _names(text)
    assert not {"双沟镇", "王集镇", "老旧村", "危险村", "各乡镇镇"} & set(names), names


def test_it_finds_counted_places_in_the_directory_and_owns_the_row_with_them():
    from luoshi.directives.parsing.units import UnitName

    matcher_units = [UnitName("泗洪县双沟镇", ("双沟镇",)), UnitName("王集镇", ())]
    assert [m.name for m in UnitMatcher(matcher_units).find("双沟、王集两镇要加快推进秸秆禁烧")] == ["泗洪县双沟镇", "王集镇"]
    [row] = parse("会议要求，双沟、王集两镇要加快推进秸秆禁烧工作，年底前完成。", issued=ISSUED).tasks
    assert row.units == ["双沟镇", "王集镇"] and row.title.startswith("加快推进秸秆禁烧工作")


# --- 2026-12-03 (B): five fresh dev documents --------------------------------------------------------
def test_it_reads_the_departments_assigned_to_cover_towns_as_one_collective():
    assert _names("各包保部门和乡镇要加强对返乡人员的排查") == ["各包保部门和乡镇"]
    assert _names("各包联单位要下沉到村") == ["各包联单位"]


def test_it_still_reads_the_departments_concerned_and_the_towns_as_before():
    assert _names("各有关部门和乡镇要做好防汛准备") == ["各有关部门和乡镇"]


def test_it_reads_a_kind_of_county_to_be_named_as_no_owner():
    # 创建…示范县（市、区）: the title sought, the object of the work, not the counties that own it
    assert _names("年内创建5个生态文明示范县（市、区）") == []
    assert _rows("年内创建5个生态文明示范县（市、区）。") == [([], None)]


def test_it_still_reads_the_counties_as_owners():
    assert _names("各县（市、区）要在月底前报送") == ["各县（市、区）"]
    assert _names("督促县（市、区）落实整改") == ["县（市、区）"]


def test_it_reads_what_the_work_goes_by_as_no_unit():
    # 根据县委、县政府的部署要求: the basis of the work, not a body called 根据县委
    assert _names("根据县委、县政府的部署要求，县住建局组织了督查") == ["县住建局"]
    assert _names("，根据县委要求，各乡镇要开展排查") == ["各乡镇"]


def test_it_still_reads_bodies_named_without_their_level_as_subjects():
    assert _names("督查委、纪委要加强跟踪问效") == ["督查委", "纪委"]
