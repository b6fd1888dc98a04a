"""Growing flat logs of events and of energy per time bin, the tracker's memory."""

from __future__ import annotations

import numpy as np


class EventLog:
    """Events (machine, time ns, value) appended in blocks; read back sorted by machine,
    then time."""

    def __init__(self) -> None:
        self._m = np.empty(1024, np.intp)
        self._t = np.empty(1024, np.int64)
        self._v = np.empty(1024)
        self._n = 0
        self._sorted: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return self._n

    def append(self, machine: np.ndarray, t: np.ndarray, value: np.ndarray) -> None:
        k = machine.shape[0]
        if k == 0:
            return
        if self._n + k > self._m.shape[0]:
            size = max(2 * self._m.shape[0], self._n + k)
            for name in ("_m", "_t", "_v"):
                old = getattr(self, name)
                new = np.empty(size, old.dtype)
                new[: self._n] = old[: self._n]
                setattr(self, name, new)
        end = self._n + k
        self._m[self._n : end], self._t[self._n : end], self._v[self._n : end] = machine, t, value
        self._n = end
        self._sorted = None

    def sorted(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(machine, t, value), ordered by machine, then time (stable)."""
        if self._sorted is None:
            m, t, v = self._m[: self._n], self._t[: self._n], self._v[: self._n]
            order = np.lexsort((t, m))
            self._sorted = (m[order], t[order], v[order])
        return self._sorted


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
            self.origin = int(t[0]) - int(t[0]) % self.bin_ns
        index = (t - self.origin) // self.bin_ns
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
