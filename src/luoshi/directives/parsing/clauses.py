"""Clause boundaries of a text: where a clerk may cut one row into two without counting characters."""

from __future__ import annotations

# Full-width marks, and the ASCII ones text pasted from web pages carries instead.
BOUNDARY_MARKS = frozenset("，；、。！？：,;!?:\n")
OPENERS = "“‘「『《（("
CLOSERS = "”’」』》）)"


def clause_boundaries(text: str) -> list[int]:
    """Offsets just after each clause mark (，；、。 …) outside quotes and brackets that still has
    words after it. Offsets index `text` as given (code points)."""
    if not isinstance(text, str):
        return []
    found: list[int] = []
    depth = 0
    last = len(text.rstrip())
    for index, ch in enumerate(text):
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS and depth:
            depth -= 1
        elif ch in BOUNDARY_MARKS and depth == 0 and 0 < index + 1 < last:
            found.append(index + 1)
    return found


def clause_segments(text: str) -> list[tuple[int, int, str]]:
    """The text cut at its boundaries: (start, end, words) for each piece, in order."""
    cuts = [0, *clause_boundaries(text), len(text)]
    return [(a, b, text[a:b]) for a, b in zip(cuts, cuts[1:]) if b > a]
