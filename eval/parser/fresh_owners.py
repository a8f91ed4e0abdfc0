"""Owners (units and lead) on documents nobody had tuned to: each batch of fresh dev documents as it was
found, with the parser of its time, against the parser of now.

    python eval/parser/fresh_owners.py [--json] [-v] [--batch REV]

The batches and their commits are those of ``fresh_rules.py``: documents labelled and committed before the
parser of that commit was run on them. For each batch this script takes that parser (``git show REV:…``, into a
temporary folder) with the action model committed before it (``git show REV^:…``, the parent commit's): some
batch commits (6607161, d2b3bbf, 51ae3b2) retrained the model on the dev documents including the batch itself,
so their own model had seen the batch; the parent's had not (the batch's documents came in with REV). It runs
that parser on the batch and scores units recall and
precision, the share of rows whose set of units is right and the lead, as ``luoshi parse-eval`` does. It then
scores the same documents with the parser of now, whose rules have been tuned on every batch since: the gap
between the two columns is what tuning on a batch is worth there, and the first column is the figure to expect
on an office's next document. The second column measures no change made after a batch was tuned on: only a
batch labelled after the change and run as found does.
``-v`` lists every row whose units or lead were wrong as found. Test documents are not read.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fresh_rules import BATCHES  # noqa: E402

from luoshi.directives.parsing import parser as P  # noqa: E402
from luoshi.directives.parsing.evaluate import evaluate, find_repo_root, total  # noqa: E402
from luoshi.directives.parsing.segment import segment  # noqa: E402
from luoshi.directives.parsing.train import dev_specs  # noqa: E402


def old_parser(repo_root: Path, rev: str, into: Path):
    """The parsing package at ``rev`` with the action model of its parent commit (never trained on the batch
    that ``rev`` committed), importable as owners_at_REV."""
    pkg = into / f"owners_at_{rev}"
    pkg.mkdir()
    names = subprocess.run(["git", "-C", str(repo_root), "ls-tree", "--name-only", rev,
                            "src/luoshi/directives/parsing/"], check=True, capture_output=True, text=True).stdout.split()
    for name in names:
        if name.endswith((".py", ".json")):
            # the code of the batch's commit; its data (the action model) from the commit before it
            at = rev if name.endswith(".py") else f"{rev}^"
            blob = subprocess.run(["git", "-C", str(repo_root), "show", f"{at}:{name}"], check=True,
                                  capture_output=True).stdout
            (pkg / Path(name).name).write_bytes(blob)
    if str(into) not in sys.path:
        sys.path.insert(0, str(into))
    return importlib.import_module(f"owners_at_{rev}.parser").parse


def _brief(t) -> dict:
    return {"documents": t.documents, "rows": t.labels, "matched": t.matched, "recall": t.recall,
            "units_recall": t.units_recall, "units_precision": t.units_precision,
            "units_set": [t.units_ok, t.units_n], "lead": [t.lead_ok, t.lead_n]}


def _line(name: str, x: dict) -> str:
    def pct(v):
        return "    —" if v is None else f"{100 * v:5.1f}"
    return (f"  {name:26s} rows {x['rows']:3d} matched {x['matched']:3d} units R {pct(x['units_recall'])} "
            f"P {pct(x['units_precision'])} set {x['units_set'][0]:3d}/{x['units_set'][1]:<3d} "
            f"lead {x['lead'][0]:3d}/{x['lead'][1]:<3d}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the owner errors as found")
    ap.add_argument("--batch", action="append", help="only this batch (its commit); may repeat")
    args = ap.parse_args(argv)
    repo_root = find_repo_root()
    segment("预热")
    specs = {n: p for n, _s, p in dev_specs(repo_root)}
    report: dict = {}
    pooled: dict = {}
    errors: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for rev, names in BATCHES:
            if args.batch and rev not in args.batch:
                continue
            old = old_parser(repo_root, rev, Path(tmp))
            runs = {"as found": old, "now": P.parse}
            paths = [specs[n] for n in names if n in specs]
            report[rev] = {}
            for key, parse in runs.items():
                scores = [evaluate(p, repo_root, parser=parse) for p in paths]
                t = total(scores)
                report[rev][key] = _brief(t)
                pooled[key] = total([pooled[key], t]) if key in pooled else t
                if key == "as found" and args.verbose:
                    for s in scores:
                        for e in s.errors:
                            if e.startswith(("units ", "lead ")):
                                errors.append(f"{rev} {s.name}: {e}")
    report["all"] = {k: _brief(t) for k, t in pooled.items()}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for rev, r in report.items():
        print("all batches" if rev == "all" else f"batch first run with the parser of {rev}")
        for key, x in r.items():
            print(_line(key, x))
    for e in errors:
        print(e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
