"""Chinese numerals as used in enumerators and dates (一 … 九十九)."""

from __future__ import annotations

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_to_int(s: str) -> int | None:
    """'一'→1, '十'→10, '十二'→12, '二十'→20, '二十三'→23; arabic digits too. None if not a number."""
    if not s:
        return None
    if s.isascii() and s.isdigit():
        return int(s)
    if "十" in s:
        head, _, tail = s.partition("十")
        if "十" in tail:
            return None
        tens = 1 if head == "" else _DIGITS.get(head)
        ones = 0 if tail == "" else _DIGITS.get(tail)
        if tens is None or ones is None or len(head) > 1 or len(tail) > 1:
            return None
        return tens * 10 + ones
    if len(s) == 1:
        return _DIGITS.get(s)
    return None
