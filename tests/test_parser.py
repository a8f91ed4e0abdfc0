"""The pure directive parser (luoshi.directives.parsing): no Django, no database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.directives.parsing import ParseError, UnitName, parse, read_text, segment
from luoshi.directives.parsing.evaluate import evaluate, main as eval_main

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "000_2050f33bd5bf388b.txt"
HENAN = SHARED / "corpus" / "henan-2026-government-work-report.txt"
DOCS = REPO / "eval" / "parser" / "docs"
LABELS = REPO / "eval" / "parser" / "labels"
SEED_DATE = dt.date(2021, 12, 15)


def _shared(path: Path) -> str:
    if not path.exists():
        pytest.skip(f"shared document not available: {path}")
    return read_text(path.read_bytes())


def _assert_offsets(text, result):
    for o in result.outline:
        assert 0 <= o.start <= o.end <= len(text)
        assert text[o.start:o.end] == o.text
    for c in result.tasks:
        assert 0 <= c.start <= c.end <= len(text)
        assert text[c.start:c.end] == c.text
        assert c.section is None or 0 <= c.section < len(result.outline)


# --- reading bytes ---------------------------------------------------------------------------------

def test_it_reads_utf8_with_and_without_bom_and_gb18030():
    s = "一要加快推进项目建设。\r\n二要确保年底前完成。\r"
    assert read_text(s.encode("utf-8")) == "一要加快推进项目建设。\n二要确保年底前完成。\n"
    assert read_text(b"\xef\xbb\xbf" + s.encode("utf-8")) == "一要加快推进项目建设。\n二要确保年底前完成。\n"
    assert read_text(s.encode("gb18030")) == "一要加快推进项目建设。\n二要确保年底前完成。\n"


def test_it_rejects_undecodable_bytes_with_a_chinese_message():
    with pytest.raises(ParseError, match="无法识别文件编码"):
        read_text(b"\xff\xfe\x00\xd8\x00\x00\x81")
    with pytest.raises(ParseError):
        read_text("要加快".encode("utf-16"))


# --- outline traps ---------------------------------------------------------------------------------

def test_it_does_not_take_quanguo_diwu_or_diyi_yaowu_for_enumerators():
    text = (
        "一、总体要求\n"
        "五年来，河南的经济总量稳居全国第五，米字型高铁基本建成。坚持发展是第一要务、创新是第一动力。"
        "牢记自己的第一身份是共产党员。\n"
        "一要加快推进项目建设。要强化要素保障。\n"
        "二要抓好安全生产。\n"
    )
    r = parse(text)
    labels = [o.label for o in r.outline]
    assert labels == ["一", "一要", "二要"]
    assert all("第五" not in o.label and "第一" not in o.label for o in r.outline)


def test_it_only_counts_enumerators_in_sequence():
    text = "三是这句话不是列举项的开头。\n第五，这也不是。\n一是加快建设。\n二是抓好落实。\n四是跳号不算。\n"
    r = parse(text)
    assert [o.label for o in r.outline] == ["一是", "二是"]


def test_it_nests_parts_enumerations_and_inline_items():
    text = (
        "一、扩大有效投资\n"
        "（一）加快项目建设\n"
        "1. 实施重点项目200个，年底前全部开工。\n"
        "2. 市发改委要每月调度一次。\n"
        "（二）抓好要素保障\n"
        "会议要求：一是加快用地审批；二是保障资金需求。\n"
        "二、优化营商环境\n"
    )
    r = parse(text)
    got = [(o.level, o.label) for o in r.outline]
    assert got == [(1, "一"), (2, "（一）"), (3, "1."), (3, "2."), (2, "（二）"), (3, "一是"), (3, "二是"), (1, "二")]


# --- dates -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("明天召开专题会议", "2021-12-16"),
        ("本周完成排查", "2021-12-19"),
        ("月底前报送方案", "2021-12-31"),
        ("年底前全部完成", "2021-12-31"),
        ("今年必须进入全省第一方阵", "2021-12-31"),
        ("明年完成验收", "2022-12-31"),
        ("上半年完成招标", "2022-06-30"),  # June of 2021 already passed
        ("下半年完成建设", "2021-12-31"),
        ("到2035年基本建成", "2035-12-31"),
        ("8月底前开工", "2022-08-31"),
        ("12月31日前完成", "2021-12-31"),
        ("一季度完成", "2022-03-31"),
        ("确保全年目标任务完成", "2021-12-31"),
    ],
)
def test_it_resolves_relative_deadlines_against_the_issued_date(phrase, expected):
    r = parse(f"要加快推进这项工作，{phrase}。", issued=SEED_DATE)
    assert len(r.tasks) == 1
    assert r.tasks[0].deadline == dt.date.fromisoformat(expected)
    assert r.tasks[0].deadline_text


def test_it_resolves_against_the_confirmed_date_not_the_text():
    text = "现在马上就要进入11月。一要确保年底前完成全年目标任务。\n"
    r1 = parse(text, issued=SEED_DATE)
    r2 = parse(text, issued=dt.date(2022, 3, 1))
    assert r1.tasks[0].deadline == dt.date(2021, 12, 31)
    assert r2.tasks[0].deadline == dt.date(2022, 12, 31)
    r3 = parse(text)
    assert r3.tasks[0].deadline is None and r3.tasks[0].deadline_text == "年底前"


def test_it_keeps_mid_year_half_year_in_the_same_year():
    r = parse("要在上半年完成全部招标。", issued=dt.date(2026, 3, 1))
    assert r.tasks[0].deadline == dt.date(2026, 6, 30)


# --- units -----------------------------------------------------------------------------------------

def test_it_names_generic_units_and_the_lead_the_text_makes_clear():
    text = (
        "一要迅速掀起学习热潮。宣传部门要加强宣传解读，按照省委宣传部统一安排做好报道。"
        "由示范区党工委办公室统一牵头，迅速做好目标任务分解。督查局要把这些目标再提醒下。"
        "涉及到的有关部门、镇（街道），要认真抓好落实。\n"
    )
    r = parse(text)
    by_key = {c.text[:4]: c for c in r.tasks}
    assert by_key["宣传部门"].units == ["宣传部门"] and by_key["宣传部门"].lead_unit == "宣传部门"
    lead = next(c for c in r.tasks if "统一牵头" in c.text)
    assert lead.lead_unit == "示范区党工委办公室" and lead.units == ["示范区党工委办公室"]
    assert by_key["督查局要"].lead_unit == "督查局"
    assert next(c for c in r.tasks if "镇（街道）" in c.text).units == ["有关部门", "镇（街道）"]


def test_it_maps_generic_forms_onto_the_directory():
    units = [UnitName("党工委宣传部", ("宣传部",)), UnitName("示范区督查局"), UnitName("济源市委党校", ("党校",))]
    r = parse("宣传部门要加强宣传解读。督查局要做好提醒。市委党校要纳入培训计划。", units=units)
    assert [c.units for c in r.tasks] == [["党工委宣传部"], ["示范区督查局"], ["济源市委党校"]]


def test_it_never_invents_units():
    r = parse("要加快推进高标准农田建设，确保年底前完成400万亩。持续优化营商环境。")
    assert all(not c.units and c.lead_unit is None for c in r.tasks)


# --- 分工方案 ---------------------------------------------------------------------------------------

PLAN = (
    "示范市重点工作任务分工方案\n"
    "一、扩大有效投资\n"
    "1. 实施市级重点项目200个以上，年度完成投资600亿元。\n"
    "牵头单位：市发改委\n"
    "责任单位：市财政局、市住建局；市自然资源局\n"
    "责任领导：王强\n"
    "完成时限：全年\n"
    "2. 开展涉企收费专项治理。\n"
    "牵头单位：市市场监管局\n"
    "责任单位：市财政局，市税务局\n"
    "完成时限：2026年6月底前\n"
    "3. 深化“一件事一次办”改革。（牵头单位：市行政审批局；责任单位：市大数据局；完成时限：2026年9月30日前）\n"
    "序号\t重点工作\t责任领导\t责任单位\t完成时限\n"
    "4\t改造城镇老旧小区86个\t张华\t市住建局、各区政府\t2026年10月底前\n"
    "5｜建成市第二人民医院新院区｜刘洋｜市卫健委｜全年\n"
)


def test_it_turns_each_assignment_item_into_exactly_one_task_with_exact_units():
    r = parse(PLAN, issued=dt.date(2026, 2, 20))
    _assert_offsets(PLAN, r)
    tasks = [c for c in r.tasks if c.kind in ("assignment", "item")]
    assert [c.units for c in tasks] == [
        ["市发改委", "市财政局", "市住建局", "市自然资源局"],
        ["市市场监管局", "市财政局", "市税务局"],
        ["市行政审批局", "市大数据局"],
        ["市住建局", "各区政府"],
        ["市卫健委"],
    ]
    # a row whose only responsible unit is named leads with it; several without 牵头 name no lead
    assert [c.lead_unit for c in tasks] == ["市发改委", "市市场监管局", "市行政审批局", None, "市卫健委"]
    assert [c.lead_leader for c in tasks] == ["王强", None, None, "张华", "刘洋"]
    assert [c.deadline for c in tasks] == [
        dt.date(2026, 12, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 30), dt.date(2026, 10, 31), dt.date(2026, 12, 31)
    ]
    assert len(r.tasks) == 5


def test_it_maps_assignment_units_through_the_directory():
    r = parse(PLAN, issued=dt.date(2026, 2, 20), units=[UnitName("示范市发展和改革委员会", ("市发改委",))])
    assert r.tasks[0].lead_unit == "示范市发展和改革委员会"


# --- candidates, titles, targets --------------------------------------------------------------------

def test_it_titles_cleanly_and_captures_targets():
    text = (
        "一要广泛动员、周密部署、积极推动，迅速掀起学习宣传贯彻热潮。示范区党工委办公室要下发通知，进行专门安排部署。"
        "年初我们就提出了明确要求，各项工作至少要进入全省第一方阵。特别是营商环境，目前21项指标中，我们有11项排名在10位以后。"
        "今天再次强调，今年必须进入全省第一方阵。\n"
    )
    r = parse(text, issued=SEED_DATE)
    titles = [c.title for c in r.tasks]
    assert "迅速掀起学习宣传贯彻热潮" in titles
    assert all(len(t) <= 30 for t in titles)
    targets = [t for c in r.tasks for t in c.targets]
    assert "至少进入全省第一方阵" in targets
    assert "进入全省第一方阵" in targets
    assert "21项指标中11项排名在10位以后" in parse("目前21项指标中，我们有11项排名在10位以后，必须认真抓好落实。").tasks[0].targets


def test_it_ignores_narrative_parts_and_quoted_higher_level_speech():
    text = (
        "一、深刻认识大会的重大意义\n"
        "我们要牢记嘱托，不断创造新的更大业绩。\n"
        "二、抓好贯彻落实\n"
        "省第十一次党代会指出，要完整准确全面贯彻新发展理念。\n"
        "一要加快推进转型发展。要深入实施数字化转型战略，积极推进数治赋能。\n"
    )
    r = parse(text)
    assert all("牢记嘱托" not in c.text and "党代会指出" not in c.text for c in r.tasks)
    assert any("数字化转型" in c.text for c in r.tasks)


def test_it_returns_the_documented_json_shape():
    r = parse("一、总体要求\n一要加快推进项目建设，确保年底前开工。督查局要跟踪督办。\n", issued=SEED_DATE)
    d = json.loads(json.dumps(r.to_dict(), ensure_ascii=False))
    assert set(d) >= {"outline", "tasks"}
    for o in d["outline"]:
        assert set(o) >= {"level", "label", "text", "start", "end"}
    for t in d["tasks"]:
        assert set(t) >= {"title", "text", "measures", "start", "end", "section", "units", "lead_unit",
                          "deadline", "deadline_text", "targets", "lead_leader", "kind", "confidence"}
    assert d["tasks"][0]["deadline"] == "2021-12-31"


def test_it_rejects_non_text_input_with_parse_error():
    with pytest.raises(ParseError):
        parse(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(ParseError):
        parse("要加快", issued="2021-12-15")  # type: ignore[arg-type]


def test_it_segments_with_user_words():
    from luoshi.directives.parsing import add_words

    add_words(["示范区党工委办公室"])
    assert "示范区党工委办公室" in segment("由示范区党工委办公室统一牵头")
    assert "".join(segment("迅速掀起学习宣传贯彻热潮")) == "迅速掀起学习宣传贯彻热潮"


# --- robustness ------------------------------------------------------------------------------------

FRAGMENTS = ["一要", "二要", "第一，", "第二，", "（一）", "（二）", "1.", "2、", "（1）", "一、", "二、", "一是", "二是",
             "牵头单位：", "责任单位：", "责任领导：", "完成时限：", "年底前", "明年", "8月底", "2035年", "本周五前",
             "由", "牵头", "要", "确保", "。", "；", "，", "：", "\n", "\t", "｜", "督查局", "镇（街道）", "第一要务",
             "全国第五", "21项指标中", "（", "）", "“", "”", "\r\n", " ", "0", "9", "99.", "十一、", "①"]
_mixed = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=60).map("".join)


def _check_never_crashes(text, issued):
    try:
        r = parse(text, issued=issued)
    except ParseError as exc:  # allowed, but never our internal-error fallback
        assert "无法处理" not in str(exc), repr(exc.__cause__)
        return
    _assert_offsets(text, r)
    json.dumps(r.to_dict(), ensure_ascii=False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(), st.one_of(st.none(), st.dates()))
def test_it_never_crashes_on_any_text(text, issued):
    _check_never_crashes(text, issued)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mixed, st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 2), max_value=dt.date(9999, 12, 30))))
def test_it_never_crashes_on_enumerator_soup(text, issued):
    _check_never_crashes(text, issued)


def test_it_reads_a_long_run_of_blanks_in_linear_time():
    # an empty table row pasted as tabs; the run was scanned again from each of its characters
    # (40,000 tabs took half a minute)
    import time

    start = time.process_time()
    r = parse("一要加快推进项目建设。" + "\t" * 40_000 + "二要抓好安全生产。", issued=SEED_DATE)
    assert time.process_time() - start < 3
    assert [o.label for o in r.outline if o.level == 1] == ["一要", "二要"] or len(r.tasks) == 2


def test_it_handles_extreme_dates_without_crashing():
    for d in (dt.date.min, dt.date.max):
        r = parse("要在明天、下周、年底前、明年一季度、3个工作日内完成。", issued=d)
        assert r.tasks


# --- the seed and the corpus ------------------------------------------------------------------------

def test_it_finds_all_eleven_enumerations_of_the_seed():
    text = _shared(SEED)
    r = parse(text, issued=SEED_DATE)
    _assert_offsets(text, r)
    parts = [o for o in r.outline if o.level == 1]
    assert [o.label for o in parts] == ["一", "二", "三"]
    by_part = {}
    for o in r.outline:
        if o.level == 1:
            current = o.label
        elif o.level == 2 and o.label.endswith("要"):
            by_part.setdefault(current, []).append(o.label)
    assert by_part == {"二": ["一要", "二要", "三要", "四要"], "三": ["一要", "二要", "三要", "四要", "五要", "六要", "七要"]}
    assert not any("第五" in o.label for o in r.outline)
    assert not any(o.start > text.index("第一要务") - 3 and o.start < text.index("第一要务") for o in r.outline)
    # part 一 is context: nothing tabulated from it
    part2 = text.index("二、认真抓好")
    assert all(c.start >= part2 for c in r.tasks)
    # 明天 resolves against the confirmed date although the speech says 现在马上就要进入11月
    tomorrow = next(c for c in r.tasks if "明天我们将召开" in c.text)
    assert tomorrow.deadline == dt.date(2021, 12, 16)


def test_it_meets_the_seed_quality_bar():
    _shared(SEED)
    s = evaluate(LABELS / "seed-jiyuan-2021.json", REPO)
    assert s.skipped is None
    assert s.recall >= 0.9
    assert s.outline_ok == s.outline_n == 14
    assert s.unit_accuracy >= 0.9 and s.lead_accuracy == 1.0
    assert s.invented_units == 0


def test_it_invents_no_units_on_the_henan_report():
    text = _shared(HENAN)
    r = parse(text, issued=dt.date(2026, 1, 26))
    _assert_offsets(text, r)
    for c in r.tasks:
        for u in c.units + ([c.lead_unit] if c.lead_unit else []):
            assert u in text
    s = evaluate(LABELS / "henan-2026-report.json", REPO)
    assert s.invented_units == 0 and s.recall >= 0.85


def test_it_scores_the_own_documents():
    for name in ("shifan-meeting-minutes", "shifan-county-weekly", "shifan-government-report", "shifan-division-plan"):
        s = evaluate(LABELS / f"{name}.json", REPO)
        assert s.skipped is None, s.skipped
        assert s.recall >= 0.9, (name, s.misses)
        assert s.invented_units == 0


def test_it_prints_the_evaluation_table(capsys):
    assert eval_main(["--repo-root", str(REPO), str(LABELS / "shifan-division-plan.json")]) == 0
    out = capsys.readouterr().out
    assert "shifan-division-plan" in out and "TOTAL" in out


def test_it_skips_missing_shared_documents_cleanly(tmp_path):
    s = evaluate({"document": "shared:seed/missing.txt", "issued": "2021-12-15", "tasks": []}, tmp_path / "repo")
    assert s.skipped


def test_it_parses_a_megabyte_with_valid_offsets():
    # Its speed is measured by bench/bench_parser.py, not here.
    text = _shared(SEED) + "\n" + _shared(HENAN)
    big = text
    while len(big.encode()) < 1_000_000:
        big += "\n" + text
    r = parse(big, issued=SEED_DATE)
    _assert_offsets(big, r)


def test_it_does_not_read_adverbs_or_inferences_as_directives():
    # 不得当 (improper) and 很坚决 (resolutely, as a complement) are not 不得/坚决 as modals;
    # 这就意味着… and 现在来看… explain, they do not direct.
    text = (
        "二、做好当前工作\n"
        "有些同志干工作，落实得很坚决，但方法不得当，导致适得其反。\n"
        "全省的目标是走在全国前列，这就意味着我们更要走在全国前列。\n"
        "现在来看，我们还有不少差距，必须要有更高的标准。\n"
        "财政局要加快资金拨付进度。各单位不得截留挪用资金。\n"
    )
    result = parse(text, issued=dt.date(2026, 3, 1))
    found = [t.text for t in result.tasks]
    assert any("加快资金拨付" in t for t in found) and any("不得截留" in t for t in found)
    assert not any(w in t for t in found for w in ("不得当", "这就意味着", "现在来看"))


def test_it_leaves_out_units_that_only_hear_the_report():
    text = "二、抓好落实\n一要重新梳理目标。相关部门单位要对发展目标进行重新梳理，示范区党工委、管委会将专门听取有关情况汇报。"
    r = parse(text, issued=dt.date(2021, 12, 15))
    task = next(t for t in r.tasks if "重新梳理" in t.text and "听取" in t.text)
    assert "管委会" not in task.units and not any("党工委" in u for u in task.units)
