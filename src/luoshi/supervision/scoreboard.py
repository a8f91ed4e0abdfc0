"""The unit scoreboard's arithmetic (单位考评). Pure: figures in, scores and ranks out.

    score = W_on_time × 按时报送率 + W_completion × 完成率 − W_overdue × 逾期任务数 − W_actions × 督办加权次数

* 按时报送率 = reports submitted by their due date / reports owed in the period; a unit that owed
  none scores the full rate (nothing was late).
* 完成率 = tasks closed by the end of the period / tasks due by then that were still open when it
  began; full when none was due.
* 督办加权次数 = the actions received in the period, each weighted by its step on the ladder
  (提醒 1, 催办 2, 督办单 3, 通报 4, 约谈 5, 问责 6).
* Ranking is competition ranking (1, 2, 2, 4) on the score rounded to one decimal; ties are listed
  by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from luoshi.tasks.rules import unit_score


@dataclass(frozen=True)
class Weights:
    on_time: float = 60
    completion: float = 40
    overdue: float = 5
    actions: float = 2

    @classmethod
    def from_settings(cls, luoshi: Mapping) -> Weights:
        given = luoshi.get("SCORE_WEIGHTS", {}) or {}
        return cls(**{k: float(v) for k, v in given.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class UnitFigures:
    unit_id: int
    name: str
    reports_owed: int = 0
    reports_on_time: int = 0
    tasks_due: int = 0
    tasks_done: int = 0
    overdue: int = 0
    actions: int = 0
    actions_weighted: int = 0
    tasks_led: int = 0  # every counted task the unit leads (任务数), judged this month or not

    @property
    def on_time_rate(self) -> float | None:
        return None if self.reports_owed == 0 else self.reports_on_time / self.reports_owed

    @property
    def completion_rate(self) -> float | None:
        return None if self.tasks_due == 0 else self.tasks_done / self.tasks_due


@dataclass(frozen=True)
class Standing:
    rank: int
    score: float
    figures: UnitFigures


def score(figures: UnitFigures, weights: Weights = Weights()) -> float:
    """``tasks.rules.unit_score`` with the office's weights."""
    return unit_score(figures, on_time=weights.on_time, completion=weights.completion, overdue=weights.overdue, actions=weights.actions)


def rank(rows: Iterable[UnitFigures], weights: Weights = Weights()) -> list[Standing]:
    scored = sorted(((score(f, weights), f) for f in rows), key=lambda sf: (-sf[0], sf[1].name, sf[1].unit_id))
    result: list[Standing] = []
    for position, (value, figures) in enumerate(scored, start=1):
        same = result and result[-1].score == value
        result.append(Standing(rank=result[-1].rank if same else position, score=value, figures=figures))
    return result
