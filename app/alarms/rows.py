"""The alarm list's sort and filter keys, one entry per model row, kept column by column.

The model updates only the rows that change; the proxy reads whole columns as numpy
arrays (cached until the next change), so sorting and filtering 60,000 alarms is a few
vectorised passes, not a Python call per comparison.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from app.alarms.common import raised_time
from twin.alarms import AlarmState, AlarmStatus

STATE_RANK = {
    AlarmState.UNACK_ACTIVE: 6,
    AlarmState.UNACK_RTN: 5,
    AlarmState.ACK_ACTIVE: 4,
    AlarmState.SHELVED: 3,
    AlarmState.SUPPRESSED: 2,
    AlarmState.OUT_OF_SERVICE: 1,
    AlarmState.NORMAL: 0,
}
NUMERIC = ("prio", "rank", "raised", "value", "shelved")
TEXT = ("aid", "asset", "signal", "kind", "acked", "comment", "hay", "asset_id")


def row_keys(s: AlarmStatus) -> tuple[object, ...]:
    """One row's keys, in the order of ``NUMERIC + TEXT`` (text columns lower-cased,
    as the list sorts them; ``hay`` is what the text filter searches)."""
    acked, comment = s.acked_by or "", s.comment or ""
    hay = " ".join((s.alarm_id, s.asset_id, s.kind.value, acked, comment)).lower()
    return (
        int(s.priority),
        STATE_RANK[s.state],
        raised_time(s),
        -math.inf if math.isnan(s.value) else s.value,
        s.shelved_until or 0,
        s.alarm_id,
        s.asset_id.lower(),
        s.signal_id.lower(),
        s.kind.value.lower(),
        acked.lower(),
        comment.lower(),
        hay,
        s.asset_id,
    )


_DTYPES = {"prio": np.int8, "rank": np.int8, "raised": np.int64, "value": np.float64}


class RowKeys:
    """Columns of keys by model row. ``version`` changes with every change, ``rows``
    only when rows come or go (what depends on the alarm ids alone keeps until then)."""

    def __init__(self) -> None:
        self._cols: dict[str, list[object]] = {n: [] for n in (*NUMERIC, *TEXT)}
        self._names = tuple(self._cols)
        self._arrays: dict[str, np.ndarray] = {}
        self._codes: dict[str, np.ndarray] = {}
        self.version = 0
        self.rows = 0

    def __len__(self) -> int:
        return len(self._cols["aid"])

    def _touch(self) -> None:
        self.version += 1
        self.rows += 1
        self._arrays.clear()
        self._codes.clear()

    def rebuild(self, statuses: Iterable[AlarmStatus]) -> None:
        rows = [row_keys(s) for s in statuses]
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in self._names]
        self._cols = {n: list(c) for n, c in zip(self._names, columns, strict=True)}
        self._touch()

    def set(self, row: int, s: AlarmStatus) -> None:
        """A row changed: its keys are replaced in the lists and in the arrays already
        built, so that a flood of updates does not rebuild 60,000-row columns."""
        self.version += 1
        for name, key in zip(self._names, row_keys(s), strict=True):
            col = self._cols[name]
            if col[row] == key:
                continue
            col[row] = key
            self._codes.pop(name, None)  # ranks of texts: rebuilt when sorted by it
            a = self._arrays.get(name)
            if a is None:
                continue
            if a.dtype.kind == "U" and len(str(key)) > a.dtype.itemsize // 4:
                del self._arrays[name]  # longer than the array holds: build it again
            else:
                a[row] = key

    def append(self, statuses: Iterable[AlarmStatus]) -> None:
        rows = [row_keys(s) for s in statuses]
        if rows:
            for name, column in zip(self._names, zip(*rows, strict=True), strict=True):
                self._cols[name].extend(column)
        self._touch()

    def delete(self, row: int) -> None:
        for col in self._cols.values():
            del col[row]
        self.version += 1
        self.rows += 1
        # Arrays and ranks already built stay valid without the row: no rebuild.
        for cache in (self._arrays, self._codes):
            for name, a in cache.items():
                cache[name] = np.delete(a, row)

    def array(self, name: str) -> np.ndarray:
        """A column as a numpy array (object arrays for text), built once per version."""
        a = self._arrays.get(name)
        if a is None:
            values = self._cols[name]
            dtype = _DTYPES.get(name, np.int64 if name in NUMERIC else object)
            dtype = str if name == "hay" else dtype  # searched with np.char.find
            a = np.array(values, dtype=dtype) if values else np.empty(0, dtype)
            self._arrays[name] = a
        return a

    def codes(self, name: str) -> np.ndarray:
        """A text column as sort ranks (equal texts, equal ranks)."""
        c = self._codes.get(name)
        if c is None:
            a = self.array(name)
            c = np.unique(a, return_inverse=True)[1] if a.size else np.empty(0, np.intp)
            self._codes[name] = c
        return c
