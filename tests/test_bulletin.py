"""督查通报: the GB/T 9704-2012 layout read back with python-docx, and the draft → issued workflow."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
import time_machine
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from luoshi.core.errors import Conflict, LuoshiError
from luoshi.reports import bulletin as layout
from luoshi.reports import services
from luoshi.reports.models import Bulletin, TaskSnapshot
from luoshi.reports.periods import parse_period

from .test_reports_world import TODAY, build

SPEC = layout.BulletinDocument(
    title="关于2026年11月重点工作任务落实情况的通报",
    number="示范督查〔2026〕5号",
    recipients="各责任单位：",
    paragraphs=["为推动各项重点工作落地见效，现将有关情况通报如下。", "一、总体完成情况", "（一）部分任务推进滞后。发改委等单位需加快推进。", "正文" * 200],
    issuer="示范市督查局",
    date_text="2026年11月30日",
)


def read(content: bytes):
    return Document(io.BytesIO(content))


def east_asia(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def close_mm(length, mm: float) -> bool:
    return abs(length - Mm(mm)) <= Mm(0.1)


def test_it_sets_a4_and_the_standard_margins():
    section = read(layout.render_docx(SPEC)).sections[0]
    assert close_mm(section.page_width, 210) and close_mm(section.page_height, 297)
    assert close_mm(section.top_margin, 37) and close_mm(section.bottom_margin, 35)
    assert close_mm(section.left_margin, 28) and close_mm(section.right_margin, 26)


def test_it_grids_the_page_to_22_lines_of_28_characters():
    doc = read(layout.render_docx(SPEC))
    grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
    # A line grid only: a character grid makes LibreOffice and WPS give each character two cells.
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:charSpace")) is None
    pitch_pt = int(grid.get(qn("w:linePitch"))) / 20
    body_run = next(p for p in doc.paragraphs if p.text.startswith("正文")).runs[0]
    char_pt = 16 + int(body_run._element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    text_height_pt = (297 - 37 - 35) / 25.4 * 72
    text_width_pt = (210 - 28 - 26) / 25.4 * 72
    assert int(text_height_pt // pitch_pt) == 22
    assert int(text_width_pt // char_pt) == 28
    body = [p for p in doc.paragraphs if p.text.startswith("正文")][0]
    assert body.paragraph_format.line_spacing == Pt(pitch_pt)
    assert body.paragraph_format.line_spacing_rule == 4  # WD_LINE_SPACING.EXACTLY
    normal = doc.styles["Normal"]
    assert normal.paragraph_format.line_spacing == Pt(pitch_pt) and normal.font.size == Pt(16)


def test_it_sets_the_title_in_xiaobiaosong_22pt_centred_and_the_body_in_fangsong_16pt():
    doc = read(layout.render_docx(SPEC))
    title = next(p for p in doc.paragraphs if p.text == SPEC.title)
    assert title.alignment == 1  # centre
    run = title.runs[0]
    assert run.font.size == Pt(22) and run.font.name == "方正小标宋简体" and east_asia(run) == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if p.text.startswith("为推动"))
    assert all(r.font.size == Pt(16) and east_asia(r) == "仿宋_GB2312" and r.font.name == "仿宋_GB2312" for r in body.runs)
    assert body.paragraph_format.first_line_indent == Pt(32)
    normal = doc.styles["Normal"]
    assert normal.font.name == "仿宋_GB2312"
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_it_sets_headings_in_heiti_and_kaiti_for_their_first_sentence():
    doc = read(layout.render_docx(SPEC))
    h1 = next(p for p in doc.paragraphs if p.text == "一、总体完成情况")
    assert east_asia(h1.runs[0]) == "黑体"
    h2 = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    assert [east_asia(r) for r in h2.runs] == ["楷体_GB2312", "仿宋_GB2312"]
    assert h2.runs[0].text == "（一）部分任务推进滞后。"


def test_it_prints_the_document_number_under_a_red_line():
    doc = read(layout.render_docx(SPEC))
    number = next(p for p in doc.paragraphs if p.text == "示范督查〔2026〕5号")
    assert number.alignment == 1
    bottom = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000" and bottom.get(qn("w:val")) == "single"
    mark = doc.paragraphs[0]
    assert mark.text == "督查通报" and str(mark.runs[0].font.color.rgb) == "FF0000"


def test_it_numbers_pages_with_em_dashes_in_songti_sihao_on_odd_and_even_pages():
    doc = read(layout.render_docx(SPEC))
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, align in ((section.footer, 2), (section.even_page_footer, 0)):  # right, left
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == align
        xml = paragraph._p.xml
        assert "PAGE" in "".join(t.text for t in paragraph._p.iter(qn("w:instrText")))
        assert [f.get(qn("w:fldCharType")) for f in paragraph._p.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
        assert paragraph.text == "— 1 —"
        assert all(r.font.size == Pt(14) and east_asia(r) == "宋体" for r in paragraph.runs)
        assert "w:fldChar" in xml


def test_it_signs_and_dates_the_document_on_the_right():
    doc = read(layout.render_docx(SPEC))
    issuer = next(p for p in doc.paragraphs if p.text == "示范市督查局")
    date = next(p for p in doc.paragraphs if p.text == "2026年11月30日")
    assert issuer.alignment == date.alignment == 2
    assert issuer.paragraph_format.right_indent > date.paragraph_format.right_indent


@pytest.mark.parametrize("text,key,start,end", [
    ("2026-11", "2026-11", dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
    ("2026年2月", "2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
    ("2026Q4", "2026Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    ("2026年第一季度", "2026Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    ("2026-W48", "2026-W48", dt.date(2026, 11, 23), dt.date(2026, 11, 29)),
    ("2026", "2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
])
def test_it_reads_periods_as_offices_write_them(text, key, start, end):
    p = parse_period(text)
    assert (p.key, p.start, p.end) == (key, start, end)


@pytest.mark.parametrize("text", ["2026-13", "2026-W60", "十一月", "", "2026Q5"])
def test_it_refuses_periods_it_cannot_read(text):
    with pytest.raises(ValueError):
        parse_period(text)


# --- the workflow -------------------------------------------------------------------------------


@pytest.fixture
def world(cast, units):
    return build(cast, units)


@pytest.fixture
def draft(cast, world):
    return services.bulletin_create(actor=cast["supervisor"], period="2026-11", today=TODAY)


def test_it_drafts_the_bulletin_from_the_periods_figures(cast, world, draft):
    counts = services.health_counts(cast["supervisor"], today=TODAY)
    assert draft.status == "draft" and not draft.number
    assert "2026年11月" in draft.title
    body = draft.body
    assert f"重点工作任务共{counts['total']}项" in body and f"红灯）{counts['red']}项" in body
    assert f"已办结销号{counts['done']}项" in body and "办结销号任务1项" in body  # the rectification closed in November
    # Units that lag are named, most overdue first.
    lagging = body[body.index("二、存在的主要问题"):body.index("三、下步工作要求")]
    assert "发改委" in lagging and "教育局" in lagging and "财政局" not in lagging
    assert draft.issuer == cast["supervisor"].unit.name
    assert draft.history.count() == 1


def test_it_states_a_past_periods_figures_from_its_last_snapshot(cast, units, world):
    services.snapshot_take(today=dt.date(2026, 10, 31))
    total = TaskSnapshot.objects.filter(date=dt.date(2026, 10, 31)).count()
    bulletin = services.bulletin_create(actor=cast["supervisor"], period="2026-10", today=TODAY)
    assert f"截至2026年10月31日，纳入督查的重点工作任务共{total}项" in bulletin.body


def test_it_names_a_past_periods_lagging_units_as_they_stood_at_its_end(cast, units, world):
    TaskSnapshot.objects.bulk_create([
        TaskSnapshot(date=dt.date(2026, 10, 30), task=world["yellow"], health="red", overdue=True),  # led by 财政局
        TaskSnapshot(date=dt.date(2026, 10, 30), task=world["green"], health="green"),  # led by 发改委
    ])
    bulletin = services.bulletin_create(actor=cast["supervisor"], period="2026-10", today=TODAY)
    # The last snapshot of October (the 30th) is the period's end; today's laggards are not named.
    assert "截至2026年10月30日，纳入督查的重点工作任务共2项" in bulletin.body
    problems = bulletin.body[bulletin.body.index("二、存在的主要问题"):bulletin.body.index("三、下步工作要求")]
    assert "财政局（红灯1项，逾期1项）" in problems and "发改委" not in problems and "教育局" not in problems


def test_it_signs_alike_from_the_page_and_the_command(cast, world, settings, tmp_path):
    from django.core.management import call_command

    page = services.bulletin_create(actor=cast["supervisor"], period="2026-11", today=TODAY)
    Bulletin.objects.all().delete()
    out = tmp_path / "b.docx"
    call_command("export", "bulletin", "--period", "2026-11", "--out", str(out), stdout=io.StringIO())
    signed = [p.text for p in read(out.read_bytes()).paragraphs if p.alignment == 2]
    assert signed == [cast["supervisor"].unit.name] == [page.issuer]


def test_it_prints_the_imprint_of_an_issued_bulletin(cast, world, draft, settings):
    settings.LUOSHI = {**settings.LUOSHI, "BULLETIN_CC": "市委、市政府领导同志"}
    bulletin = services.bulletin_create(actor=cast["supervisor"], period="2026-11", today=TODAY)
    services.bulletin_issue(actor=cast["supervisor"], bulletin=bulletin, today=TODAY)
    texts = [p.text for p in read(services_docx(bulletin)).paragraphs]
    assert "抄送：市委、市政府领导同志。" in texts
    assert f"{cast['supervisor'].unit.name}\t2026年11月30日印发" in texts


def test_it_lets_a_supervisor_edit_a_draft_and_refuses_a_stale_edit(cast, draft):
    services.bulletin_update(actor=cast["supervisor"], bulletin=draft, expected_version=draft.version, title="新标题", body="第一段\n一、第二段")
    draft.refresh_from_db()
    assert draft.title == "新标题" and draft.paragraphs == ["第一段", "一、第二段"] and draft.version == 2
    with pytest.raises(Conflict):
        services.bulletin_update(actor=cast["supervisor"], bulletin=draft, expected_version=1, title="旧版本上的修改")
    with pytest.raises(LuoshiError):
        services.bulletin_update(actor=cast["supervisor"], bulletin=draft, expected_version=draft.version, title="  ")
    with pytest.raises(LuoshiError):
        services.bulletin_update(actor=cast["owner"], bulletin=draft, expected_version=draft.version, title="联络员改")
    draft.refresh_from_db()
    assert draft.title == "新标题" and draft.version == 2


def test_it_numbers_issued_bulletins_per_year_and_freezes_them(cast, world, draft):
    second = services.bulletin_create(actor=cast["supervisor"], period="2026-W48", today=TODAY)
    services.bulletin_issue(actor=cast["supervisor"], bulletin=draft, today=TODAY)
    services.bulletin_issue(actor=cast["supervisor"], bulletin=second, today=TODAY)
    assert (draft.number, second.number) == ("示范督查〔2026〕1号", "示范督查〔2026〕2号")
    assert draft.status == "issued" and draft.issued_on == TODAY and draft.issued_by == cast["supervisor"]
    with pytest.raises(LuoshiError):
        services.bulletin_update(actor=cast["supervisor"], bulletin=draft, expected_version=draft.version, title="印发后修改")
    with pytest.raises(LuoshiError):
        services.bulletin_issue(actor=cast["supervisor"], bulletin=draft, today=TODAY)
    draft.refresh_from_db()
    assert draft.number == "示范督查〔2026〕1号" and draft.title != "印发后修改"
    doc = read(services_docx(draft))
    assert any(p.text == "示范督查〔2026〕1号" for p in doc.paragraphs)
    assert any(p.text == "2026年11月30日" for p in doc.paragraphs)


def services_docx(bulletin):
    from luoshi.reports.exports import bulletin_file

    return bulletin_file(bulletin).content


def test_it_refuses_drafts_from_anyone_but_a_supervisor_and_unreadable_periods(cast, world):
    with pytest.raises(LuoshiError):
        services.bulletin_create(actor=cast["leader"], period="2026-11", today=TODAY)
    with pytest.raises(LuoshiError):
        services.bulletin_create(actor=cast["supervisor"], period="2026-13", today=TODAY)
    assert not Bulletin.objects.exists()


# --- pages and API ------------------------------------------------------------------------------

ROLES = ("owner", "member", "outsider", "leader", "supervisor")


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_drafts_only_to_supervisors_and_issued_bulletins_to_everyone(cast, world, draft, login, role):
    client = login(cast[role])
    sees_draft = role == "supervisor"
    assert client.get(f"/reports/bulletins/{draft.pk}/").status_code == (200 if sees_draft else 404)
    assert client.get(f"/reports/bulletins/{draft.pk}/docx/").status_code == (200 if sees_draft else 404)
    assert (draft.title in client.get("/reports/bulletins/").content.decode()) is sees_draft
    services.bulletin_issue(actor=cast["supervisor"], bulletin=draft, today=TODAY)
    assert client.get(f"/reports/bulletins/{draft.pk}/").status_code == 200
    response = client.get(f"/reports/bulletins/{draft.pk}/docx/")
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")


@pytest.mark.parametrize("role,status", [("owner", 404), ("leader", 404), ("supervisor", 302)])
def test_it_lets_only_supervisors_edit_a_draft_page(cast, world, draft, login, role, status):
    response = login(cast[role]).post(
        f"/reports/bulletins/{draft.pk}/", {"version": draft.version, "title": "改", "recipients": "", "body": "正文", "issuer": "督查局"}
    )
    assert response.status_code == status
    draft.refresh_from_db()
    assert (draft.title == "改") is (role == "supervisor")


def test_it_keeps_an_issued_bulletin_frozen_on_the_page(cast, world, draft, login):
    services.bulletin_issue(actor=cast["supervisor"], bulletin=draft, today=TODAY)
    client = login(cast["supervisor"])
    response = client.post(f"/reports/bulletins/{draft.pk}/", {"version": draft.version, "title": "改", "body": "x", "issuer": "x"})
    assert response.status_code == 403
    assert client.post(f"/reports/bulletins/{draft.pk}/issue/", {"version": draft.version}).status_code == 403
    page = client.get(f"/reports/bulletins/{draft.pk}/").content.decode()
    assert 'name="body"' not in page and draft.number in page


def test_it_drafts_edits_and_issues_through_the_pages(cast, world, login):
    client = login(cast["supervisor"])
    with time_machine.travel(dt.datetime(2026, 11, 30, 10, 0), tick=False):
        response = client.post("/reports/bulletins/", {"period": "2026-11"})
        bulletin = Bulletin.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/reports/bulletins/{bulletin.pk}/"
        client.post(f"/reports/bulletins/{bulletin.pk}/", {"version": 1, "title": "改后的标题", "recipients": "各单位：", "body": "一段", "issuer": "督查局"})
        stale = client.post(f"/reports/bulletins/{bulletin.pk}/", {"version": 1, "title": "过期表单", "body": "x", "issuer": "x"})
        assert "已被他人修改" in stale.content.decode() and "过期表单" in stale.content.decode()  # kept what was typed
        client.post(f"/reports/bulletins/{bulletin.pk}/issue/", {"version": 2})
    bulletin.refresh_from_db()
    assert (bulletin.title, bulletin.status, bulletin.number) == ("改后的标题", "issued", "示范督查〔2026〕1号")


def test_it_answers_a_bad_period_with_a_message_and_creates_nothing(cast, login):
    response = login(cast["supervisor"]).post("/reports/bulletins/", {"period": "明年"}, follow=True)
    assert "无法识别的期间" in response.content.decode()
    assert not Bulletin.objects.exists()
    assert login(cast["leader"]).post("/reports/bulletins/", {"period": "2026-11"}).status_code == 403


def test_it_runs_the_bulletin_workflow_over_the_api(cast, world, client):
    from luoshi.api.services import token_create

    _r, token = token_create(user=cast["supervisor"], name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    created = client.post("/api/reports/bulletins", {"period": "2026-11"}, content_type="application/json", **auth)
    assert created.status_code == 201
    pk, version = created.json()["id"], created.json()["version"]
    edited = client.patch(f"/api/reports/bulletins/{pk}", {"expected_version": version, "title": "接口改"}, content_type="application/json", **auth)
    assert edited.status_code == 200 and edited.json()["title"] == "接口改"
    stale = client.patch(f"/api/reports/bulletins/{pk}", {"expected_version": version, "title": "旧"}, content_type="application/json", **auth)
    assert stale.status_code == 409
    issued = client.post(f"/api/reports/bulletins/{pk}/issue", {"expected_version": version + 1}, content_type="application/json", **auth)
    assert issued.status_code == 200 and issued.json()["number"].endswith("1号")
    _r, liaison = token_create(user=cast["owner"], name="t")
    bad = client.post("/api/reports/bulletins", {"period": "2026-11"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {liaison}")
    assert bad.status_code == 403


# --- as LibreOffice prints it -------------------------------------------------------------------

SOFFICE, PDFTOTEXT = shutil.which("soffice"), shutil.which("pdftotext")
needs_office = pytest.mark.skipif(not (SOFFICE and PDFTOTEXT), reason="LibreOffice and pdftotext are not installed")


def printed_pages(content: bytes, tmp_path) -> list[list[str]]:
    """The .docx converted to PDF by LibreOffice, as pdftotext lays out its text: lines per page."""
    source = tmp_path / "bulletin.docx"
    source.write_bytes(content)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(tmp_path / "bulletin.pdf"), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f")]


@needs_office
def test_it_prints_28_characters_a_line_and_22_lines_a_page_in_libreoffice(tmp_path):
    # 40 full lines of one character: after the two-character indent the first line holds 26.
    body = "落" * (26 + 28 * 40)
    spec = layout.BulletinDocument(title="关于测试排版的通报", paragraphs=[body], issuer="示范市督查局", date_text="2026年11月30日")
    pages = printed_pages(layout.render_docx(spec), tmp_path)
    body_lines = [[line for line in page if set(line) == {"落"}] for page in pages]
    widths = {len(line) for page in body_lines for line in page}
    assert widths == {26, 28}
    # The second page is body text from top to bottom.
    assert len(body_lines[1]) == 22


@needs_office
def test_it_prints_the_imprint_with_cc_printer_and_date_in_libreoffice(tmp_path):
    spec = layout.BulletinDocument(
        title="关于测试版记的通报", paragraphs=["正文。"], issuer="示范市督查局", date_text="2026年11月30日",
        cc="市委、市政府领导同志", printer="示范市督查局", print_date_text="2026年11月30日印发",
    )
    last = printed_pages(layout.render_docx(spec), tmp_path)[0]
    assert "抄送：市委、市政府领导同志。" in last
    imprint = next(line for line in last if line.startswith("示范市督查局") and line.endswith("印发"))
    printer, date = imprint.split(maxsplit=1)  # pdftotext spaces digits from Chinese characters
    assert printer == "示范市督查局" and date.replace(" ", "") == "2026年11月30日印发"
