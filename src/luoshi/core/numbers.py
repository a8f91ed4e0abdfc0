"""Numbers as an office writes them: 24.8 (not 24.8000), 12 (not 12.0), 0.25; — when missing."""

from __future__ import annotations

from decimal import Decimal

MISSING = "—"


def figure(value: float | Decimal | int | None, places: int = 4) -> str:
    """At most `places` decimals, trailing zeros dropped, no "-0"."""
    if value is None or value == "":
        return MISSING
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
