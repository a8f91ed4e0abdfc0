"""统一社会信用代码 (unified social credit code), GB 32100-2015. Pure: no Django settings needed.

Eighteen characters from the 31 allowed (0–9 and the capitals without I, O, S, V, Z):
position 1 the registering authority, 2 the kind of body, 3–8 the area code (digits), 9–17 the
organisation code, 18 the check character. With the characters valued 0–30 in the order of
:data:`ALPHABET` and the weights 3^(i−1) mod 31 for positions i = 1…17, the check value is
``31 − (Σ value × weight) mod 31``, where 31 itself stands for 0.
"""

from __future__ import annotations

from luoshi.core.i18n import gettext

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def normalise(text: str) -> str:
    """Upper case, full-width letters and digits folded, spaces dropped."""
    folded = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in (text or ""))
    return "".join(folded.split()).upper()


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """None when ``code`` (already normalised) is valid, otherwise what is wrong with it."""
    if len(code) != LENGTH:
        return gettext("统一社会信用代码应为18位，现为%(n)s位。", n=len(code))
    bad = [c for c in code if c not in ALPHABET]
    if bad:
        return gettext("统一社会信用代码含有不允许的字符：%(chars)s。", chars="、".join(dict.fromkeys(bad)))
    if not code[2:8].isdigit():
        return gettext("统一社会信用代码第3–8位应为行政区划代码（数字）。")
    if check_character(code[:17]) != code[17]:
        return gettext("统一社会信用代码校验位不符，请核对后重新填写。")
    return None


def is_valid(code: str) -> bool:
    return problem(normalise(code)) is None
