"""督查通报 as a .docx laid out by GB/T 9704-2012 《党政机关公文格式》. No database: a
`BulletinDocument` in, the file's bytes out.

What the standard fixes and where it is set here:

* A4 (210 × 297 mm); 天头 37 mm, 订口 28 mm, so with the 156 × 225 mm 版心 the bottom margin is
  35 mm and the right one 26 mm (`MARGINS_MM`).
* 正文 in 仿宋_GB2312 三号 (16 pt); 22 lines of 28 characters to the page. The line grid (type
  "lines", pitch 225 mm / 22 = 28.95 pt = 579 twips) and an exact line spacing of 28.95 pt on every
  paragraph give 22 lines. The 28 characters come from character spacing, not from a character
  grid: 156 mm / 28 = 15.79 pt a character, so every run is condensed by 0.25 pt (16 − 0.25 = 15.75,
  28 fit in 441 pt of the 442.2 pt line, 29 do not). A character grid ("linesAndChars" with
  charSpace −849) is what Word alone honours: LibreOffice and WPS give each 16 pt character two
  15.79 pt grid cells and set 14 characters a line.
* 标题 in 方正小标宋简体 二号 (22 pt), centred; 一级标题 (一、) in 黑体, 二级标题 （一） in
  楷体_GB2312, 三级标题 1. in 仿宋 bold, each only for its first sentence.
* 发文机关标志 in red 小标宋, 发文字号 centred under it (示范督查〔2026〕5号), then the red separator
  line the width of the 版心.
* 版记 at the end: 抄送 and 印发机关/印发日期 in 四号 仿宋, each one character in from the edges,
  between a thick first and last rule (0.35 mm) with a thin one (0.25 mm) between them.
* 页码 in 四号 (14 pt) 宋体 Arabic numerals between 一字线: "— 1 —", odd pages on the right and even
  pages on the left, each one character in from the edge of the 版心 (odd and even footers).

Fonts are named for both Latin and East Asian text (w:rFonts ascii/hAnsi/eastAsia), because Word
picks the font for Chinese characters from eastAsia alone.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_MM = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"], PAGE_MM[1] - MARGINS_MM["top"] - MARGINS_MM["bottom"])
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

BODY_FONT = "仿宋_GB2312"
BODY_PT = 16  # 三号
TITLE_FONT = "方正小标宋简体"
TITLE_PT = 22  # 二号
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
PAGE_NUMBER_PT = 14  # 四号
MARK_PT = 36
RED = "FF0000"
EM_DASH = "\u2014"

_PT_PER_MM = 72 / 25.4
LINE_PITCH_TWIPS = int(TEXT_MM[1] * _PT_PER_MM * 20 / LINES_PER_PAGE)  # 579
LINE_PITCH_PT = LINE_PITCH_TWIPS / 20  # 28.95
# Condense every run by a whole number of twips: the largest that still leaves 28 characters.
CHAR_SPACING_TWIPS = -5  # −0.25 pt
NOTE_PT = 14  # 四号, the 版记

HEADING1 = re.compile(r"^[一二三四五六七八九十]+、")
HEADING2 = re.compile(r"^（[一二三四五六七八九十]+）")
HEADING3 = re.compile(r"^\d+[.．]")


def paragraph_level(text: str) -> str:
    if HEADING1.match(text):
        return "h1"
    if HEADING2.match(text):
        return "h2"
    if HEADING3.match(text):
        return "h3"
    return ""


@dataclass
class BulletinDocument:
    title: str
    paragraphs: Sequence[str]
    number: str = ""
    recipients: str = ""
    issuer: str = ""
    date_text: str = ""
    mark: str = "督查通报"
    draft: bool = False
    draft_number: str = "（草稿，印发时编号）"
    cc: str = ""  # 抄送
    printer: str = ""  # 印发机关
    print_date_text: str = ""  # 印发日期, e.g. 2026年11月30日印发
    extra: dict = field(default_factory=dict)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def set_font(run, name: str, size_pt: float, *, bold: bool = False, color: str | None = None) -> None:
    from docx.shared import Pt, RGBColor

    run.font.name = name  # ascii and hAnsi
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(_qn("w:eastAsia"), name)
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    _condense(rpr)


def _condense(rpr) -> None:
    from docx.oxml import OxmlElement

    spacing = rpr.find(_qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        # CT_RPr's sequence: w:spacing comes before w:w, w:kern, w:position and the sizes.
        later = {_qn(t) for t in ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
                                   "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
                                   "w:eastAsianLayout", "w:specVanish", "w:oMath")}
        anchor = next((child for child in rpr if child.tag in later), None)
        if anchor is not None:
            anchor.addprevious(spacing)
        else:
            rpr.append(spacing)
    spacing.set(_qn("w:val"), str(CHAR_SPACING_TWIPS))


def _exact_spacing(paragraph, *, first_line_chars: int = 0) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    if first_line_chars:
        fmt.first_line_indent = Pt(BODY_PT * first_line_chars)
        # Word prefers the indent in characters (hundredths), which follows the character grid.
        paragraph._p.get_or_add_pPr().find(_qn("w:ind")).set(_qn("w:firstLineChars"), str(100 * first_line_chars))


def _blank(doc) -> None:
    _exact_spacing(doc.add_paragraph())


def _styles(doc) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(_qn("w:eastAsia"), BODY_FONT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False  # widow control would leave pages short of 22 lines
    _condense(normal.element.get_or_add_rPr())


def _section(doc) -> None:
    from docx.oxml import OxmlElement
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    # The page number's dash sits about 7 mm below the 版心 (35 mm − 7 mm − one 四号 line).
    section.footer_distance = Mm(23)
    sect_pr = section._sectPr
    grid = sect_pr.find(_qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(_qn("w:type"), "lines")
    grid.set(_qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.attrib.pop(_qn("w:charSpace"), None)


def _page_number(paragraph) -> None:
    from docx.oxml import OxmlElement

    def run(text: str = ""):
        r = paragraph.add_run(text)
        set_font(r, PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
        return r

    run(f"{EM_DASH} ")
    begin, instr, separate, end = (OxmlElement(tag) for tag in ("w:fldChar", "w:instrText", "w:fldChar", "w:fldChar"))
    begin.set(_qn("w:fldCharType"), "begin")
    instr.set(_qn("xml:space"), "preserve")
    instr.text = " PAGE "
    separate.set(_qn("w:fldCharType"), "separate")
    end.set(_qn("w:fldCharType"), "end")
    run()._element.append(begin)
    run()._element.append(instr)
    run()._element.append(separate)
    run("1")
    run()._element.append(end)
    run(f" {EM_DASH}")


def _footers(doc) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        # 单页码居右空一字，双页码居左空一字.
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = Pt(PAGE_NUMBER_PT)
        else:
            fmt.left_indent = Pt(PAGE_NUMBER_PT)
        _page_number(paragraph)


def _body_paragraph(doc, text: str) -> None:
    """One paragraph of the body, its heading (if any) set in the heading's font up to the first
    full stop, the rest in 仿宋."""
    paragraph = doc.add_paragraph()
    _exact_spacing(paragraph, first_line_chars=2)
    font, bold = None, False
    if HEADING1.match(text):
        font = HEADING1_FONT
    elif HEADING2.match(text):
        font = HEADING2_FONT
    elif HEADING3.match(text):
        font, bold = BODY_FONT, True
    if font:
        stop = text.find("。")
        head, rest = (text, "") if stop < 0 else (text[: stop + 1], text[stop + 1 :])
        set_font(paragraph.add_run(head), font, BODY_PT, bold=bold)
        if rest:
            set_font(paragraph.add_run(rest), BODY_FONT, BODY_PT)
    else:
        set_font(paragraph.add_run(text), BODY_FONT, BODY_PT)


def _separator(paragraph, *, edges=(("w:bottom", 12, 11),), color: str = RED) -> None:
    """Rules above or below a paragraph: (edge, width in eighths of a point, space in points)."""
    from docx.oxml import OxmlElement

    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for edge, size, space in edges:
        rule = OxmlElement(edge)
        for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", str(space)), ("w:color", color)):
            rule.set(_qn(key), value)
        borders.append(rule)
    # pBdr must come before spacing/ind/jc in CT_PPr's sequence.
    anchor = next((child for child in ppr if child.tag in {_qn("w:spacing"), _qn("w:ind"), _qn("w:jc")}), None)
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        ppr.append(borders)


# 版记 rules: 0.35 mm is 8 eighths of a point (1 pt ≈ 0.353 mm), 0.25 mm about 6.
THICK_RULE, THIN_RULE = 8, 6


def _note_paragraph(doc, *, edges):
    from docx.shared import Pt

    paragraph = doc.add_paragraph()
    _exact_spacing(paragraph)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Pt(NOTE_PT)
    _separator(paragraph, edges=edges, color="000000")
    return paragraph


def _imprint(doc, doc_spec: BulletinDocument) -> None:
    """版记: 抄送 between the thick first rule and a thin one, then 印发机关 on the left and
    印发日期 on the right above the thick last rule."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Pt

    if not (doc_spec.cc or doc_spec.printer or doc_spec.print_date_text):
        return
    _blank(doc)
    if doc_spec.cc:
        cc = _note_paragraph(doc, edges=(("w:top", THICK_RULE, 1), ("w:bottom", THIN_RULE, 1)))
        set_font(cc.add_run(f"抄送：{doc_spec.cc.rstrip('。')}。"), BODY_FONT, NOTE_PT)
        top = ()
    else:
        top = (("w:top", THICK_RULE, 1),)
    printed = _note_paragraph(doc, edges=(*top, ("w:bottom", THICK_RULE, 1)))
    width_pt = TEXT_MM[0] * _PT_PER_MM - 2 * NOTE_PT
    printed.paragraph_format.tab_stops.add_tab_stop(Pt(width_pt), WD_TAB_ALIGNMENT.RIGHT)
    set_font(printed.add_run(f"{doc_spec.printer}\t{doc_spec.print_date_text}"), BODY_FONT, NOTE_PT)


def render_docx(doc_spec: BulletinDocument) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    doc = Document()
    _styles(doc)
    _section(doc)
    _footers(doc)
    doc.core_properties.title = doc_spec.title
    doc.core_properties.author = doc_spec.issuer

    # 版头: 发文机关标志, 发文字号, red line.
    mark = doc.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    mark.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    mark.paragraph_format.space_before = mark.paragraph_format.space_after = Pt(0)
    set_font(mark.add_run(doc_spec.mark), TITLE_FONT, MARK_PT, color=RED)
    _blank(doc)
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact_spacing(number)
    set_font(number.add_run(doc_spec.number or (doc_spec.draft_number if doc_spec.draft else "")), BODY_FONT, BODY_PT)
    _separator(number)
    _blank(doc)
    _blank(doc)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact_spacing(title)
    set_font(title.add_run(doc_spec.title), TITLE_FONT, TITLE_PT)
    _blank(doc)

    if doc_spec.recipients:
        recipients = doc.add_paragraph()
        _exact_spacing(recipients)
        set_font(recipients.add_run(doc_spec.recipients), BODY_FONT, BODY_PT)
    for text in doc_spec.paragraphs:
        text = text.strip()
        if text:
            _body_paragraph(doc, text)

    if doc_spec.issuer or doc_spec.date_text:
        _blank(doc)
        _blank(doc)
        for text, chars_from_right in ((doc_spec.issuer, 4), (doc_spec.date_text, 2)):
            if not text:
                continue
            paragraph = doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _exact_spacing(paragraph)
            paragraph.paragraph_format.right_indent = Pt(BODY_PT * chars_from_right)
            set_font(paragraph.add_run(text), BODY_FONT, BODY_PT)

    _imprint(doc, doc_spec)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
