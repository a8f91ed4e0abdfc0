"""``luoshi benchmark FILE [--period P] [--json] [--tier-size 6]``: score an observation file.

Uses no database (``requires_system_checks = []``, nothing touches the ORM). The work is done by
:func:`build_report` / :func:`render_table` (pure) so it can be tested without Django settings;
:func:`run` runs the command class in-process and returns ``(exit_code, stdout, stderr)``.

JSON output (``--json``)::

    {"periods": [{"period": str,
                  "entities": [{"entity": str, "composite": float|null, "rank": int|null,
                                "tier": int|null,
                                "indicators": {CODE: {"value": float|null, "score": float|null,
                                                      "rank": int|null, "tier": int|null}},
                                "flags": [{"kind", "indicator", "reason"}]}]}],
     "indicators": [{"code", "name", "direction", "weight", "unit"}],
     "warnings": [str]}

Entities are listed by composite rank (None last). Floats are full precision.
"""

from __future__ import annotations

import io
import json
import unicodedata

from django.core.management.base import BaseCommand, CommandError

from luoshi.indicators.scoring import PeriodResult, flags_by_entity, score_all
from luoshi.indicators.tabular import format_errors, read_observations


def build_report(results: dict[str, PeriodResult], periods: list[str], *, warnings: list[str] = (),
                 flag_options: dict | None = None) -> dict:
    """The JSON-able report for the selected ``periods`` (flags use the full history)."""
    out_periods = []
    specs = {}
    for p in periods:
        pr = results[p]
        specs.update(pr.specs)
        flags = flags_by_entity(results, period=p, **(flag_options or {}))
        ents = []
        for e in pr.entities:
            ents.append({
                "entity": e.entity,
                "composite": e.composite,
                "rank": e.rank,
                "tier": e.tier,
                "indicators": {
                    code: {"value": c.value, "score": c.score, "rank": c.rank, "tier": c.tier}
                    for code, c in e.indicators.items()
                },
                "flags": [{"kind": f.kind, "indicator": f.indicator, "reason": f.reason}
                          for f in flags.get(e.entity, [])],
            })
        out_periods.append({"period": p, "entities": ents})
    return {
        "periods": out_periods,
        "indicators": [{"code": s.code, "name": s.name, "direction": s.direction, "weight": s.weight,
                        "unit": s.unit} for s in specs.values()],
        "warnings": list(warnings),
    }


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, w: int, right: bool = False) -> str:
    fill = " " * max(0, w - _width(s))
    return fill + s if right else s + fill


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max([_width(h)] + [_width(r[j]) for r in rows]) for j, h in enumerate(header)]
    lines = ["  ".join(_pad(h, widths[j], j in right) for j, h in enumerate(header)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(_pad(c, widths[j], j in right) for j, c in enumerate(r)).rstrip())
    return lines


def render_table(report: dict) -> str:
    """A readable Chinese table per period: composite ranking, then each indicator's rank
    (score); "—" marks missing data (never 0)."""
    lines: list[str] = []
    codes = [i["code"] for i in report["indicators"]]
    for per in report["periods"]:
        lines.append(f"【{per['period']}】 共{len(per['entities'])}个主体")
        header = ["排名", "方阵", "主体", "综合得分"] + codes
        rows = []
        for e in per["entities"]:
            row = [
                "—" if e["rank"] is None else str(e["rank"]),
                "—" if e["tier"] is None else f"第{e['tier']}方阵",
                e["entity"],
                "—" if e["composite"] is None else f"{e['composite']:.2f}",
            ]
            for code in codes:
                c = e["indicators"].get(code)
                if c is None or (c["rank"] is None and c["score"] is None):
                    row.append("—")
                else:
                    r = "—" if c["rank"] is None else f"第{c['rank']}"
                    s = "" if c["score"] is None else f"({c['score']:.1f})"
                    row.append(r + s)
            rows.append(row)
        lines += _table(header, rows, {0, 3})
        flagged = [(e["entity"], f) for e in per["entities"] for f in e["flags"]]
        if flagged:
            lines.append("")
            lines.append("提示：")
            for ent, f in flagged:
                lines.append(f"  {ent} · {f['indicator'] or '综合排名'}：{f['reason']}")
        lines.append("")
    named = [i for i in report["indicators"] if i["name"] or i["unit"]]
    if named:
        lines.append("指标：" + "；".join(
            f"{i['code']}={i['name'] or i['code']}（{'越低越好' if i['direction'] == 'lower' else '越高越好'}"
            + (f"，{i['unit']}" if i["unit"] else "") + "）" for i in named))
    for w in report["warnings"]:
        lines.append(f"注意：{w}")
    return "\n".join(lines).rstrip() + "\n"


class Command(BaseCommand):
    help = "对标计分：读取观测值文件（.csv/.xlsx），按前沿距离法计算得分、排名和方阵（不使用数据库）"
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="观测值文件（长表 .csv/.xlsx，或每期一个工作表的宽表 .xlsx）")
        parser.add_argument("--period", action="append", default=None,
                            help="只输出该期间（可重复）；默认全部期间")
        parser.add_argument("--json", action="store_true", help="输出JSON")
        parser.add_argument("--tier-size", type=int, default=6, help="每个方阵的名次数（默认6）")
        parser.add_argument("--weak-rank", type=int, default=10, help="排名落后阈值（默认10）")
        parser.add_argument("--layout", choices=("auto", "long", "wide"), default="auto")

    def handle(self, *args, **options):
        path = options["file"]
        if options["tier_size"] < 1:
            raise CommandError("--tier-size 必须是正整数")
        if options["weak_rank"] < 1:
            raise CommandError("--weak-rank 必须是正整数")
        try:
            imported = read_observations(path, layout=options["layout"])
        except OSError as exc:
            raise CommandError(f"无法打开文件 {path}：{exc.strerror or exc}") from exc
        if imported.errors:
            self.stderr.write(f"文件 {path} 有错误，未计分：")
            self.stderr.write(format_errors(imported.errors))
            raise CommandError(f"共{len(imported.errors)}处错误")
        results = score_all(imported.observations, imported.specs, tier_size=options["tier_size"])
        periods = list(results)
        if options["period"]:
            unknown = [p for p in options["period"] if p not in results]
            if unknown:
                raise CommandError(f"文件中没有期间：{'、'.join(unknown)}（有：{'、'.join(periods)}）")
            periods = list(dict.fromkeys(options["period"]))
        for w in imported.warnings:
            self.stderr.write(f"注意：{w}")
        report = build_report(results, periods, warnings=imported.warnings,
                              flag_options={"weak_rank": options["weak_rank"]})
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, allow_nan=False))
        else:
            self.stdout.write(render_table(report), ending="")


def run(argv: list[str]) -> tuple[int, str, str]:
    """Run the command in-process without Django settings or a database:
    ``run(["data.csv", "--json"])`` → ``(exit_code, stdout, stderr)``."""
    out, err = io.StringIO(), io.StringIO()
    cmd = Command(stdout=out, stderr=err, no_color=True)
    parser = cmd.create_parser("luoshi", "benchmark")
    try:
        options = vars(parser.parse_args(argv))
    except SystemExit as exc:  # argparse usage errors
        return (exc.code if isinstance(exc.code, int) else 2), out.getvalue(), err.getvalue()
    except CommandError as exc:
        err.write(f"{exc}\n")
        return exc.returncode, out.getvalue(), err.getvalue()
    args = options.pop("args", ())
    options.update(stdout=out, stderr=err, no_color=True)
    try:
        cmd.execute(*args, **options)
    except CommandError as exc:
        err.write(f"CommandError: {exc}\n")
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()
