"""Clause boundaries a clerk clicks to split a row: pure function, hand-computed offsets."""

from hypothesis import given
from hypothesis import strategies as st

from luoshi.directives.parsing.clauses import clause_boundaries, clause_segments


def test_it_finds_each_full_width_clause_mark():
    # 做好防汛值守，(6) 落实秋播准备；(13) 加快A、(17) B建设。
    assert clause_boundaries("做好防汛值守，落实秋播准备；加快A、B建设。") == [7, 14, 18]


def test_it_reads_ascii_marks_of_pasted_web_text():
    assert clause_boundaries("抓好秋粮收购,及时兑付补贴;加快改造") == [7, 14]


def test_it_ignores_marks_inside_quotes_and_brackets_and_at_the_end():
    assert clause_boundaries("落实“三个一，两个不”要求（含县、乡），完成整改。") == [20]


def test_it_cuts_the_text_into_pieces_that_join_back():
    text = "甲，乙；丙"
    assert clause_segments(text) == [(0, 2, "甲，"), (2, 4, "乙；"), (4, 5, "丙")]


@given(st.text())
def test_it_never_crashes_and_joins_back_on_any_unicode(text):
    points = clause_boundaries(text)
    assert all(0 < p < len(text) for p in points)
    assert "".join(s for _a, _b, s in clause_segments(text)) == text
