"""The one definition of a weak indicator (落后指标). Pure: plain values in, a bool out.

An indicator is weak when our rank is known and strictly worse than the set's threshold
(``IndicatorSet.flag_rank``, 排名落后阈值): with the default threshold 10, rank 10 is not weak and
rank 11 is. An unknown rank (no data, not ranked) is never weak. Rank 1 is the best.

Every place that marks, counts or lists weak indicators (the indicator table, the heat map, the
set overview's count, the flags, the dashboard's panel, turning an indicator into a task) asks
:func:`is_weak`, so the marks, the count and the list agree.
"""

from __future__ import annotations

from collections.abc import Iterable


def is_weak(rank: int | None, threshold: int) -> bool:
    """Whether ``rank`` is behind ``threshold`` (strictly greater); False for an unknown rank.
    Raises ``ValueError`` for a threshold below 1 (the model refuses one too)."""
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise ValueError("threshold must be an integer of at least 1")
    return rank is not None and rank > threshold


def weak_ranks(ranks: Iterable[int | None], threshold: int) -> list[int]:
    """The weak ranks among ``ranks``, worst first (what a "weakest indicators" list shows)."""
    return sorted((r for r in ranks if is_weak(r, threshold)), reverse=True)
