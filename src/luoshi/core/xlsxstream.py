"""An .xlsx written as it is sent: the sheet's rows go into the zip as they come, and the zip's
bytes leave as soon as they exist, so a download of 20,000 rows starts at once and memory stays
flat whatever the number of rows.

XlsxWriter (even in constant_memory mode) and openpyxl's write-only mode both need the whole file
on disk before the zip can be read back. A zip does not: written to a stream that cannot seek,
`zipfile` puts each member's sizes in a descriptor after its data. The workbook is the smallest
one Excel, WPS and LibreOffice open without repair: one sheet, a bold frozen header, column widths,
dates as dates. Text goes in as inline strings, never as formulas, so a cell that begins with "="
stays the text it was.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

# Characters XML 1.0 cannot carry; Excel refuses a file that has them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Style 0 plain, 1 the header (bold, grey fill, thin border), 2 a date (yyyy-mm-dd).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFF2F2F2"/><bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>'
    '<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def sheet_name(title: str) -> str:
    """A name Excel accepts: none of []:*?/\\, not blank, at most 31 characters."""
    name = _SHEET_NAME_BAD.sub(" ", _NOT_XML.sub("", title)).strip().strip("'")[:31]
    return name or "Sheet1"


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _attribute(value: str) -> str:
    # The sheet name sits in a double-quoted attribute, where a " would end it.
    return escape(_NOT_XML.sub("", value), {'"': "&quot;"})


def _cell(ref: str, value, style: int = 0) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    styled = f' s="{style}"' if style else ""
    if isinstance(value, float) and not math.isfinite(value):
        value = str(value)
    elif isinstance(value, (int, float, Decimal)):
        return f'<c r="{ref}"{styled}><v>{value}</v></c>'
    if isinstance(value, dt.date):
        moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
        serial = (moment.replace(tzinfo=None) - _EXCEL_EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="2"><v>{serial!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"{styled}><is><t xml:space="preserve">{_text(str(value))}</t></is></c>'


def _row(number: int, values: Sequence, style: int = 0) -> str:
    cells = "".join(_cell(f"{_column(col)}{number}", value, style) for col, value in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


class _Pipe:
    """The unseekable file zipfile writes into; what it wrote is taken out in pieces."""

    def __init__(self):
        self.pieces: list[bytes] = []

    def write(self, data) -> int:
        self.pieces.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.pieces = b"".join(self.pieces), []
        return data


def xlsx_stream(title: str, header: Sequence[str], rows: Iterable[Sequence], widths: Sequence[float] = (), batch: int = 200) -> Iterator[bytes]:
    """The workbook's bytes, the header's before the first row is read."""
    pipe = _Pipe()
    book = zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_DEFLATED, compresslevel=5)
    for name, body in (
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _ROOT_RELS),
        ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
        ("xl/styles.xml", _STYLES),
        (
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{_attribute(sheet_name(title))}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        ),
    ):
        book.writestr(name, body)
    columns = "".join(
        f'<col min="{col}" max="{col}" width="{width}" customWidth="1"/>' for col, width in enumerate(widths, start=1)
    )
    with book.open("xl/worksheets/sheet1.xml", mode="w") as sheet:
        sheet.write(
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                "</sheetView></sheetViews>"
                + (f"<cols>{columns}</cols>" if columns else "")
                + "<sheetData>"
                + _row(1, header, style=1)
            ).encode()
        )
        yield pipe.take()
        pending: list[str] = []
        for number, values in enumerate(rows, start=2):
            pending.append(_row(number, values))
            if len(pending) >= batch:
                sheet.write("".join(pending).encode())
                pending = []
                # Deflate holds back what it has not compressed yet; what it has is sent now.
                if data := pipe.take():
                    yield data
        sheet.write(("".join(pending) + "</sheetData></worksheet>").encode())
    book.close()
    yield pipe.take()
