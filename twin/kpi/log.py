"""Growing flat logs of intervals and of energy per time bin, the tracker's memory.

The tracker appends each machine's records in time order, so they need no sorting: the
indicators group them by machine with bincount.
"""

from __future__ import annotations

import numpy as np


class IntervalLog:
    """Records (machine, start ns, end ns, value) appended in blocks."""

    def __init__(self) -> None:
        self._cols: tuple[np.ndarray, ...] = (
            np.empty(1024, np.intp),
            np.empty(1024, np.int64),
            np.empty(1024, np.int64),
            np.empty(1024),
        )
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def append(
        self, machine: np.ndarray, start: np.ndarray, end: np.ndarray, value: np.ndarray
    ) -> None:
        k = machine.shape[0]
        if k == 0:
            return
        if self._n + k > self._cols[0].shape[0]:
            size = max(2 * self._cols[0].shape[0], self._n + k)
            grown = tuple(np.empty(size, c.dtype) for c in self._cols)
            for new, old in zip(grown, self._cols, strict=True):
                new[: self._n] = old[: self._n]
            self._cols = grown
        end_i = self._n + k
        for col, part in zip(self._cols, (machine, start, end, value), strict=True):
            col[self._n : end_i] = part
        self._n = end_i

    def view(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(machine, start, end, value): read-only views of what has been appended."""
        out = tuple(c[: self._n] for c in self._cols)
        for c in out:
            c.flags.writeable = False
        return out  # type: ignore[return-value]


class EnergyBins:
    """Energy (kWh) per machine in fixed time bins from the first sample on."""

    def __init__(self, machines: int, bin_ns: int) -> None:
        self.bin_ns = int(bin_ns)
        self.origin: int | None = None
        self.kwh = np.zeros((machines, 256))

    def add(self, machine: np.ndarray, t: np.ndarray, kwh: np.ndarray) -> None:
        """Add ``kwh`` (c, k) of ``machine`` (c,) at times ``t`` (k,)."""
        if t.shape[0] == 0:
            return
        if self.origin is None:
            self.origin = int(t[0]) - 1 - (int(t[0]) - 1) % self.bin_ns
        # A sample carries the energy of the time just before it: its bin is that time's.
        index = (t - 1 - self.origin) // self.bin_ns
        keep = index >= 0
        index, kwh = index[keep], kwh[:, keep]
        if index.shape[0] == 0:
            return
        need = int(index[-1]) + 1
        if need > self.kwh.shape[1]:
            grown = np.zeros((self.kwh.shape[0], max(need, 2 * self.kwh.shape[1])))
            grown[:, : self.kwh.shape[1]] = self.kwh
            self.kwh = grown
        # Sum the block's samples per (channel, bin) over just the bins it touches.
        first = int(index[0])
        width = need - first
        flat = (np.arange(kwh.shape[0])[:, None] * width + (index - first)[None, :]).ravel()
        sums = np.bincount(flat, np.nan_to_num(kwh).ravel(), kwh.shape[0] * width)
        self.kwh[machine, first:need] += sums.reshape(kwh.shape[0], width)

    def between(self, t0: int, t1: int) -> np.ndarray:
        """Energy per machine in [t0, t1), bins at the edges prorated: (machines,)."""
        if self.origin is None or t1 <= t0:
            return np.zeros(self.kwh.shape[0])
        edges = self.origin + np.arange(self.kwh.shape[1] + 1, dtype=np.int64) * self.bin_ns
        lo = np.clip(edges[:-1], t0, t1)
        hi = np.clip(edges[1:], t0, t1)
        share = (hi - lo) / self.bin_ns
        return self.kwh @ share
