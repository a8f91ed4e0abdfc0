"""The parser evaluation (luoshi.directives.parsing.evaluate): matching, figures per genre and split.

Hand-made label/document pairs scored against a stub parser whose candidates are fixed here, so the
expected figures are counted by hand and do not move when the parser changes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from luoshi.directives.parsing.evaluate import GENRES, enumerator, evaluate, main, summarize
from luoshi.directives.parsing.model import Candidate, OutlineItem, ParseResult

# one 一要 item holding two accountable actions, then a 二要 item with one
TEXT_A = "一要抓好防汛。县水利局牵头，县应急局配合，6月底前完成排查。二要抓好招商。附：会议现场"
P_TWO = TEXT_A.index("二要")
END_ONE = TEXT_A.index("二要")
END_TWO = TEXT_A.index("附：")


def _cand(text: str, start: int, end: int, **kw) -> Candidate:
    return Candidate(title=text[start:end][:10], text=text[start:end], measures="", start=start, end=end, **kw)


def _stub(cands_for: dict[str, list[Candidate]], outline_for: dict[str, list[OutlineItem]]):
    def parser(text, *, issued=None, units=()):
        return ParseResult(outline=outline_for.get(text, []), tasks=cands_for.get(text, []), issued=issued)

    return parser


def _write(root: Path, name: str, text: str, spec: dict) -> Path:
    (root / "eval" / "parser" / "docs").mkdir(parents=True, exist_ok=True)
    (root / "eval" / "parser" / "labels").mkdir(parents=True, exist_ok=True)
    (root / "eval" / "parser" / "docs" / f"{name}.txt").write_text(text, encoding="utf-8")
    spec = {"document": f"eval/parser/docs/{name}.txt", **spec}
    path = root / "eval" / "parser" / "labels" / f"{name}.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    return path


LABEL_A = {
    "issued": "2026-05-11",
    "genre": "讲话",
    "split": "dev",
    "outline": [{"label": "一要", "contains": "防汛"}, {"label": "二要", "contains": "招商"}, {"label": "三要"}],
    "tasks": [
        {"key": "完成排查", "units": ["县水利局", "县应急局"], "lead_unit": "县水利局", "co_units": ["县应急局"],
         "deadline": "2026-06-30", "deadline_text": "6月底前", "heading": "一要"},
        {"key": "抓好招商", "units": [], "lead_unit": None, "heading": "二要"},
        {"key": "一要抓好防汛", "units": [], "lead_unit": None},
    ],
}


def _stub_a():
    cands = [
        # one paragraph-sized candidate covers both 一要 rows; it can stand for only one of them
        _cand(TEXT_A, 0, END_ONE, units=["县水利局"], lead_unit="县水利局", deadline=dt.date(2026, 6, 30)),
        _cand(TEXT_A, P_TWO, END_TWO, units=["县财政局"]),
        _cand(TEXT_A, END_TWO, len(TEXT_A)),  # page furniture taken for a task
    ]
    outline = [
        OutlineItem(level=1, label="一要", text="一要抓好防汛。", start=0, end=7),
        OutlineItem(level=1, label="二要", text="二要抓好招商。", start=P_TWO, end=P_TWO + 7),
    ]
    return _stub({TEXT_A: cands}, {TEXT_A: outline})


def test_it_matches_each_labelled_row_to_a_distinct_candidate(tmp_path):
    label = _write(tmp_path, "a", TEXT_A, LABEL_A)
    s = evaluate(label, tmp_path, parser=_stub_a())
    # rows 1 and 3 are both covered only by candidate 1: one of them stays unmatched
    assert (s.labels, s.candidates, s.matched) == (3, 3, 2)
    assert s.recall == pytest.approx(2 / 3) and s.precision == pytest.approx(2 / 3)
    assert s.misses == ["一要抓好防汛"]


def test_it_scores_units_as_recall_and_precision_over_matched_rows(tmp_path):
    s = evaluate(_write(tmp_path, "a", TEXT_A, LABEL_A), tmp_path, parser=_stub_a())
    # row 1: expected {水利局, 应急局}, got {水利局}; row 2: expected {}, got {财政局}
    assert (s.units_tp, s.units_expected, s.units_predicted) == (1, 2, 2)
    assert s.units_recall == 0.5 and s.units_precision == 0.5
    assert (s.units_ok, s.units_n) == (0, 2)
    assert (s.lead_ok, s.lead_n) == (1, 1)
    assert (s.deadline_ok, s.deadline_n) == (1, 1)


def test_it_scores_outline_items_and_row_headings(tmp_path):
    s = evaluate(_write(tmp_path, "a", TEXT_A, LABEL_A), tmp_path, parser=_stub_a())
    assert (s.outline_ok, s.outline_n) == (2, 3)  # 三要 is not found
    assert (s.heading_ok, s.heading_n) == (2, 2)


def test_it_counts_a_row_under_the_wrong_heading(tmp_path):
    cands = [_cand(TEXT_A, P_TWO, END_TWO)]
    outline = [OutlineItem(level=1, label="一要", text="一要抓好防汛。", start=0, end=7)]
    spec = {**LABEL_A, "outline": [], "tasks": [LABEL_A["tasks"][1]]}
    s = evaluate(_write(tmp_path, "a", TEXT_A, spec), tmp_path, parser=_stub({TEXT_A: cands}, {TEXT_A: outline}))
    assert s.matched == 1 and (s.heading_ok, s.heading_n) == (0, 1)


def test_it_writes_an_enumerator_in_one_form():
    assert [enumerator(x) for x in ("一、", "一", " 二. ", "3．", "(一)", "（一）", "（二）、", "〔三〕")] == [
        "一", "一", "二", "3", "（一）", "（一）", "（二）", "（三）"]
    assert enumerator("一要") == "一要" and enumerator("") == ""


def test_it_matches_outline_labels_whatever_their_punctuation(tmp_path):
    text = "一、抓好防汛。(一)县水利局牵头排查。二、抓好招商。"
    sub, two = text.index("(一)"), text.index("二、")
    outline = [
        OutlineItem(level=1, label="一", text="一、抓好防汛。", start=0, end=7),
        OutlineItem(level=2, label="（一）", text="(一)县水利局牵头排查。", start=sub, end=two),
        OutlineItem(level=1, label="二", text="二、抓好招商。", start=two, end=len(text)),
    ]
    cands = [_cand(text, sub, two), _cand(text, two, len(text))]
    spec = {"genre": "讲话", "outline": [{"label": "一、", "contains": "防汛"}, {"label": "(一)", "contains": "排查"},
                                         {"label": "二.", "contains": "招商"}],
            "tasks": [{"key": "牵头排查", "heading": "（一）、"}, {"key": "抓好招商", "heading": "二、"}]}
    s = evaluate(_write(tmp_path, "e", text, spec), tmp_path, parser=_stub({text: cands}, {text: outline}))
    # all three outline items and both headings count although each is written differently
    assert (s.outline_ok, s.outline_n) == (3, 3)
    assert (s.heading_ok, s.heading_n) == (2, 2)


def test_it_reports_a_key_missing_from_the_document(tmp_path):
    spec = {**LABEL_A, "tasks": [{"key": "不存在的句子", "units": []}]}
    s = evaluate(_write(tmp_path, "a", TEXT_A, spec), tmp_path, parser=_stub_a())
    assert s.matched == 0 and s.misses == ["不存在的句子"]
    assert "key not in document: 不存在的句子" in s.errors


def test_it_sums_figures_per_genre_and_per_split(tmp_path):
    text_b = "会议要求：县交通局负责道路修复。"
    text_c = "三是县民政局负责的第1件进展滞后。"
    cand_b = [_cand(text_b, 5, len(text_b), units=["县交通局"], lead_unit="县交通局")]
    cand_c = [_cand(text_c, 0, len(text_c), units=["县民政局"], lead_unit="县民政局"), _cand(text_c, 0, 2)]
    parser_bc = _stub({text_b: cand_b, text_c: cand_c}, {})
    a = evaluate(_write(tmp_path, "a", TEXT_A, LABEL_A), tmp_path, parser=_stub_a())
    b = evaluate(_write(tmp_path, "b", text_b, {"genre": "讲话", "split": "dev", "tasks": [
        {"key": "道路修复", "units": ["县交通局"], "lead_unit": "县交通局"}]}), tmp_path, parser=parser_bc)
    c = evaluate(_write(tmp_path, "c", text_c, {"genre": "督查通报", "split": "test", "tasks": [
        {"key": "第1件", "units": ["县民政局"], "lead_unit": "县民政局"}]}), tmp_path, parser=parser_bc)
    parts = summarize([a, b, c])
    speech = parts["dev"]["genres"]["讲话"]
    # a: 2 of 3 rows, 3 candidates; b: 1 of 1 row, 1 candidate → 3 of 4 rows, 3 of 4 candidates
    assert (speech.documents, speech.labels, speech.matched, speech.candidates) == (2, 4, 3, 4)
    assert speech.recall == 0.75 and speech.precision == 0.75
    # units: a gives 1 of 2 expected and 1 of 2 predicted, b 1 of 1 and 1 of 1
    assert speech.units_recall == pytest.approx(2 / 3) and speech.units_precision == pytest.approx(2 / 3)
    assert (speech.lead_ok, speech.lead_n) == (2, 2)
    test = parts["test"]["overall"]
    assert (test.labels, test.matched, test.candidates) == (1, 1, 2) and test.precision == 0.5
    assert list(parts["test"]["genres"]) == ["督查通报"]


def test_it_leaves_skipped_documents_out_of_the_totals(tmp_path):
    a = evaluate(_write(tmp_path, "a", TEXT_A, LABEL_A), tmp_path, parser=_stub_a())
    gone = evaluate({"document": "eval/parser/docs/none.txt", "genre": "讲话", "tasks": [{"key": "x"}]}, tmp_path)
    overall = summarize([a, gone])["dev"]["overall"]
    assert gone.skipped and (overall.documents, overall.labels) == (1, 3)


def test_it_defaults_to_the_dev_split_and_filters_by_split(tmp_path, capsys):
    _write(tmp_path, "d", "会议要求：县交通局负责道路修复。", {"genre": "讲话", "tasks": [{"key": "道路修复", "units": []}]})
    _write(tmp_path, "t", "会议要求：县水利局负责河道清淤。", {"genre": "督查通报", "split": "test",
                                                       "tasks": [{"key": "河道清淤", "units": []}]})
    labels = str(tmp_path / "eval" / "parser" / "labels")
    assert main(["--repo-root", str(tmp_path), "--split", "test", "--json", labels]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["test"] and [d["name"] for d in out["test"]["documents"]] == ["t"]
    assert main(["--repo-root", str(tmp_path), labels]) == 0
    table = capsys.readouterr().out
    assert "[dev]" in table and "[test]" in table and "TOTAL" in table and "督查通报" in table


REPO = Path(__file__).resolve().parents[1]
LABELS = sorted((REPO / "eval" / "parser" / "labels").glob("*.json"))
KEPT_IN_DEV = ("seed-jiyuan-2021", "henan-2026-report", "shifan-")


def test_it_keeps_every_label_consistent_with_its_document():
    specs = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in LABELS}
    for name, spec in specs.items():
        assert spec.get("split") in ("dev", "test"), name
        assert spec.get("genre") in GENRES, name
        assert spec.get("source"), name
        if spec["document"].startswith("shared:"):
            continue  # the shared corpus may be absent; its keys are checked where it is used
        text = (REPO / spec["document"]).read_text(encoding="utf-8")
        for task in spec["tasks"]:
            assert task["key"] in text, (name, task["key"])
            if task.get("deadline_text"):
                assert task["deadline_text"] in text, (name, task["deadline_text"])
            if task.get("deadline"):
                dt.date.fromisoformat(task["deadline"])


def test_it_splits_the_set_with_every_genre_in_test_and_the_old_documents_in_dev():
    specs = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in LABELS}
    test_genres = {s["genre"] for s in specs.values() if s["split"] == "test"}
    assert test_genres == set(GENRES)
    for name, spec in specs.items():
        if name.startswith(KEPT_IN_DEV):
            assert spec["split"] == "dev", name
