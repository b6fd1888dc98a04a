"""Per-window count, sum, min and max of every monitored signal, summed batch by batch.

Runs on the ingest thread, so each batch costs a few vectorised reductions over its
monitored channels. A window closes once data ``grace_s`` past its end has arrived (from
any group), so groups that lag a little still land in the right window; samples for a
window already closed are counted in ``late_samples`` and dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from twin.batch import Batch, ChannelGroup
from twin.condition.evaluator import NS, WindowMeans
from twin.condition.profile import KEYS, FleetProfile
from twin.values import to_float


class _Sums:
    """One open window: flat (n * len(KEYS),) accumulators."""

    def __init__(self, size: int) -> None:
        self.n = np.zeros(size, dtype=np.int64)
        self.sum = np.zeros(size)
        self.mn = np.full(size, np.nan)
        self.mx = np.full(size, np.nan)


class WindowAccumulator:
    """Turns batches into closed ``WindowMeans``, windows aligned to multiples of
    ``window_s`` since the epoch."""

    def __init__(
        self,
        profile: FleetProfile,
        groups: Iterable[ChannelGroup],
        *,
        window_s: float = 60.0,
        grace_s: float = 2.0,
    ) -> None:
        self.profile = profile
        self.width_ns = round(window_s * NS)
        self.grace_ns = round(grace_s * NS)
        self._size = len(profile) * len(KEYS)
        cells = profile.cells()
        self._plans: dict[str, tuple[np.ndarray, np.ndarray | slice]] = {}
        for g in groups:
            idx = np.array([cells.get(s, -1) for s in g.signal_ids], dtype=np.int64)
            chans = np.flatnonzero(idx >= 0)
            if chans.size:
                self._plans[g.key] = (chans, _as_slice(idx[chans]))
        self._open: dict[int, _Sums] = {}  # window index -> sums
        self._closed_below = -(2**62)  # windows below this index are closed
        self._latest = -(2**62)
        self.late_samples = 0

    @property
    def groups(self) -> tuple[str, ...]:
        """The channel groups that hold monitored signals."""
        return tuple(self._plans)

    def add(self, batch: Batch) -> list[WindowMeans]:
        """Sum one batch in; the windows this closes, oldest first."""
        plan = self._plans.get(batch.group)
        if plan is None or len(batch) == 0:
            return []
        chans, cells = plan
        v = to_float(batch.v[chans] if chans.size != batch.v.shape[0] else batch.v)
        win = batch.t // self.width_ns
        cuts = np.flatnonzero(np.diff(win)) + 1
        for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(win)], strict=False):
            self._sum(int(win[a]), cells, v[:, a:b])
        self._latest = max(self._latest, int(batch.t[-1]))
        return self._close(self._latest - self.grace_ns)

    def flush(self) -> list[WindowMeans]:
        """Close every open window (at the end of a run)."""
        return self._close(2**62)

    def _sum(self, w: int, cells: np.ndarray | slice, v: np.ndarray) -> None:
        if w < self._closed_below:
            self.late_samples += int(np.count_nonzero(~np.isnan(v)))
            return
        s = self._open.get(w)
        if s is None:
            s = self._open[w] = _Sums(self._size)
        if v.shape[1] == 1:  # the common 1 Hz batch: one sample per channel
            x = v[:, 0]
            ok = ~np.isnan(x)
            s.n[cells] += ok
            s.sum[cells] += np.where(ok, x, 0.0)
            s.mn[cells] = np.fmin(s.mn[cells], x)
            s.mx[cells] = np.fmax(s.mx[cells], x)
            return
        s.n[cells] += np.count_nonzero(~np.isnan(v), axis=1)
        s.sum[cells] += np.nansum(v, axis=1)
        s.mn[cells] = np.fmin(s.mn[cells], np.fmin.reduce(v, axis=1))
        s.mx[cells] = np.fmax(s.mx[cells], np.fmax.reduce(v, axis=1))

    def _close(self, before_ns: int) -> list[WindowMeans]:
        out = []
        for w in sorted(self._open):
            end = (w + 1) * self.width_ns
            if end > before_ns:
                break
            s = self._open.pop(w)
            out.append(window_means(end, s.n, s.sum, s.mn, s.mx, len(self.profile)))
            self._closed_below = w + 1
        return out


def _as_slice(cells: np.ndarray) -> np.ndarray | slice:
    """A slice when the cells step evenly (a group holding one key of consecutive
    assets): slices write in place, index arrays gather and scatter."""
    if cells.size > 1:
        step = int(cells[1] - cells[0])
        if step > 0 and np.array_equal(np.diff(cells), np.full(cells.size - 1, step)):
            return slice(int(cells[0]), int(cells[-1]) + 1, step)
    return cells


def window_means(
    t_ns: int, n: np.ndarray, total: np.ndarray, mn: np.ndarray, mx: np.ndarray, assets: int
) -> WindowMeans:
    """``WindowMeans`` from flat count/sum/min/max accumulators (as the history's pyramid
    holds them too)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, total / np.maximum(n, 1), np.nan)
    spread = np.where(n > 0, mx - mn, np.nan)
    shape = (assets, len(KEYS))
    return WindowMeans(t_ns, mean.reshape(shape), spread.reshape(shape))
