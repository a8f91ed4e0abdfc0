"""The stored form of one period's scores: :func:`encode` turns a :class:`scoring.PeriodResult` into
bytes and :func:`decode` turns them back into an equal one.

Scoring a county-scale set (300 entities × 100 indicators × 20 periods) takes seconds, so each
change to a set's scoring inputs stores the results of :func:`scoring.score_all` once and the pages
read them back. The format is plain tuples in :mod:`marshal` (no classes: loading runs no code and
is several times faster than rebuilding from JSON), compressed. The specs are not stored: they are
the set's current indicators, and every change to them stores the results again.

Each entity's indicator cells are kept as their own bytes and only turned into
:class:`scoring.IndicatorResult` objects when read (:class:`LazyCells`): the heatmap and the trend
read one entity's cells (ours) in every period, so decoding all 30,000 cells of each of 20 periods
would cost them seconds for nothing.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Iterator, Mapping

from .scoring import Bounds, EntityResult, IndicatorResult, IndicatorSpec, PeriodResult

# Bump when the tuple layout changes: rows of another version are treated as absent and scored anew.
FORMAT = 2


class LazyCells(Mapping):
    """One entity's {indicator code: IndicatorResult}, decoded on first use."""

    __slots__ = ("_entity", "_data", "_cells")

    def __init__(self, entity: str, data: bytes) -> None:
        self._entity = entity
        self._data = data
        self._cells: dict[str, IndicatorResult] | None = None

    def _load(self) -> dict[str, IndicatorResult]:
        if self._cells is None:
            name, IR = self._entity, IndicatorResult
            self._cells = {c[0]: IR(name, c[0], c[1], c[2], c[3], c[4], c[5]) for c in marshal.loads(self._data)}
            self._data = b""
        return self._cells

    def __getitem__(self, code: str) -> IndicatorResult:
        return self._load()[code]

    def get(self, code, default=None):
        return self._load().get(code, default)

    def __contains__(self, code) -> bool:
        return code in self._load()

    def items(self):
        # The dict's own view: Mapping's would look every cell up again.
        return self._load().items()

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __repr__(self) -> str:
        return repr(self._load())


def encode(result: PeriodResult) -> bytes:
    entities = tuple(
        (e.entity, e.composite, e.rank, e.tier, e.weight_used, e.covered,
         marshal.dumps(tuple((c.indicator, c.value, c.score, c.rank, c.tier, c.source) for c in e.indicators.values())))
        for e in result.entities
    )
    bounds = tuple((code, b.basis, b.frontier, b.worst, b.n) for code, b in result.bounds.items())
    return zlib.compress(marshal.dumps((FORMAT, result.period, result.tier_size, entities, bounds)), 1)


def decode(data: bytes, specs: Mapping[str, IndicatorSpec]) -> PeriodResult | None:
    """The stored result, with ``specs`` as its specs; None when ``data`` is of another format."""
    payload = marshal.loads(zlib.decompress(data))
    if payload[0] != FORMAT:
        return None
    _format, period, tier_size, entities, bounds = payload
    out = [
        EntityResult(name, composite, rank, tier, LazyCells(name, cells), weight_used, covered)
        for name, composite, rank, tier, weight_used, covered, cells in entities
    ]
    return PeriodResult(period, dict(specs), out, {b[0]: Bounds(b[1], b[2], b[3], b[4]) for b in bounds}, tier_size)
