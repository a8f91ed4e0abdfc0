"""Citable task numbers (任务编号), unique in the office and stable for life: 〔2026〕3-1.2 is item 1.2
of the 3rd directive entered for 2026; a task without a directive is in the 零 series of the year it
was created, 〔2026〕零-5. Pure functions; see docs/decisions.md."""

from __future__ import annotations

import re

NO_DIRECTIVE = "零"

# 〔2026〕3-1.2, also as people type it: [2026]3-1.2, (2026)3－1.2, 2026-3-1.2, 〔2026〕零-5.
_TYPED = re.compile(
    r"^\s*[〔\[［(（【]?\s*(?P<year>\d{4})\s*[〕\]］)）】]?\s*[-－—]?\s*(?P<series>\d+|零|0)\s*[-－—]\s*(?P<number>\d+(?:[.．]\d+)*)\s*$"
)


def task_code(year: int, series: int | str, number: str) -> str:
    return f"〔{year}〕{series}-{number}"


def canonical_code(text: str) -> str | None:
    """The stored form of a number as typed into a search box, or None when it is not one."""
    match = _TYPED.match(text or "")
    if not match:
        return None
    series = NO_DIRECTIVE if match["series"] in (NO_DIRECTIVE, "0") else str(int(match["series"]))
    return task_code(int(match["year"]), series, match["number"].replace("．", "."))


# 3-1.2 or 零-5 without the year, as a number is said aloud in a meeting.
_SHORT = re.compile(r"^\s*(?P<series>\d+|零|0)\s*[-－—]\s*(?P<number>\d+(?:[.．]\d+)*)\s*$")


def code_tail(text: str) -> str | None:
    """The end every code of a number typed without its year shares (3-1.2 → 〕3-1.2), or None."""
    match = _SHORT.match(text or "")
    if not match:
        return None
    series = NO_DIRECTIVE if match["series"] in (NO_DIRECTIVE, "0") else str(int(match["series"]))
    return f"〕{series}-{match['number'].replace('．', '.')}"
