"""Plain data the parser returns. No Django here: the caller maps these onto its models."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class UnitName:
    """One unit of the caller's directory: full name plus short names / aliases."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass
class OutlineItem:
    level: int
    label: str  # the enumerator as written: "一、", "一要", "第一", "（一）", "1." … ("" for lead sentences)
    text: str  # the heading / lead sentence, text == source[start:end]
    start: int
    end: int
    kind: str = "enum"  # part | enum | inline | lead
    number: int | None = None

    def to_dict(self) -> dict:
        return {
            "level": self.level,
            "label": self.label,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "number": self.number,
        }


@dataclass
class Candidate:
    title: str
    text: str
    measures: str
    start: int
    end: int
    section: int | None = None
    units: list[str] = field(default_factory=list)
    lead_unit: str | None = None
    lead_leader: str | None = None
    deadline: dt.date | None = None
    deadline_text: str | None = None
    targets: list[str] = field(default_factory=list)
    kind: str = "sentence"  # sentence | heading | item | assignment
    confidence: float = 0.5
    parent: int | None = None  # index (in tasks) of the heading candidate this one elaborates
    co_units: list[str] = field(default_factory=list)  # accountable units other than the lead
    mentioned_units: list[str] = field(default_factory=list)  # named, but own nothing here
    cadence: str | None = None  # 报送周期 (月报, 周报 …) from 每月5日前报送; never a deadline
    cadence_text: str | None = None

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "text": self.text,
            "measures": self.measures,
            "start": self.start,
            "end": self.end,
            "section": self.section,
            "units": list(self.units),
            "lead_unit": self.lead_unit,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_text": self.deadline_text,
            "targets": list(self.targets),
            "lead_leader": self.lead_leader,
            "kind": self.kind,
            "confidence": round(self.confidence, 2),
            "parent": self.parent,
            "co_units": list(self.co_units),
            "mentioned_units": list(self.mentioned_units),
            "cadence": self.cadence,
            "cadence_text": self.cadence_text,
        }


@dataclass
class DetectedDate:
    """The date the document gives itself and where it says so."""

    date: dt.date | None  # None when only the year is known (文号)
    year: int | None
    text: str  # the evidence as written: "发布时间:2023-04-10", "9月3日，市政府召开", "〔2024〕7号"
    start: int
    end: int
    source: str  # 落款 | 会议日期 | 成文日期 | 发布时间 | 日期 | 文号 …

    def to_dict(self) -> dict:
        return {
            "date": self.date.isoformat() if self.date else None,
            "year": self.year,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "source": self.source,
        }


@dataclass
class ParseResult:
    outline: list[OutlineItem] = field(default_factory=list)
    tasks: list[Candidate] = field(default_factory=list)
    issued: dt.date | None = None
    detected_date: DetectedDate | None = None

    @property
    def date_mismatch(self) -> bool | None:
        """Whether the document's own date disagrees with the confirmed one (None: nothing to compare)."""
        if self.issued is None or self.detected_date is None:
            return None
        if self.detected_date.date is not None:
            return self.detected_date.date != self.issued
        return self.detected_date.year is not None and self.detected_date.year != self.issued.year

    def to_dict(self) -> dict:
        return {
            "outline": [o.to_dict() for o in self.outline],
            "tasks": [t.to_dict() for t in self.tasks],
            "issued": self.issued.isoformat() if self.issued else None,
            "detected_date": self.detected_date.to_dict() if self.detected_date else None,
            "date_mismatch": self.date_mismatch,
        }
