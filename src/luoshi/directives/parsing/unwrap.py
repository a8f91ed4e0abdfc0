"""Text copied from a PDF or a fixed-width page breaks every line at the same width, inside
words and sentences (区长主持召开区长办公会议，专 / 题研究…). Those breaks are read as if they were
not there; every offset the parser reports is mapped back to the text as given."""

from __future__ import annotations

import re
from collections import Counter

_END = re.compile(r"[。！？；：!?;:”’」』）)】]$")
_ENUM_START = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,3}[、.．](?!\d)|第[一二三四五六七八九十]{1,3}[，,、]|[①-⑳])"
)

# A table row (cells between tabs or bars): rows of a wide table are often equally long, and
# are rows, never prose broken at a width.
_TABLE_ROW = re.compile(r"[\t|｜][^\n]*[\t|｜]")


def _width(lines: list[str]) -> int | None:
    """The width every full line of a hard-wrapped text has, or None when lines vary as paragraphs do."""
    sizes = [len(x) for x in lines if len(x) >= 12 and not _TABLE_ROW.search(x)]
    if len(sizes) < 4:
        return None
    w, _n = Counter(sizes).most_common(1)[0]
    near = sum(1 for n in sizes if w - 1 <= n <= w)
    # real wrap widths are ≥ 16 characters and at least half of the long lines have them; short
    # field lines of a 分工方案 (牵头单位：…) that happen to be equally long are no wrapping
    if w >= 16 and near >= 5 and near * 2 >= len(sizes):
        return w
    return None


def unwrap(text: str) -> tuple[str, list[int] | None]:
    """(text without its wrap breaks, map from each of its offsets to the given text's offsets), or
    (text, None) when the text is not hard-wrapped."""
    if "\n" not in text:
        return text, None
    lines = text.split("\n")
    stripped = [x.strip() for x in lines]
    w = _width(stripped)
    if w is None:
        return text, None
    drop: set[int] = set()  # offsets of the newlines that are wrap breaks
    pos = 0
    for i, line in enumerate(lines[:-1]):
        pos += len(line)
        cur, nxt = stripped[i], stripped[i + 1]
        if len(cur) >= w - 1 and nxt and not _END.search(cur) and not _ENUM_START.match(nxt) \
                and not _TABLE_ROW.search(cur) and not _TABLE_ROW.search(nxt):
            drop.add(pos)
        pos += 1
    if not drop:
        return text, None
    out, back = [], []
    for i, ch in enumerate(text):
        if i in drop:
            continue
        out.append(ch)
        back.append(i)
    back.append(len(text))
    return "".join(out), back
