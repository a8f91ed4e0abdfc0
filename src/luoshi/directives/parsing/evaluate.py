"""Parser quality against hand-labelled documents (eval/parser/labels/*.json).

    python -m luoshi.directives.parsing.evaluate [LABEL.json | DIR ...] [--split dev|test|all]
                                                 [--repo-root PATH] [--json] [-v]

A label file::

    {"document": "eval/parser/docs/x.txt" | "shared:seed/000_….txt",
     "issued": "2021-12-15",
     "genre": "讲话", "province": "河南", "split": "dev" | "test",       (split defaults to dev)
     "source": {"url": "…", "publisher": "…", "date": "…", "excerpt": "…"},  (provenance, not scored)
     "directory": [{"name": "…", "aliases": ["…"]}],            (optional unit directory)
     "outline": [{"label": "一要", "contains": "迅速掀起"}],       (optional expected outline items)
     "tasks": [{"key": "substring the row's span must contain",
                "units": ["…"],            (every accountable unit: lead and co-units)
                "lead_unit": "…"|null, "co_units": ["…"],
                "deadline": "YYYY-MM-DD"|null, "deadline_text": "6月底前",
                "heading": "二是"|null}]}  (label of the outline item the row belongs to)

Matching is one-to-one (maximum bipartite matching): a labelled row is matched by a candidate
whose span covers one occurrence of its key; a candidate matches at most one labelled row, so one
paragraph-sized candidate cannot stand for five rows.

* recall     = matched rows / labelled rows (distinct recall)
* precision  = matched candidates / candidates
* units R/P  = over matched rows whose label lists units (an empty list counts: no unit expected):
               expected ∩ predicted / expected, and / predicted (names compared after normalize())
* units      = share of those rows whose predicted set equals the expected set
* lead       = among matched rows whose label names a lead unit, share equal
* deadline   = among matched rows whose label has a deadline, share equal
* outline    = expected outline items found; heading = matched rows with a heading whose candidate
               lies under an outline item with that label (enumerators compared after
               enumerator(): 一、 = 一 and (一) = （一）, so the way a label is written does not count)
* invented   = units reported that occur neither in the text nor in the directory (must be 0)

Figures are summed over documents (micro average) per genre and per split.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import ParseError
from .model import ParseResult, UnitName
from .parser import parse
from .segment import segment
from .textio import read_text
from .units import normalize
from .unwrap import without_glosses

SPLITS = ("dev", "test")
GENRES = ("讲话", "会议纪要", "例会新闻", "常务会议", "分工方案", "责任清单", "督查通报", "政府工作报告")
COUNTS = (
    "labels", "candidates", "matched", "units_tp", "units_expected", "units_predicted", "units_ok",
    "units_n", "lead_ok", "lead_n", "deadline_ok", "deadline_n", "outline_ok", "outline_n",
    "heading_ok", "heading_n", "invented_units",
)


@dataclass
class DocScore:
    name: str
    document: str
    genre: str = "—"
    province: str = ""
    split: str = "dev"
    skipped: str | None = None
    labels: int = 0
    candidates: int = 0
    matched: int = 0
    units_tp: int = 0
    units_expected: int = 0
    units_predicted: int = 0
    units_ok: int = 0
    units_n: int = 0
    lead_ok: int = 0
    lead_n: int = 0
    deadline_ok: int = 0
    deadline_n: int = 0
    outline_ok: int = 0
    outline_n: int = 0
    heading_ok: int = 0
    heading_n: int = 0
    invented_units: int = 0
    documents: int = 1
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @staticmethod
    def _ratio(a: int, n: int) -> float | None:
        return a / n if n else None

    @property
    def recall(self) -> float | None:
        return self._ratio(self.matched, self.labels)

    @property
    def precision(self) -> float | None:
        return self._ratio(self.matched, self.candidates)

    @property
    def units_recall(self) -> float | None:
        return self._ratio(self.units_tp, self.units_expected)

    @property
    def units_precision(self) -> float | None:
        return self._ratio(self.units_tp, self.units_predicted)

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

    @property
    def heading_accuracy(self) -> float | None:
        return self._ratio(self.heading_ok, self.heading_n)

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in RATIOS:
            d[k] = getattr(self, k)
        return d


RATIOS = (
    "recall", "precision", "units_recall", "units_precision", "unit_accuracy", "lead_accuracy",
    "deadline_accuracy", "outline_recall", "heading_accuracy",
)


def total(scores: list[DocScore], name: str = "TOTAL") -> DocScore:
    """Counts summed over the documents that were evaluated (skipped ones are left out)."""
    tot = DocScore(name=name, document="", documents=0)
    for s in scores:
        if s.skipped:
            continue
        for k in COUNTS:
            setattr(tot, k, getattr(tot, k) + getattr(s, k))
        tot.documents += 1
        tot.seconds += s.seconds
    return tot


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


def _expected_units(t: dict) -> set[str]:
    names = [*(t.get("units") or []), *(t.get("co_units") or [])]
    if t.get("lead_unit"):
        names.append(t["lead_unit"])
    return {normalize(u) for u in names if u}


def _predicted_units(c) -> set[str]:
    names = [*c.units, *(getattr(c, "co_units", None) or [])]
    if c.lead_unit:
        names.append(c.lead_unit)
    return {normalize(u) for u in names if u}


_BRACKETS = str.maketrans({"(": "（", ")": "）", "〔": "（", "〕": "）", "[": "（", "]": "）"})
_ENUM_PUNCT = "、，,．.:：;； \u3000"


def enumerator(label: str) -> str:
    """An outline label in one written form: trailing 、．. and spaces dropped, brackets full-width.

    Labels and parser write the same enumerator differently (一、 / 一, (一) / （一）); the
    outline is scored on which item it is, not on its punctuation."""
    return (label or "").strip().translate(_BRACKETS).strip(_ENUM_PUNCT)


def _under_heading(result: ParseResult, start: int, heading: str) -> bool:
    """Whether the nearest outline item at or before ``start`` on some level is labelled ``heading``."""
    nearest: dict[int, object] = {}
    for o in result.outline:
        if o.start <= start and (o.level not in nearest or o.start >= nearest[o.level].start):
            nearest[o.level] = o
    want = enumerator(heading)
    return any(enumerator(o.label) == want for o in nearest.values())


Parser = Callable[..., ParseResult]


def evaluate(label: str | Path | dict, repo_root: str | Path, *, parser: Parser = parse) -> DocScore:
    repo_root = Path(repo_root)
    if not isinstance(label, dict):
        path = Path(label)
        spec = json.loads(path.read_text(encoding="utf-8"))
        name = path.stem
    else:
        spec = label
        name = spec.get("name", "doc")
    doc_ref = spec["document"]
    score = DocScore(
        name=name, document=doc_ref, genre=spec.get("genre") or "—", province=spec.get("province") or "",
        split=spec.get("split") or "dev",
    )
    doc_path = resolve_document(doc_ref, repo_root)
    if not doc_path.exists():
        score.skipped = f"document not found: {doc_path}"
        return score
    text = read_text(doc_path.read_bytes())
    issued = dt.date.fromisoformat(spec["issued"]) if spec.get("issued") else None
    directory = [UnitName(u["name"], tuple(u.get("aliases", ()))) for u in spec.get("directory", [])]
    t0 = time.perf_counter()
    try:
        result = parser(text, issued=issued, units=directory)
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
        if t.get("units") is not None or t.get("co_units") or t.get("lead_unit"):
            want, got = _expected_units(t), _predicted_units(c)
            score.units_n += 1
            score.units_expected += len(want)
            score.units_predicted += len(got)
            score.units_tp += len(want & got)
            if want == got:
                score.units_ok += 1
            else:
                score.errors.append(f"units {t['key']}: expected {sorted(want)} got {sorted(got)}")
        if t.get("lead_unit"):
            score.lead_n += 1
            if normalize(t["lead_unit"]) == normalize(c.lead_unit or ""):
                score.lead_ok += 1
            else:
                score.errors.append(f"lead {t['key']}: expected {t['lead_unit']} got {c.lead_unit}")
        if t.get("deadline"):
            score.deadline_n += 1
            got_d = c.deadline.isoformat() if c.deadline else None
            if got_d == t["deadline"]:
                score.deadline_ok += 1
            else:
                score.errors.append(f"deadline {t['key']}: expected {t['deadline']} got {got_d}")
        if t.get("heading"):
            score.heading_n += 1
            if _under_heading(result, c.start, t["heading"]):
                score.heading_ok += 1
            else:
                score.errors.append(f"heading {t['key']}: expected under {t['heading']}")
    known = {normalize(u.name) for u in directory} | {normalize(a) for u in directory for a in u.aliases}
    # a unit is read without the pinyin glosses a reproducing site put inside its words (交(jiāo)通局)
    norm_text = normalize(without_glosses(text))
    for c in cands:
        for u in [*c.units, *([c.lead_unit] if c.lead_unit else [])]:
            if normalize(u) not in known and normalize(u) not in norm_text:
                score.invented_units += 1
    for exp in spec.get("outline", []):
        score.outline_n += 1
        want = enumerator(exp["label"])
        if any(enumerator(o.label) == want and exp.get("contains", "") in o.text for o in result.outline):
            score.outline_ok += 1
        else:
            score.errors.append(f"outline missing: {exp}")
    return score


def summarize(scores: list[DocScore]) -> dict:
    """Per split: overall and per-genre totals (known genres in GENRES order, then others) and the documents."""
    out: dict = {}
    for split in SPLITS:
        docs = [s for s in scores if s.split == split]
        if not docs:
            continue
        genres: dict[str, list[DocScore]] = {g: [] for g in GENRES}
        for s in docs:
            genres.setdefault(s.genre, []).append(s)
        genres = {g: ds for g, ds in genres.items() if ds}
        out[split] = {
            "overall": total(docs, "TOTAL"),
            "genres": {g: total(ds, g) for g, ds in genres.items()},
            "documents": docs,
        }
    return out


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _frac(a: int, n: int) -> str:
    return "—" if not n else f"{a}/{n}"


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in s)


def _ljust(s: str, n: int) -> str:
    return s + " " * max(0, n - _width(s))


_COLS = (
    ("docs", 4), ("rows", 5), ("cands", 5), ("recall", 6), ("precis", 6), ("unitsR", 6), ("unitsP", 6),
    ("lead", 6), ("deadln", 6), ("outline", 7), ("head", 6), ("inv", 3),
)


def _row(name: str, s: DocScore, width: int) -> str:
    cells = (
        str(s.documents), str(s.labels), str(s.candidates), _pct(s.recall), _pct(s.precision),
        _pct(s.units_recall), _pct(s.units_precision), _pct(s.lead_accuracy), _pct(s.deadline_accuracy),
        _pct(s.outline_recall), _pct(s.heading_accuracy), str(s.invented_units),
    )
    return _ljust(name, width) + " ".join(c.rjust(w) for c, (_, w) in zip(cells, _COLS))


def format_table(scores: list[DocScore], *, per_document: bool = True) -> str:
    width = 40
    head = _ljust("", width) + " ".join(h.rjust(w) for h, w in _COLS)
    lines: list[str] = []
    for split, part in summarize(scores).items():
        lines += [f"[{split}]", head, "-" * _width(head)]
        for g, tot in part["genres"].items():
            lines.append(_row(g, tot, width))
        lines.append("-" * _width(head))
        lines.append(_row("TOTAL", part["overall"], width))
        skipped = [s for s in part["documents"] if s.skipped]
        for s in skipped:
            lines.append(f"  skipped {s.name}: {s.skipped}")
        if per_document:
            lines.append("")
            for s in part["documents"]:
                if not s.skipped:
                    lines.append(_row(s.name[: width - 2], s, width))
        lines.append("")
    lines.append(
        "rows: labelled accountable actions; recall is distinct (one candidate per row); units R/P over "
        "matched rows; lead/deadline/head: correct among matched rows that specify one; inv: units found "
        "neither in the text nor in the directory"
    )
    return "\n".join(lines)


def to_json(scores: list[DocScore]) -> dict:
    out = {}
    for split, part in summarize(scores).items():
        out[split] = {
            "overall": _brief(part["overall"]),
            "genres": {g: _brief(t) for g, t in part["genres"].items()},
            "documents": [s.to_dict() for s in part["documents"]],
        }
    return out


def _brief(s: DocScore) -> dict:
    d = {k: getattr(s, k) for k in ("documents", *COUNTS)}
    d.update({k: getattr(s, k) for k in RATIOS})
    return d


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
    ap.add_argument("--split", choices=("dev", "test", "all"), default="all")
    ap.add_argument("--repo-root", default=None)
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument("-v", "--verbose", action="store_true", help="list missed rows and wrong fields")
    args = ap.parse_args(argv)
    repo_root = Path(args.repo_root) if args.repo_root else find_repo_root()
    specs = []
    for p in label_files(args.labels, repo_root):
        split = json.loads(Path(p).read_text(encoding="utf-8")).get("split") or "dev"
        if args.split in ("all", split):
            specs.append(p)
    segment("预热")  # load jieba's dictionary once, outside the timed parses
    scores = [evaluate(p, repo_root) for p in specs]
    if args.json:
        print(json.dumps(to_json(scores), ensure_ascii=False, indent=2))
        return 0
    print(format_table(scores))
    if args.verbose:
        for s in scores:
            if s.misses or s.errors:
                print(f"\n[{s.split} {s.name}]")
                for m in s.misses:
                    print(f"  missed: {m}")
                for e in s.errors:
                    print(f"  {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
