"""A snapshot's words (summary and evidence per asset), made when a view reads them.

An evaluation flags a few assets of thousands, and the monitor keeps an hour of
snapshots: each keeps the figures of its flagged assets only (a few numbers a row) and
formats a row's text the first time it is read. The text is what ``text.py`` says of
the full findings; every other row reads "".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields, replace
from typing import overload

import numpy as np

from twin.condition.profile import FleetProfile
from twin.condition.severity import Findings
from twin.condition.text import evidence_of, summary_of
from twin.condition.trend import Trend

WORDED_TRENDS = ("vibration", "bearing_temp", "residual")  # the trends the text cites


def findings_rows(f: Findings, rows: np.ndarray) -> Findings:
    """What the text reads of the findings of ``rows`` alone (copies, so that the full
    arrays can go)."""

    def take(a: np.ndarray) -> np.ndarray:
        return np.array(a[rows])

    def take_trend(t: Trend) -> Trend:
        return Trend(*(take(getattr(t, x.name)) for x in fields(t)))

    return replace(
        f,
        mean=take(f.mean),
        zone=take(f.zone),
        trends={k: take_trend(f.trends[k]) for k in WORDED_TRENDS},
        ttl={k: take(v) for k, v in f.ttl.items()},
        thermal_ttl=take(f.thermal_ttl),
        residual=take(f.residual),
        model=take(f.model),
        flat=take(f.flat),
        missing=take(f.missing),
    )


class LazyText(Sequence[str]):
    """One string per asset row; the flagged rows' made by ``make(i, r)`` when first read
    (``i`` the row among the flagged, ``r`` the asset row), the others "". Compares equal
    to any sequence of the same strings."""

    def __init__(self, size: int, rows: np.ndarray, make: Callable[[int, int], str]) -> None:
        self._size = size
        self._rows = np.asarray(rows, dtype=np.int32)  # ascending
        self._make = make
        self._made: dict[int, str] = {}

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return tuple(self[k] for k in range(*index.indices(self._size)))
        r = int(index)
        if r < 0:
            r += self._size
        if not 0 <= r < self._size:
            raise IndexError(f"row {index} of {self._size}")
        i = int(np.searchsorted(self._rows, r))
        if i == self._rows.size or self._rows[i] != r:
            return ""
        text = self._made.get(r)
        if text is None:
            text = self._made[r] = self._make(i, r)
        return text

    def __iter__(self) -> Iterator[str]:
        return (self[k] for k in range(self._size))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(other) == self._size and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # equal to tuples, so not hashable

    def __repr__(self) -> str:
        return f"LazyText({self._size} rows, {self._rows.size} flagged)"


def describe(
    f: Findings, cause: np.ndarray, p: FleetProfile
) -> tuple[Sequence[str], Sequence[str]]:
    """(summary, evidence) per asset, "" for assets without a leading cause; kept as the
    flagged assets' figures and formatted when read."""
    rows = np.flatnonzero(cause)
    kept = findings_rows(f, rows)
    causes = [int(c) for c in cause[rows]]
    summary = LazyText(len(p), rows, lambda i, r: summary_of(kept, causes[i], i, p, r))
    evidence = LazyText(len(p), rows, lambda i, r: evidence_of(kept, i, p, r))
    return summary, evidence
