"""``luoshi parse FILE [--date YYYY-MM-DD] [--json] [--xlsx OUT.xlsx]``: draft the task decomposition
of a directive from the shell.

Needs no database and no SECRET_KEY (``requires_system_checks = []``; nothing here touches the
ORM): units are those the text names (generic forms and names as written), plus an office's directory
given with ``--units FILE`` (one unit a line: full name, then its aliases). ``--json`` prints
``ParseResult.to_dict()``: ``{"outline": [{"level", "label", "text", "start", "end", …}],
"tasks": [{"title", "text", "measures", "start", "end", "section", "units", "lead_unit",
"deadline", "deadline_text", …}]}`` with offsets into the text as read.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

import datetime as dt
import json as _json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi.directives.documents import DocumentError, read_document
from luoshi.directives.parsing import ParseError, ParseResult, UnitName, parse, read_text
from luoshi.directives.services import section_paths
from luoshi.directives.table import Row, workbook


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("--date 应为 YYYY-MM-DD 格式的日期，而不是“%(value)s”。") % {"value": value})


_UNIT_SEP = re.compile(r"\t+|[，,、；;｜|/]+|\s{1,}")


def read_units(path: Path) -> list[UnitName]:
    """An office's unit directory as a text file (UTF-8 or GB18030): one unit a line, its full name
    first and then its aliases, separated by tabs, commas, 、, ；, | or spaces; blank lines and lines
    starting with # are ignored."""
    try:
        text = read_text(path.read_bytes())
    except OSError as exc:
        raise CommandError(_("无法读取单位目录 %(file)s：%(error)s") % {"file": path, "error": exc.strerror or exc})
    except ParseError as exc:
        raise CommandError(_("单位目录 %(file)s：%(error)s") % {"file": path, "error": exc})
    units: list[UnitName] = []
    for line in text.splitlines():
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        names = [n for n in _UNIT_SEP.split(line) if n]
        if names:
            units.append(UnitName(names[0], tuple(dict.fromkeys(n for n in names[1:] if n != names[0]))))
    if not units:
        raise CommandError(_("单位目录 %(file)s 中没有单位：每行写一个单位名称，其后可跟简称或别名。") % {"file": path})
    return units


def table_rows(result: ParseResult):
    paths = section_paths(result)
    for cand in result.tasks:
        yield Row(
            title=cand.title,
            measures=cand.measures,
            lead_leader=cand.lead_leader or "",
            lead_unit=cand.lead_unit or "",
            co_units=[u for u in cand.units if u != cand.lead_unit],
            deadline=cand.deadline,
            deadline_text=cand.deadline_text or "",
            section=paths[cand.section] if cand.section is not None and cand.section < len(paths) else "",
            start=cand.start,
            end=cand.end,
        )


class Command(BaseCommand):
    help = "解析讲话/纪要/报告文本，输出提纲与候选任务（无需数据库）。"
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("file", help=_(".txt (UTF-8 / GB18030) 或 .docx 文件"))
        parser.add_argument("--date", help=_("讲话/印发日期 YYYY-MM-DD，相对时限据此推算"))
        parser.add_argument("--json", action="store_true", help=_("输出 JSON"))
        parser.add_argument("--xlsx", metavar="OUT.xlsx", help=_("同时写出任务分解表 .xlsx"))
        parser.add_argument(
            "--units", metavar="FILE", help=_("单位目录文件：每行一个单位，先写全称，再写简称或别名（制表符、逗号、顿号或空格分隔）")
        )

    def handle(self, *args, file: str, date: str | None, json: bool, xlsx: str | None, units: str | None = None, **options):
        issued = _date(date) if date else None
        directory = read_units(Path(units)) if units else []
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("无法读取文件 %(file)s：%(error)s") % {"file": file, "error": exc.strerror or exc})
        try:
            text = read_document(path.name, data)
            result = parse(text, issued=issued, units=directory)
        except (DocumentError, ParseError) as exc:
            raise CommandError(str(exc))
        if xlsx:
            self.write_xlsx(result, Path(xlsx), source=path.name, issued=issued)
        if json:
            self.stdout.write(_json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
        else:
            self.print_table(result)
        if xlsx:
            self.stderr.write(_("任务分解表已写入 %(file)s（%(n)d 行）") % {"file": xlsx, "n": len(result.tasks)})

    def write_xlsx(self, result: ParseResult, out: Path, *, source: str, issued: dt.date | None) -> None:
        subtitle = _("来源：%(source)s") % {"source": source} + (f"（{issued.isoformat()}）" if issued else "")
        try:
            out.write_bytes(workbook(title=_("任务分解表"), subtitle=subtitle, rows=table_rows(result)))
        except OSError as exc:
            raise CommandError(_("无法写入 %(file)s：%(error)s") % {"file": out, "error": exc.strerror or exc})

    def print_table(self, result: ParseResult) -> None:
        self.stdout.write(_("提纲 %(outline)d 项，候选任务 %(tasks)d 条") % {"outline": len(result.outline), "tasks": len(result.tasks)})
        found = result.detected_date
        if found is not None:
            own = found.date.isoformat() if found.date else (_("%(year)s年") % {"year": found.year} if found.year else "")
            line = _("文中日期：%(date)s（%(evidence)s）") % {"date": own, "evidence": found.text}
            if result.date_mismatch:
                line += " " + _("与确认的日期 %(issued)s 不一致，请核对") % {"issued": result.issued.isoformat()}
            self.stdout.write(line)
        self.stdout.write("")
        for item in result.outline:
            self.stdout.write(f"{'  ' * (item.level - 1)}{item.label or '·'} {item.text[:40]}")
        self.stdout.write("")
        for number, cand in enumerate(result.tasks, start=1):
            units = "、".join(cand.units) or "—"
            due = cand.deadline.isoformat() if cand.deadline else (cand.deadline_text or "—")
            lead = " " + _("牵头：%(unit)s") % {"unit": cand.lead_unit} if cand.lead_unit else ""
            if cand.mentioned_units:
                lead += " " + _("提及：%(units)s") % {"units": "、".join(cand.mentioned_units)}
            self.stdout.write(f"{number:>3}. {cand.title}  [{units}]{lead}  " + _("时限：%(due)s") % {"due": due} + f"  @{cand.start}-{cand.end}")

