"""Input an office may paste that is large in one direction: a line of hundreds of thousands of
characters without a sentence end, a table of hundreds of columns. Parsing must grow linearly
with such input; these tests compare the work of doubling it, not a time limit of their own."""

from __future__ import annotations

import datetime as dt
import gc
import time

import pytest

from luoshi.directives.parsing import parse
from luoshi.directives.parsing.units import _Spans
from luoshi.directives.parsing.unwrap import unwrap

ISSUED = dt.date(2025, 3, 12)


def _line(base: str, n: int) -> str:
    return (base * (n // len(base) + 1))[:n]


def _cpu(text: str, runs: int = 3) -> float:
    # The garbage collector is kept out: its passes over a test worker's large heap (every module
    # the suite has loaded) grow with what the parse allocates, and made 3,000 parts cost five
    # times 1,000 in a full run (2.7 times without it), whatever the parser does.
    best = None
    gc.collect()
    gc.disable()
    try:
        for _ in range(runs):
            t0 = time.process_time()
            parse(text, issued=ISSUED)
            spent = time.process_time() - t0
            best = spent if best is None else min(best, spent)
    finally:
        gc.enable()
    return best


@pytest.mark.parametrize(
    "base",
    [
        "县住建局县水务局各乡镇县发改委牵头",  # unit names back to back: every one a mention
        "县住建局要加快推进城区道路改造工程建设确保年底前完成各项任务各乡镇要配合做好征地拆迁工作",
    ],
)
def test_it_takes_about_twice_the_work_for_a_line_twice_as_long(base):
    # Linear work doubles (≈ 2); work quadratic in the line's length quadruples (≈ 4). The best of
    # three runs in CPU time keeps other processes out of the comparison.
    small, large = _cpu(_line(base, 30_000)), _cpu(_line(base, 60_000))
    assert large / small < 3.0, (small, large)


def _nested_lists(parts: int) -> str:
    n = "一二三四五六七八九十"
    return "".join(f"{n[i % 10]}、第{i}部分\n（{n[i % 10]}）要加强\n{i % 9 + 1}.要落实\n（{i % 9 + 1}）县财政局要推进\n"
                   "①要确保年底前完成\n" for i in range(parts))


def test_it_takes_about_three_times_the_work_for_three_times_the_nested_lists():
    # Items under a parent whose list has no 1 of its own: finding the list's first item once scanned
    # back to the top of the document, so 3,000 parts took about five times the work of 1,000; an
    # item's body later copied the rest of the document's paragraphs (3.5–3.7 times). Linear work
    # triples (3.1–3.2 measured with another process on the machine).
    # Best of three runs each: one busy moment on a shared machine is no trend.
    small, large = _cpu(_nested_lists(1000)), _cpu(_nested_lists(3000))
    assert large / small < 4.5, (small, large)


def test_it_keeps_every_offset_of_thousands_of_nested_lists():
    text = _nested_lists(1000)
    r = parse(text, issued=ISSUED)
    assert len([o for o in r.outline if o.level == 1]) == 1000
    for o in r.outline:
        assert text[o.start:o.end] == o.text
    for c in r.tasks:
        assert text[c.start:c.end] == c.text


def test_it_checks_each_new_span_against_only_the_spans_near_it():
    spans = _Spans()
    for i in range(0, 40_000, 4):
        spans.add(i, i + 3)
    assert spans.overlaps(401, 402) and spans.overlaps(399, 401)
    assert not spans.overlaps(403, 404) and not spans.overlaps(50_000, 50_010)
    assert spans.overlaps(0, 50_000)


def _table(columns: int, rows: int, sep: str) -> str:
    head = ["序号", "重点任务", "牵头单位", "完成时限"] + [f"指标{c}" for c in range(5, columns + 1)]
    lines = [sep.join(head)]
    for r in range(1, rows + 1):
        lines.append(sep.join([str(r), f"推进第{r}号道路改造工程建设", "县住建局", "6月底前"] + ["已完成"] * (columns - 4)))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("sep", ["\t", "|"])
def test_it_reads_every_row_of_a_table_two_hundred_columns_wide(sep):
    rows = [c for c in parse(_table(200, 299, sep), issued=ISSUED).tasks if c.kind == "assignment"]
    assert [c.text for c in rows] == [f"推进第{r}号道路改造工程建设" for r in range(1, 300)]
    assert {c.lead_unit for c in rows} == {"县住建局"} and {c.deadline for c in rows} == {dt.date(2025, 6, 30)}


def test_it_never_takes_equally_long_table_rows_for_text_wrapped_at_a_width():
    text = _table(30, 40, "|")
    assert unwrap(text) == (text, None)
