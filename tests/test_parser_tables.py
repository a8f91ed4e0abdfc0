"""Tables of a 责任清单 / 分工方案 / 督查通报 (luoshi.directives.parsing.tables): one row per table row."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from luoshi.directives.documents import read_document
from luoshi.directives.parsing import parse

ISSUED = dt.date(2025, 3, 12)


def _rows(text: str):
    return [t for t in parse(text, issued=ISSUED).tasks]


def _table(sep: str, *rows: str) -> str:
    """Lines of cells written with spaces between them, joined by the separator under test."""
    return "".join(sep.join(row.split(" ")) + "\n" for row in rows)


def test_it_maps_each_column_of_a_tab_separated_list_to_its_field():
    text = "2025年重点任务责任清单\n" + _table(
        "\t",
        "序号 重点任务 具体措施 责任领导 牵头单位 配合单位 完成时限",
        "1 推进城区供水管网改造 完成老旧供水管网改造30公里 李明 县住建局 县财政局、县自然资源局 2025年10月底",
        "2 实施高标准农田建设 新建高标准农田2万亩 王强 县农业农村局 县财政局 11月",
        "3 开展营商环境提升行动 压缩企业开办时间至1个工作日 张华 县数据局 县市场监管局 长期坚持",
    )
    rows = _rows(text)
    assert [r.measures for r in rows] == ["完成老旧供水管网改造30公里", "新建高标准农田2万亩", "压缩企业开办时间至1个工作日"]
    assert [r.title for r in rows] == ["推进城区供水管网改造", "实施高标准农田建设", "开展营商环境提升行动"]
    assert [r.lead_unit for r in rows] == ["县住建局", "县农业农村局", "县数据局"]
    assert rows[0].co_units == ["县财政局", "县自然资源局"]
    assert [r.lead_leader for r in rows] == ["李明", "王强", "张华"]
    assert [r.deadline for r in rows] == [dt.date(2025, 10, 31), dt.date(2025, 11, 30), None]
    assert rows[2].deadline_text == "长期坚持"


def test_it_gives_a_merged_task_cell_to_every_measure_row_under_it():
    text = (
        "序号｜工作任务｜工作措施｜牵头单位｜责任单位｜时间节点\n"
        "1｜加快重点项目建设｜推动12个省市重点项目开工｜县发改委｜各乡镇｜6月底前\n"
        "｜｜完成项目用地报批｜县自然资源局｜｜9月底前\n"
        "2｜优化教育资源配置｜新建城区第三小学｜县教育局｜县住建局｜2025.8.31\n"
    )
    rows = _rows(text)
    assert [r.measures for r in rows] == ["推动12个省市重点项目开工", "完成项目用地报批", "新建城区第三小学"]
    assert rows[1].lead_unit == "县自然资源局"
    assert "各乡镇" in rows[1].units  # the empty 责任单位 cell is merged with the row above
    assert rows[1].deadline == dt.date(2025, 9, 30)
    assert rows[2].deadline == dt.date(2025, 8, 31)


def test_it_joins_a_row_whose_cell_holds_a_line_break():
    text = (
        "序号\t重点任务\t具体措施\t牵头单位\t完成时限\n"
        "1\t深入推进乡村振兴\t培育壮大特色产业，\n"
        "推动食用菌产业扩规提质\t县农业农村局\t12月31日前\n"
        "2\t提升城市管理水平\t开展城区占道经营专项整治\t县城管局\t持续推进\n"
        "请各牵头单位于每月5日前报送进展情况。\n"
    )
    rows = _rows(text)
    assert rows[0].measures == "培育壮大特色产业，推动食用菌产业扩规提质"
    assert rows[0].lead_unit == "县农业农村局" and rows[0].deadline == dt.date(2025, 12, 31)
    assert rows[1].lead_unit == "县城管局" and rows[1].deadline is None
    last = rows[-1]
    assert "报送进展情况" in last.text and last.cadence == "月报" and last.deadline is None


def test_it_reads_a_supervision_table_of_unit_problem_and_requirement():
    text = (
        "序号\t单位\t存在问题\t整改要求\n"
        "1\t县交通运输局\t国省道沿线环境整治不彻底\t4月底前完成清理\n"
        "2\t县市场监管局\t农贸市场食品安全抽检覆盖率低\t二季度内实现全覆盖\n"
    )
    rows = _rows(text)
    assert [(r.lead_unit, r.deadline) for r in rows] == [
        ("县交通运输局", dt.date(2025, 4, 30)), ("县市场监管局", dt.date(2025, 6, 30))]
    assert rows[0].title == "国省道沿线环境整治不彻底" and rows[0].measures == "4月底前完成清理"


def test_it_reads_a_table_pasted_one_cell_a_line_without_bars():
    text = (
        "序号\n重点任务\n牵头单位\n责任领导\n完成时限\n"
        "1\n加快推进城东污水处理厂提标改造\n县住建局\n刘洋\n2025年9月底前\n"
        "2\n开展农村集体经济“清零”攻坚\n县农业农村局\n陈建\n年底前\n"
        "3\n推进政务服务“一网通办”\n县数据局\n持续推进\n"
        "备注：各牵头单位每月5日前报送进展情况。\n"
    )
    rows = [r for r in _rows(text) if r.kind == "assignment"]
    assert [r.lead_unit for r in rows] == ["县住建局", "县农业农村局", "县数据局"]
    assert [r.lead_leader for r in rows] == ["刘洋", "陈建", None]  # row 3 lost its leader cell
    assert [r.deadline_text for r in rows] == ["2025年9月底前", "年底前", "持续推进"]


def test_it_reads_a_cell_of_several_units_one_a_line_and_two_tasks_under_one_number():
    text = (
        "序号\n\n民生实事\n\n责任单位\n\n完成时限\n\n"
        "1\n\n建成城南污水处理厂二期工程。\n\n县住建局\n\n县水务局\n\n县城投公司\n\n11月底前\n\n"
        "2\n\n新建3座公共停车场。\n\n县交通运输局\n\n8月投入使用\n\n"
        "3\n\n改造县中医院门诊楼。\n\n县卫健局\n\n6月底前开工\n\n建成县妇幼保健院新院区。\n\n12月底前\n\n"
        "4\n\n完成老旧小区改造1200户。\n\n县住建局\n\n10月底前\n"
    )
    rows = [r for r in _rows(text) if r.kind == "assignment"]
    assert [r.measures for r in rows] == ["建成城南污水处理厂二期工程。", "新建3座公共停车场。", "改造县中医院门诊楼。",
                                          "建成县妇幼保健院新院区。", "完成老旧小区改造1200户。"]
    assert rows[0].units == ["县住建局", "县水务局", "县城投公司"]
    assert [r.units for r in rows[1:]] == [["县交通运输局"], ["县卫健局"], ["县卫健局"], ["县住建局"]]
    assert [r.deadline for r in rows] == [dt.date(2025, 11, 30), dt.date(2025, 8, 31), dt.date(2025, 6, 30),
                                          dt.date(2025, 12, 31), dt.date(2025, 10, 31)]


def test_it_takes_the_last_milestone_of_a_schedule_column_in_the_year_the_title_names():
    text = (
        "某县2024年度重点工作任务清单\n"
        "序号 | 工作事项 | 进度安排 | 进展情况 |\n"
        "1 | 建成县城东区供水厂。 | ①3月底前，完成招标。②6月底前，主体完工。③9月底前，通水运行。 | ①已完成。 |\n"
        "2 | 推进农贸市场提档升级。 | ①4月上旬前，完成方案。②11月底前，全部完成改造。 | 正在推进 |\n"
    )
    rows = [r for r in parse(text, issued=dt.date(2024, 12, 20)).tasks if r.kind == "assignment"]
    assert [(r.deadline_text, r.deadline) for r in rows] == [("9月底前", dt.date(2024, 9, 30)),
                                                             ("11月底前", dt.date(2024, 11, 30))]


def test_it_takes_no_table_without_a_header_naming_task_and_owner_columns():
    text = "姓名\t性别\t年龄\n张三\t男\t45\n李四\t女\t38\n"
    assert [r for r in _rows(text) if r.kind == "assignment"] == []
    text = "序号\n姓名\n职务\n1\n张三\n局长\n"
    assert [r for r in _rows(text) if r.kind == "assignment"] == []


def test_it_ends_a_table_at_the_paragraph_after_it():
    text = (
        "序号\t重点任务\t牵头单位\n"
        "1\t推进城区供水管网改造\t县住建局\n"
        "二、工作要求\n"
        "各单位要高度重视，确保各项任务按期完成。\n"
    )
    rows = _rows(text)
    assert rows[0].text == "推进城区供水管网改造" and rows[0].lead_unit == "县住建局"
    assert any("高度重视" in r.text and r.kind != "assignment" for r in rows[1:])


def test_it_reads_a_docx_table_with_a_merged_task_cell_and_empty_cells_one_row_per_table_row():
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.add_paragraph("2025年重点工作责任清单")
    table = doc.add_table(rows=4, cols=5)
    cells = [
        ["序号", "重点任务", "具体措施", "牵头单位", "完成时限"],
        ["1", "加快重点项目建设", "推动12个省市重点项目开工", "县发改委", "6月底前"],
        ["", "", "完成项目用地报批", "", ""],
        ["2", "优化教育资源配置", "新建城区第三小学", "县教育局", "2025.8.31"],
    ]
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 1).merge(table.cell(2, 1))  # the task spans two measure rows
    buf = io.BytesIO()
    doc.save(buf)
    text = read_document("清单.docx", buf.getvalue())
    assert "\t\t" in text  # empty cells keep their columns
    rows = [r for r in parse(text, issued=ISSUED).tasks if r.kind == "assignment"]
    assert [r.measures for r in rows] == ["推动12个省市重点项目开工", "完成项目用地报批", "新建城区第三小学"]
    assert [r.lead_unit for r in rows] == ["县发改委", "县发改委", "县教育局"]
    assert [r.deadline for r in rows] == [dt.date(2025, 6, 30), dt.date(2025, 6, 30), dt.date(2025, 8, 31)]


def test_it_reads_a_markdown_table_whose_second_task_like_column_details_the_first():
    inner = _table(
        " | ",
        "序号 民生实事项目 主要任务 牵头单位 责任单位 完成时间",
        "--- --- --- --- --- ---",
        "1 城区学校扩容 新建城东小学，新增学位1800个 县教育局 县住建局、县自然资源局 2025年8月",
        "2 老旧小区改造 改造老旧小区12个 县住建局 城关镇 11月底前",
    )
    rows = _rows("".join(f"| {line} |\n" for line in inner.splitlines()))
    assert [(r.title, r.measures) for r in rows] == [
        ("城区学校扩容", "新建城东小学，新增学位1800个"), ("老旧小区改造", "改造老旧小区12个")]
    assert [r.deadline for r in rows] == [dt.date(2025, 8, 31), dt.date(2025, 11, 30)]
    assert rows[0].co_units == ["县住建局", "县自然资源局"]


def test_it_reads_every_row_of_a_table_with_columns_after_the_ones_it_knows():
    # 分季度目标: columns the parser has no field for, after 完成时限, filled in every row
    text = "2025年重点任务责任清单\n" + _table(
        "\t",
        "序号 重点任务 牵头单位 完成时限 一季度 二季度 三季度 四季度",
        "1 推进城区供水管网改造 县住建局 2025年10月底 完成设计 开工建设 完成50% 全面完工",
        "2 开展营商环境提升行动 县数据局 长期坚持 制定方案 组织实施 中期评估 总结提升",
    )
    rows = _rows(text)
    assert [(r.title, r.lead_unit, r.deadline) for r in rows] == [
        ("推进城区供水管网改造", "县住建局", dt.date(2025, 10, 31)), ("开展营商环境提升行动", "县数据局", None)]


def test_it_reads_a_reporting_cadence_written_in_the_time_limit_column():
    text = "2025年重点任务责任清单\n" + _table(
        "\t",
        "序号 重点任务 牵头单位 完成时限",
        "1 开展安全生产隐患排查 县应急局 每月5日前",
        "2 推进城区供水管网改造 县住建局 2025年10月底",
    )
    checks, works = _rows(text)
    # a cadence is no deadline, but it is the row's 报送周期
    assert (checks.deadline, checks.deadline_text, checks.cadence, checks.cadence_text) == (None, "每月5日前", "月报", "每月5日前")
    assert (works.deadline, works.cadence) == (dt.date(2025, 10, 31), None)
