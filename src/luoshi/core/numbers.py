"""Numbers as an office writes them: 24.8 (not 24.8000), 12 (not 12.0), 0.25; — when missing. And a
day as the lists write it (2026-06-30)."""

from __future__ import annotations

from decimal import Decimal

MISSING = "—"


def figure(value: float | Decimal | int | None, places: int = 4) -> str:
    """At most `places` decimals, trailing zeros dropped, no "-0"."""
    if value is None or value == "":
        return MISSING
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def iso_day(day, missing: str = "") -> str:
    """``day|date:"Y-m-d"`` for a date (a list writes fifty, and the filter's formatter is the slow
    way to four digits and two), or ``missing`` when there is none."""
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}" if day else missing
