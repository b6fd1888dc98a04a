"""Production cycles of cyclic machines: variation, micro-stops, breakdowns and scrap.

Each machine makes one part per cycle. A cycle starts where the previous one ended and is,
in order: a breakdown (rare; the state signal says why), a wait (the handling gap, sometimes
a micro-stop), then the working time, at whose end the part is counted, good or scrap.
Machines that stop while working (a loom's warp breaks) also have stops inside the working
time, drawn from a generator of their own so that machines without them draw what they did
before. The schedule is drawn ahead in blocks of cycles from a generator per asset, so it is
deterministic with the seed and the same however the time is asked for; it is also the
simulator's ground truth (``CycleSchedule.truth``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from twin.sources.sim.noise import noise_rng
from twin.sources.sim.params import Params

# State codes of a machine's "state" signal. Codes from DOWN_FIRST up are downtime causes.
STATE_IDLE = 0.0
STATE_RUN = 1.0
DOWN_CAUSES = (2.0, 3.0, 4.0, 5.0)  # breakdown, tool change, material shortage, electrical
_CAUSE_WEIGHTS = np.array([0.45, 0.25, 0.2, 0.1])
_BLOCK = 256  # cycles drawn at a time per asset
_DEFAULTS: Mapping[str, float | np.ndarray] = {
    "cycle_spread": 0.03,
    "handling_share": 0.05,
    "microstop_p": 0.05,
    "microstop_s": 60.0,
    "mtbf_h": 8.0,
    "mttr_min": 12.0,
    "scrap_p": 0.02,
    "stops_per_h": 0.0,
    "stop_s": 60.0,
}
# Row stride of the flattened search: far beyond any simulated time (s), so that one
# searchsorted finds every asset's cycle at once.
_STRIDE = 1e9


@dataclass(frozen=True, slots=True)
class CycleTruth:
    """What one machine really did: its cycles ending in (0, until], in order.

    ``start``/``work``/``end`` are seconds since the simulation start (``work``: when the
    working time began); ``scrap`` flags the parts that were scrap. ``down`` holds the
    downtime intervals overlapping (0, until] as rows (start, end, cause code); ``stops``
    the stops inside working times (state idle) as rows (start, end).
    """

    start: np.ndarray
    work: np.ndarray
    end: np.ndarray
    scrap: np.ndarray
    down: np.ndarray
    stops: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))


class CycleSchedule:
    """The cycles of ``n`` machines, drawn ahead as far as they are asked for.

    Params per asset: cycle_s (mean cycle time, default ``default_cycle_s``),
    cycle_spread (relative sd of the working time, 0.03), handling_share (share of the
    cycle that is the handling gap, 0.05), microstop_p (0.05), microstop_s (60, the longest),
    mtbf_h (8), mttr_min (12, median repair), scrap_p (0.02), stops_per_h (stops inside the
    working time per hour of work, 0) and stop_s (60: a stop lasts 10 s to 10 s + stop_s).
    ``defaults`` overrides those defaults for a kind (a number or a per-asset array).
    """

    def __init__(
        self,
        seed: int,
        kind: str,
        asset_ids: Sequence[str],
        params: Params,
        default_cycle_s: float | np.ndarray,
        defaults: Mapping[str, float | np.ndarray] | None = None,
    ) -> None:
        self.n = len(asset_ids)
        self._rngs = [noise_rng(seed, kind, "cycles", a) for a in asset_ids]
        d = {**_DEFAULTS, **(defaults or {})}

        def num(name: str) -> np.ndarray:
            return params.num(name, d[name])

        self.cycle_s = np.maximum(params.num("cycle_s", default_cycle_s), 1.0)
        self._spread = np.clip(num("cycle_spread"), 0.0, 0.5)
        self._handling = np.clip(num("handling_share"), 0.0, 0.9)
        self._micro_p = np.clip(num("microstop_p"), 0.0, 1.0)
        self._micro_s = np.maximum(num("microstop_s"), 0.0)
        mtbf_s = np.maximum(num("mtbf_h"), 1e-3) * 3600.0
        self._down_p = np.clip(self.cycle_s / mtbf_s, 0.0, 1.0)
        self._mttr_s = np.maximum(num("mttr_min"), 0.0) * 60.0
        self._scrap_p = np.clip(num("scrap_p"), 0.0, 1.0)
        self._stops_per_s = np.maximum(num("stops_per_h"), 0.0) / 3600.0
        self._stop_s = np.maximum(num("stop_s"), 0.0)
        self._stop_rngs = {
            row: noise_rng(seed, kind, "stops", a)
            for row, a in enumerate(asset_ids)
            if self._stops_per_s[row] > 0
        }
        # Per asset with stops: their (start, end) times, and those of the block being drawn
        # (cycle index in the block, offset from the working time's start, duration).
        self._stops: dict[int, np.ndarray] = {r: np.empty((0, 2)) for r in self._stop_rngs}
        self._pending: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        # Cycle i: start[i] = end[i - 1]; down until down_end, idle until work, run until end.
        empty = np.empty((self.n, 0))
        self.start, self.down_end, self.work, self.end = empty, empty, empty, empty
        self.cause = empty
        self.scrap = np.empty((self.n, 0), dtype=bool)
        # The first cycle is under way at t = 0 (machines do not all start together).
        u0 = np.array([rng.random() for rng in self._rngs])
        self._next_start = -u0 * self.cycle_s
        self._first_extend = True

    # -- drawing ---------------------------------------------------------------------------

    def _draw(self, row: int) -> np.ndarray:
        """One block of cycles of one asset: rows down, cause, idle, work and scrap (0/1),
        (5, _BLOCK); times in seconds."""
        rng, c = self._rngs[row], self.cycle_s[row]
        u = rng.random((6, _BLOCK))
        normal = rng.standard_normal(_BLOCK)
        down = np.where(u[0] < self._down_p[row], self._mttr_s[row] * np.exp(0.6 * normal), 0.0)
        cause = np.array(DOWN_CAUSES)[np.searchsorted(np.cumsum(_CAUSE_WEIGHTS), u[1] * 0.9999)]
        micro = np.where(u[2] < self._micro_p[row], 10.0 + u[3] * self._micro_s[row], 0.0)
        handling = self._handling[row] * c
        spread = np.exp(self._spread[row] * rng.standard_normal(_BLOCK))
        work = (c - handling) * spread
        idle = handling * (0.8 + 0.4 * u[4]) + micro
        scrap = u[5] < self._scrap_p[row]
        if self._first_extend:  # a running start: no breakdown in the cycle under way
            down[0] = 0.0
        if row in self._stop_rngs:
            work = work + self._draw_stops(row, work)
        return np.stack([down, cause, idle, work, scrap.astype(float)])

    def _draw_stops(self, row: int, work: np.ndarray) -> np.ndarray:
        """Stops inside one block's working times (kept pending); their total per cycle."""
        rng = self._stop_rngs[row]
        counts = rng.poisson(self._stops_per_s[row] * work)
        cycle = np.repeat(np.arange(work.shape[0]), counts)
        offset = rng.random(cycle.shape[0]) * work[cycle]
        duration = 10.0 + rng.random(cycle.shape[0]) * self._stop_s[row]
        order = np.lexsort((offset, cycle))
        offset, duration = offset[order], duration[order]
        # Each stop starts later by the stops before it in its cycle.
        before = np.cumsum(duration) - duration
        first = np.cumsum(counts) - counts
        offset = offset + before - before[first[cycle]] if cycle.size else offset
        self._pending[row] = (cycle, offset, duration)
        return np.bincount(cycle, duration, work.shape[0])

    def extend_to(self, t_s: float) -> None:
        """Draw cycles until every asset's last one ends after ``t_s``."""
        while self.end.shape[1] == 0 or float(self.end[:, -1].min()) <= t_s:
            parts = np.stack([self._draw(row) for row in range(self.n)], axis=1)  # (5, n, B)
            self._first_extend = False
            down, cause, idle, work, scrap = parts
            length = down + idle + work
            ends = self._next_start[:, None] + np.cumsum(length, axis=1)
            starts = ends - length
            self.start = np.hstack([self.start, starts])
            self.down_end = np.hstack([self.down_end, starts + down])
            self.work = np.hstack([self.work, starts + down + idle])
            self.end = np.hstack([self.end, ends])
            self.cause = np.hstack([self.cause, cause])
            self.scrap = np.hstack([self.scrap, scrap > 0.5])
            self._next_start = ends[:, -1].copy()
            self._place_stops(starts + down + idle)
            self._scrap_before = np.hstack(
                [np.zeros((self.n, 1)), np.cumsum(self.scrap, axis=1)[:, :-1]]
            )
            self._ends_done = (self.end <= 0.0).sum(axis=1)  # cycles ended before t = 0

    def _place_stops(self, work: np.ndarray) -> None:
        """The pending stops at absolute times, given the block's working starts (n, B)."""
        for row, (cycle, offset, duration) in self._pending.items():
            begin = work[row, cycle] + offset
            new = np.stack([begin, begin + duration], axis=1)
            self._stops[row] = np.vstack([self._stops[row], new])
        self._pending.clear()

    # -- sampling --------------------------------------------------------------------------

    def at(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row index (n, 1), cycle index (n, k)) of the cycle each asset is in at ``t`` (s)."""
        if t.size:
            self.extend_to(float(t.max()))
        m = self.end.shape[1]
        rows = np.arange(self.n)[:, None]
        flat = (self.end + rows * _STRIDE).ravel()
        index = np.searchsorted(flat, (t[None, :] + rows * _STRIDE).ravel(), side="right")
        return rows, index.reshape(self.n, t.shape[0]) - rows * m

    def state(self, t: np.ndarray) -> np.ndarray:
        """State code at ``t``: (n, k)."""
        rows, i = self.at(t)
        tt = t[None, :]
        down = tt < self.down_end[rows, i]
        working = tt >= self.work[rows, i]
        for row, stops in self._stops.items():
            j = np.searchsorted(stops[:, 0], t, side="right") - 1
            working[row] &= ~((j >= 0) & (t < stops[np.maximum(j, 0), 1]))
        return np.where(down, self.cause[rows, i], np.where(working, STATE_RUN, STATE_IDLE))

    def progress(self, t: np.ndarray) -> np.ndarray:
        """Progress through the working time in [0, 1), or -1 while not working: (n, k)."""
        rows, i = self.at(t)
        w0, w1 = self.work[rows, i], self.end[rows, i]
        u = (t[None, :] - w0) / np.maximum(w1 - w0, 1e-9)
        return np.where(u >= 0.0, np.minimum(u, 1.0 - 1e-12), -1.0)

    def counts(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(parts made, of which scrap) since t = 0, at ``t``: (n, k) each."""
        rows, i = self.at(t)
        made = i - self._ends_done[:, None]
        scrap = self._scrap_before[rows, i] - self._scrap_before[rows, self._ends_done[:, None]]
        return made.astype(float), scrap

    # -- ground truth ----------------------------------------------------------------------

    def truth(self, row: int, until_s: float) -> CycleTruth:
        """The cycles of asset ``row`` that ended in (0, until_s]."""
        self.extend_to(until_s)
        end = self.end[row]
        keep = (end > 0.0) & (end <= until_s)
        d0, d1 = self.start[row], self.down_end[row]
        has_down = (d1 > d0) & (d1 > 0.0) & (d0 < until_s)
        down = np.stack(
            [
                np.maximum(d0[has_down], 0.0),
                np.minimum(d1[has_down], until_s),
                self.cause[row][has_down],
            ],
            axis=1,
        )
        return CycleTruth(
            start=self.start[row][keep],
            work=self.work[row][keep],
            end=end[keep],
            scrap=self.scrap[row][keep],
            down=down,
            stops=self._stops_until(row, until_s),
        )

    def _stops_until(self, row: int, until_s: float) -> np.ndarray:
        stops = self._stops.get(row, np.empty((0, 2)))
        keep = (stops[:, 1] > 0.0) & (stops[:, 0] < until_s)
        return np.clip(stops[keep], 0.0, until_s)
