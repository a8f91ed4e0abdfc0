"""Time limits on documents nobody had tuned to: each batch of fresh dev documents as it was found, with the
parser of its time, against the parser of now.

    python eval/parser/fresh_deadlines.py [--json] [-v] [--batch REV]

The batches and their commits are those of ``fresh_rules.py`` (documents labelled and committed before the parser
of that commit was run on them); the old parser is built as ``fresh_owners.py`` builds it: the code of that commit
with the action model of the commit before it, which was never trained on the batch. For each batch and parser
it prints

* ``rows``: labelled rows that carry a dated limit, and how many of them a candidate matched;
* ``deadline``: matched rows whose date is right, as ``luoshi parse-eval`` scores it (correct / matched);
* ``extra``: matched rows whose label sets no limit at all (no date and no words) but whose candidate carries a
  date — a limit read where the document sets none (a cadence, a title's years, a past date, a duration).

The first column is the figure to expect on an office's next document; the second is what tuning on a batch is
worth there and measures no change made after the batch was tuned on. ``--dev`` adds every dev document with the
parser of now. ``-v`` lists every wrong, missed or extra limit. Test documents are not read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fresh_owners import old_parser  # noqa: E402
from fresh_rules import BATCHES  # noqa: E402

from luoshi.directives.parsing import parser as P  # noqa: E402
from luoshi.directives.parsing.evaluate import _match, find_repo_root, resolve_document  # noqa: E402
from luoshi.directives.parsing.model import UnitName  # noqa: E402
from luoshi.directives.parsing.segment import segment  # noqa: E402
from luoshi.directives.parsing.textio import read_text  # noqa: E402
from luoshi.directives.parsing.train import dev_specs  # noqa: E402


def score(path: Path, repo_root: Path, parse) -> tuple[dict, list[str]]:
    """Deadline counts of one labelled document, matched one-to-one as ``evaluate`` matches rows."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    text = read_text(resolve_document(spec["document"], repo_root).read_bytes())
    issued = dt.date.fromisoformat(spec["issued"]) if spec.get("issued") else None
    directory = [UnitName(u["name"], tuple(u.get("aliases", ()))) for u in spec.get("directory", [])]
    try:
        cands = parse(text, issued=issued, units=directory).tasks
    except Exception as exc:  # noqa: BLE001 - an old parser that refuses a document scores it as unread
        cands = []
        print(f"{path.stem}: {type(exc).__name__}", file=sys.stderr)
    tasks = spec.get("tasks", [])
    cover = []
    for t in tasks:
        key, occ, pos = t["key"], [], text.find(t["key"])
        while pos >= 0:
            occ.append(pos)
            pos = text.find(key, pos + 1)
        hits = [ci for ci, c in enumerate(cands) if any(c.start <= o and o + len(key) <= c.end for o in occ)]
        hits.sort(key=lambda ci: cands[ci].end - cands[ci].start)
        cover.append(hits)
    pairs = _match(cover, len(cands))
    n = {"rows": 0, "matched": 0, "ok": 0, "extra": 0, "free": 0}
    notes = []
    for li, t in enumerate(tasks):
        c = cands[pairs[li]] if li in pairs else None
        if t.get("deadline"):
            n["rows"] += 1
            if c is None:
                notes.append(f"unmatched  {t['deadline_text'] or ''} {t['deadline']}  | {t['key']}")
                continue
            n["matched"] += 1
            got = c.deadline.isoformat() if c.deadline else None
            if got == t["deadline"]:
                n["ok"] += 1
            else:
                notes.append(f"wrong      want {t.get('deadline_text') or ''} {t['deadline']} got "
                             f"{c.deadline_text} {got}  | {t['key']}")
        elif c is not None and not t.get("deadline_text"):
            n["free"] += 1
            if c.deadline is not None:
                n["extra"] += 1
                notes.append(f"extra      got {c.deadline_text} {c.deadline}  | {t['key']}")
    return n, [f"{path.stem}: {x}" for x in notes]


def _add(a: dict, b: dict) -> dict:
    return {k: a.get(k, 0) + b[k] for k in b}


def _line(name: str, x: dict) -> str:
    pct = f"{100 * x['ok'] / x['matched']:5.1f}%" if x["matched"] else "     —"
    return (f"  {name:10s} rows {x['rows']:3d} matched {x['matched']:3d} deadline {x['ok']:3d}/{x['matched']:<3d} {pct}"
            f"  extra {x['extra']:2d}/{x['free']:<4d}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the wrong, missed and extra limits")
    ap.add_argument("--batch", action="append", help="only this batch (its commit); may repeat")
    ap.add_argument("--now-only", action="store_true", help="only the parser of now (faster)")
    ap.add_argument("--dev", action="store_true", help="also every dev document with the parser of now (all tuned on)")
    args = ap.parse_args(argv)
    repo_root = find_repo_root()
    segment("预热")
    specs = {n: p for n, _s, p in dev_specs(repo_root)}
    report: dict = {}
    pooled: dict = {}
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for rev, names in BATCHES:
            if args.batch and rev not in args.batch:
                continue
            runs = {"now": P.parse} if args.now_only else {"as found": old_parser(repo_root, rev, Path(tmp)),
                                                           "now": P.parse}
            report[rev] = {}
            for key, parse in runs.items():
                acc: dict = {}
                for name in names:
                    if name not in specs:
                        continue
                    n, errs = score(Path(specs[name]), repo_root, parse)
                    acc = _add(acc, n)
                    notes += [f"[{key}] {rev} {e}" for e in errs]
                report[rev][key] = acc
                pooled[key] = _add(pooled.get(key, {}), acc)
    report["all"] = pooled
    if args.dev:
        acc = {}
        for name, path in specs.items():
            n, errs = score(Path(path), repo_root, P.parse)
            acc = _add(acc, n)
            notes += [f"[dev] {e}" for e in errs]
        report["dev"] = {"now": acc}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for rev, r in report.items():
        print({"all": "all batches", "dev": "every dev document"}.get(rev, f"batch first run with the parser of {rev}"))
        for key, x in r.items():
            print(_line(key, x))
    if args.verbose:
        for e in notes:
            print(e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
