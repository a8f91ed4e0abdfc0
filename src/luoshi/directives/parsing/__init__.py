"""Directive parser: plain text of a speech, minutes, work report or 分工方案 → outline + candidate
tasks (spans, titles, measures, units, lead unit, deadlines, targets).

Pure Python — no Django, no database — so it runs in tests, the shell (``luoshi parse``) and the
evaluation (``python -m luoshi.directives.parsing.evaluate``) alike.
"""

from .errors import ParseError
from .model import Candidate, DetectedDate, OutlineItem, ParseResult, UnitName
from .parser import parse
from .segment import add_words, segment
from .textio import read_text

__all__ = [
    "Candidate",
    "DetectedDate",
    "OutlineItem",
    "ParseError",
    "ParseResult",
    "UnitName",
    "add_words",
    "parse",
    "read_text",
    "segment",
]
