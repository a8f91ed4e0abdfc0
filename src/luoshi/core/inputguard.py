"""What a request may not carry, whatever the view: text PostgreSQL cannot store or compare (a NUL
byte; a lone UTF-16 surrogate, which JSON's \\ud800 escapes produce and no UTF-8 database accepts),
integers beyond a 64-bit column, and negative paging offsets. Each check answers a problem code
or None; the middleware (`luoshi.core.middleware.InputGuardMiddleware`) turns a code into a 400."""

from __future__ import annotations

import re
from typing import Any

MAX_INT = 2**63 - 1
# Parameters that count rows: a negative value is never meaningful.
PAGING = frozenset({"offset", "limit", "page", "page_size", "per_page"})
# Free text that may well be a long run of digits (an account number searched for) is no integer.
TEXT = frozenset({"q", "next"})
_INTEGER = re.compile(r"[+-]?\d+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    if "\x00" in value:
        return "nul"
    if _SURROGATE.search(value):
        return "surrogate"
    return None


def integer_problem(name: str, value: str) -> str | None:
    value = value.strip()
    if name in TEXT or not _INTEGER.fullmatch(value):
        return None
    digits = value.lstrip("+-").lstrip("0")
    # Counted by digits first: int() refuses strings of more than 4300 digits.
    if len(digits) > 19 or abs(int(value)) > MAX_INT:
        return "range"
    if name in PAGING and int(value) < 0:
        return "negative"
    return None


def json_problem(value: Any) -> str | None:
    stack = [value]  # iterative: a deeply nested document must not exhaust the stack
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return problem
        elif isinstance(item, bool) or item is None or isinstance(item, float):
            continue
        elif isinstance(item, int):
            if abs(item) > MAX_INT:
                return "range"
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None
