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
