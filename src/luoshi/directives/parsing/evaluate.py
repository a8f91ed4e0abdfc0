"""Parser quality against hand-labelled documents (eval/parser/labels/*.json).

    python -m luoshi.directives.parsing.evaluate [LABEL.json | DIR ...] [--repo-root PATH] [--json] [-v]

A label file::

    {"document": "eval/parser/docs/x.txt" | "shared:seed/000_….txt",
     "issued": "2021-12-15",
     "directory": [{"name": "…", "aliases": ["…"]}],            (optional unit directory)
     "outline": [{"label": "一要", "contains": "迅速掀起"}],       (optional expected outline items)
     "tasks": [{"key": "substring of the task's sentence", "units": ["…"], "lead_unit": "…"|null,
                "deadline": "YYYY-MM-DD"|null}]}

Matching is one-to-one (maximum bipartite matching): a labelled task is matched by a candidate
whose span covers one occurrence of its key; a candidate matches at most one labelled task.

* recall    = matched labelled tasks / labelled tasks
* precision = matched candidates / candidates
* units     = among matched tasks whose label lists units, share with predicted set == expected
* lead      = among matched tasks whose label names a lead unit, share equal
* deadline  = among matched tasks whose label has a deadline, share equal
* invented  = units reported that occur neither in the text nor in the directory (must be 0)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import ParseError
from .model import UnitName
from .parser import parse
from .segment import segment
from .textio import read_text
from .units import normalize


@dataclass
class DocScore:
    name: str
    document: str
    skipped: str | None = None
    labels: int = 0
    candidates: int = 0
    matched: int = 0
    units_ok: int = 0
    units_n: int = 0
    lead_ok: int = 0
    lead_n: int = 0
    deadline_ok: int = 0
    deadline_n: int = 0
    outline_ok: int = 0
    outline_n: int = 0
    invented_units: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.matched / self.labels if self.labels else None

    @property
    def precision(self) -> float | None:
        return self.matched / self.candidates if self.candidates else None

    @staticmethod
    def _ratio(a: int, n: int) -> float | None:
        return a / n if n else None

    @property
    def unit_accuracy(self) -> float | None:
        return self._ratio(self.units_ok, self.units_n)

    @property
    def lead_accuracy(self) -> float | None:
        return self._ratio(self.lead_ok, self.lead_n)

    @property
    def deadline_accuracy(self) -> float | None:
        return self._ratio(self.deadline_ok, self.deadline_n)

    @property
    def outline_recall(self) -> float | None:
        return self._ratio(self.outline_ok, self.outline_n)

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("recall", "precision", "unit_accuracy", "lead_accuracy", "deadline_accuracy", "outline_recall"):
            d[k] = getattr(self, k)
        return d


def find_repo_root(start: Path | None = None) -> Path:
    here = (start or Path.cwd()).resolve()
    for p in [here, *here.parents]:
        if (p / "eval" / "parser").is_dir() and (p / "pyproject.toml").exists():
            return p
    return Path(__file__).resolve().parents[4]


def resolve_document(ref: str, repo_root: Path) -> Path:
    if ref.startswith("shared:"):
        return Path(repo_root).parent / "shared" / ref[len("shared:"):]
    return Path(repo_root) / ref


def _match(cover: list[list[int]], n_cands: int) -> dict[int, int]:
    """Maximum bipartite matching label → candidate (Kuhn's augmenting paths)."""
    owner: dict[int, int] = {}

    def try_label(li: int, seen: set[int]) -> bool:
        for ci in cover[li]:
            if ci in seen:
                continue
            seen.add(ci)
            if ci not in owner or try_label(owner[ci], seen):
                owner[ci] = li
                return True
        return False

    for li in range(len(cover)):
        try_label(li, set())
    return {li: ci for ci, li in owner.items()}


def evaluate(label: str | Path | dict, repo_root: str | Path) -> DocScore:
    repo_root = Path(repo_root)
    if not isinstance(label, dict):
        path = Path(label)
        spec = json.loads(path.read_text(encoding="utf-8"))
        name = path.stem
    else:
        spec = label
        name = spec.get("name", "doc")
    doc_ref = spec["document"]
    score = DocScore(name=name, document=doc_ref)
    doc_path = resolve_document(doc_ref, repo_root)
    if not doc_path.exists():
        score.skipped = f"document not found: {doc_path}"
        return score
    text = read_text(doc_path.read_bytes())
    issued = dt.date.fromisoformat(spec["issued"]) if spec.get("issued") else None
    directory = [UnitName(u["name"], tuple(u.get("aliases", ()))) for u in spec.get("directory", [])]
    t0 = time.perf_counter()
    try:
        result = parse(text, issued=issued, units=directory)
    except ParseError as exc:
        score.skipped = f"ParseError: {exc}"
        return score
    score.seconds = time.perf_counter() - t0
    cands = result.tasks
    tasks = spec.get("tasks", [])
    score.labels, score.candidates = len(tasks), len(cands)

    cover: list[list[int]] = []
    for t in tasks:
        key = t["key"]
        occ = []
        pos = text.find(key)
        while pos >= 0:
            occ.append(pos)
            pos = text.find(key, pos + 1)
        if not occ:
            score.errors.append(f"key not in document: {key}")
        hits = [
            ci for ci, c in enumerate(cands) if any(c.start <= o and o + len(key) <= c.end for o in occ)
        ]
        hits.sort(key=lambda ci: cands[ci].end - cands[ci].start)
        cover.append(hits)
    pairs = _match(cover, len(cands))
    score.matched = len(pairs)
    for li, t in enumerate(tasks):
        if li not in pairs:
            score.misses.append(t["key"])
            continue
        c = cands[pairs[li]]
        if t.get("units"):
            score.units_n += 1
            if {normalize(u) for u in t["units"]} == {normalize(u) for u in c.units}:
                score.units_ok += 1
            else:
                score.errors.append(f"units {t['key']}: expected {t['units']} got {c.units}")
        if t.get("lead_unit"):
            score.lead_n += 1
            if normalize(t["lead_unit"]) == normalize(c.lead_unit or ""):
                score.lead_ok += 1
            else:
                score.errors.append(f"lead {t['key']}: expected {t['lead_unit']} got {c.lead_unit}")
        if t.get("deadline"):
            score.deadline_n += 1
            got = c.deadline.isoformat() if c.deadline else None
            if got == t["deadline"]:
                score.deadline_ok += 1
            else:
                score.errors.append(f"deadline {t['key']}: expected {t['deadline']} got {got}")
    known = {normalize(u.name) for u in directory} | {normalize(a) for u in directory for a in u.aliases}
    norm_text = normalize(text)
    for c in cands:
        for u in [*c.units, *([c.lead_unit] if c.lead_unit else [])]:
            if normalize(u) not in known and normalize(u) not in norm_text:
                score.invented_units += 1
    for exp in spec.get("outline", []):
        score.outline_n += 1
        if any(o.label == exp["label"] and exp.get("contains", "") in o.text for o in result.outline):
            score.outline_ok += 1
        else:
            score.errors.append(f"outline missing: {exp}")
    return score


def _pct(x: float | None) -> str:
    return "  —  " if x is None else f"{100 * x:5.1f}%"


def _frac(a: int, n: int) -> str:
    return "—" if not n else f"{a}/{n}"


def format_table(scores: list[DocScore]) -> str:
    head = (
        f"{'document':<34} {'labels':>6} {'cands':>6} {'recall':>7} {'precis.':>7} "
        f"{'units':>7} {'lead':>7} {'deadline':>8} {'outline':>7} {'invent':>6} {'ms':>7}"
    )
    lines = [head, "-" * len(head)]
    tot = DocScore(name="TOTAL", document="")
    for s in scores:
        if s.skipped:
            lines.append(f"{s.name:<34} skipped: {s.skipped}")
            continue
        lines.append(
            f"{s.name:<34} {s.labels:>6} {s.candidates:>6} {_pct(s.recall):>7} {_pct(s.precision):>7} "
            f"{_frac(s.units_ok, s.units_n):>7} {_frac(s.lead_ok, s.lead_n):>7} "
            f"{_frac(s.deadline_ok, s.deadline_n):>8} {_frac(s.outline_ok, s.outline_n):>7} "
            f"{s.invented_units:>6} {1000 * s.seconds:>7.1f}"
        )
        for k in ("labels", "candidates", "matched", "units_ok", "units_n", "lead_ok", "lead_n", "deadline_ok",
                  "deadline_n", "outline_ok", "outline_n", "invented_units"):
            setattr(tot, k, getattr(tot, k) + getattr(s, k))
        tot.seconds += s.seconds
    lines.append("-" * len(head))
    lines.append(
        f"{'TOTAL':<34} {tot.labels:>6} {tot.candidates:>6} {_pct(tot.recall):>7} {_pct(tot.precision):>7} "
        f"{_frac(tot.units_ok, tot.units_n):>7} {_frac(tot.lead_ok, tot.lead_n):>7} "
        f"{_frac(tot.deadline_ok, tot.deadline_n):>8} {_frac(tot.outline_ok, tot.outline_n):>7} "
        f"{tot.invented_units:>6} {1000 * tot.seconds:>7.1f}"
    )
    lines.append("units/lead/deadline: correct among matched labelled tasks that specify one; "
                 "invent: units found neither in text nor directory")
    return "\n".join(lines)


def label_files(paths: list[str], repo_root: Path) -> list[Path]:
    if not paths:
        paths = [str(repo_root / "eval" / "parser" / "labels")]
    out: list[Path] = []
    for p in paths:
        pp = Path(p)
        out += sorted(pp.glob("*.json")) if pp.is_dir() else [pp]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="luoshi parse-eval", description="解析器评测：对照人工标注计算召回率、准确率等")
    ap.add_argument("labels", nargs="*", help="label JSON files or folders (default eval/parser/labels)")
    ap.add_argument("--repo-root", default=None)
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument("-v", "--verbose", action="store_true", help="list missed tasks and wrong fields")
    args = ap.parse_args(argv)
    repo_root = Path(args.repo_root) if args.repo_root else find_repo_root()
    segment("预热")  # load jieba's dictionary once, outside the timed parses
    scores = [evaluate(p, repo_root) for p in label_files(args.labels, repo_root)]
    if args.json:
        print(json.dumps([s.to_dict() for s in scores], ensure_ascii=False, indent=2))
    else:
        print(format_table(scores))
        if args.verbose:
            for s in scores:
                if s.misses or s.errors:
                    print(f"\n[{s.name}]")
                    for m in s.misses:
                        print(f"  missed: {m}")
                    for e in s.errors:
                        print(f"  {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
