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


# …抓好作风建设 / 他强调，…: a line that opens with a speaker, a report verb or an audience starts a
# sentence of its own, even after a line that lost its full stop
_OPENS_SENTENCE = re.compile(r"[他她我会同另此各全]|[^，,。；;]{0,10}?(?:指出|强调|要求|表示|认为|提出|说)")
_PROSE = re.compile(r"[，,].*[。；;]|[。；;].*[，,]")


def _mid_sentence(cur: str, nxt: str) -> bool:
    """A paragraph of prose whose copy breaks one line inside a sentence (…会议决定由县供电公司负责供电 /
    线杆迁移工作，…): the line runs long, ends inside a word and the next line carries the prose on."""
    return len(cur) >= 80 and "\u4e00" <= cur[-1] <= "\u9fff" and "\u4e00" <= nxt[0] <= "\u9fff" \
        and len(nxt) >= 20 and bool(_PROSE.search(cur)) and ("，" in nxt or "," in nxt) and "：" not in nxt[:12] \
        and not _OPENS_SENTENCE.match(nxt)


# 加強(qiáng), 區(qū): some reproducing sites gloss words with their pinyin in brackets right after the
# character. A gloss carries a tone mark (no bracketed Latin word elsewhere in a directive does);
# read without it, 認(rèn)真開展 is 認真開展 again.
_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])[(（](?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")


def past_gloss(text: str, i: int) -> int:
    """The end of the pinyin gloss that starts at ``i`` (a span that ends on a glossed character
    takes its gloss with it), or ``i``."""
    m = _GLOSS.match(text, i)
    return m.end() if m and i > 0 and "\u4e00" <= text[i - 1] <= "\u9fff" else i


def without_glosses(text: str) -> str:
    return _GLOSS.sub("", text)


def _gloss_offsets(text: str) -> set[int]:
    """Offsets of the pinyin glosses of the text (brackets included)."""
    return {i for m in _GLOSS.finditer(text) for i in range(m.start(), m.end())}


def unwrap(text: str) -> tuple[str, list[int] | None]:
    """(text without its wrap breaks and pinyin glosses, map from each of its offsets to the given
    text's offsets), or (text, None) when the text has neither."""
    gloss = _gloss_offsets(text)
    if "\n" not in text:
        return _drop(text, gloss)
    lines = text.split("\n")
    stripped = [x.strip() for x in lines]
    w = _width(stripped)
    drop: set[int] = set()  # offsets of the newlines that are wrap breaks
    pos = 0
    for i, line in enumerate(lines[:-1]):
        pos += len(line)
        cur, nxt = stripped[i], stripped[i + 1]
        if not nxt or _END.search(cur) or _ENUM_START.match(nxt) or _TABLE_ROW.search(cur) or _TABLE_ROW.search(nxt):
            pass
        elif w is not None and len(cur) >= w - 1 or w is None and _mid_sentence(cur, nxt):
            drop.add(pos)
        pos += 1
    if w is None:
        # the same break with an empty line after it, as a page's copy gives a paragraph break
        pos = 0
        for i, line in enumerate(lines[:-2]):
            pos += len(line)
            if not stripped[i + 1] and stripped[i + 2] and not _END.search(stripped[i]) \
                    and not _ENUM_START.match(stripped[i + 2]) and _mid_sentence(stripped[i], stripped[i + 2]):
                drop.update(range(pos, pos + len(lines[i + 1]) + 2))
            pos += 1
    return _drop(text, drop | gloss)


def _drop(text: str, drop: set[int]) -> tuple[str, list[int] | None]:
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
