"""Vectorised alarm kernels: hysteresis, on/off delays, rate of change and no data over a
block of samples, one row per alarm, exact at the sample timestamps.

Each kernel takes the state carried over from the previous block and returns the new
state, so evaluating a signal in blocks gives the same result as evaluating it whole.
Latching ("hold the last decision") is a running maximum over codes ``2*i + value`` at
the samples that decide, seeded with the carried value (codes -2/-1 for False/True).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# "Long ago" as a time: far enough back that every delay has elapsed, near enough to zero
# that t - NEVER cannot overflow int64.
NEVER = np.int64(np.iinfo(np.int64).min // 2)


def latch(decide: np.ndarray, value: np.ndarray, init: np.ndarray) -> np.ndarray:
    """Per row: ``value`` where ``decide``, else the last decided value (``init`` before any).

    ``decide``/``value`` are bool (rows, n); ``init`` bool (rows,).
    """
    n = decide.shape[1]
    codes = np.where(decide, 2 * np.arange(n, dtype=np.int64) + value, -3)
    np.maximum.accumulate(codes, axis=1, out=codes)
    np.maximum(codes, init.astype(np.int64)[:, None] - 2, out=codes)
    return (codes & 1).astype(bool)


def shifted(first: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``m`` moved one column right, with ``first`` as column 0 (each row's previous value)."""
    out = np.empty_like(m)
    out[:, 0] = first
    out[:, 1:] = m[:, :-1]
    return out


def run_start(change: np.ndarray, t: np.ndarray, carried: np.ndarray) -> np.ndarray:
    """Time of the sample that began each sample's run (``carried`` before the first change)."""
    idx = np.where(change, np.arange(change.shape[1]), -1)
    np.maximum.accumulate(idx, axis=1, out=idx)
    return np.where(idx >= 0, t[idx], carried[:, None])


@dataclass
class DelayState:
    """Carried per row: the hysteresis output, when its current run began, the alarm."""

    latched: np.ndarray  # bool
    runstart: np.ndarray  # int64 ns
    active: np.ndarray  # bool

    @classmethod
    def fresh(cls, rows: int) -> DelayState:
        return cls(np.zeros(rows, bool), np.full(rows, NEVER), np.zeros(rows, bool))


def delay_filter(
    x: np.ndarray,
    t: np.ndarray,
    thr: np.ndarray,
    rst: np.ndarray,
    on_ns: np.ndarray,
    off_ns: np.ndarray,
    state: DelayState,
) -> tuple[np.ndarray, DelayState]:
    """Alarm activity (rows, k) of "x above thr" with hysteresis and delays.

    The condition sets where x > thr, resets where x <= rst (rst = thr - deadband) and holds
    in between. The alarm raises at the first sample at which the condition has held for
    ``on_ns`` since the sample where it set, and clears likewise after ``off_ns``. NaN
    samples are no data: they decide nothing, as if absent. Low limits use x = -value and
    thr = -limit. Returns (active, state after the block).
    """
    seen = ~np.isnan(x)
    with np.errstate(invalid="ignore"):
        up = x > thr[:, None]
        down = x <= rst[:, None]
    latched = latch(up | down, up, state.latched)
    change = latched != shifted(state.latched, latched)
    runstart = run_start(change, t, state.runstart)
    elapsed = t - runstart
    go = latched & seen & (elapsed >= on_ns[:, None])
    stop = ~latched & seen & (elapsed >= off_ns[:, None])
    active = latch(go | stop, go, state.active)
    return active, DelayState(latched[:, -1].copy(), runstart[:, -1].copy(), active[:, -1].copy())


def roc_rate(
    tail_t: np.ndarray,
    tail_v: np.ndarray,
    t: np.ndarray,
    v_t: np.ndarray,
    window_ns: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """|dv/dt| in unit/s per sample and row, over each row's window, as (k, rows).

    Sample-major layout (``v_t`` is (k, rows), ``tail_v`` (m, rows)): picking the samples
    j of every row is then a gather of whole rows, and per-row reductions are fast.
    The rate at sample i is (v_i - v_j) / (t_i - t_j) with j the newest sample at or before
    t_i - window (so the span is at least the window); NaN without such a sample yet.
    ``tail_t``/``tail_v`` are the samples kept from earlier blocks. Returns (rate, the new
    tail_t, the new tail_v).
    """
    m = tail_t.shape[0]
    big_t = np.concatenate([tail_t, t])
    big_v = np.concatenate([tail_v, v_t.astype(np.float64, copy=False)], axis=0)
    rate = np.full(v_t.shape, np.nan)
    windows = np.unique(window_ns)
    for w in windows:
        j = np.searchsorted(big_t, t - w, side="right") - 1
        cols = np.flatnonzero(j >= 0)
        if cols.size == 0:
            continue
        jj = j[cols]
        dt = (t[cols] - big_t[jj]).astype(np.float64)[:, None]
        if windows.size == 1:  # the usual case: one window for every row
            rate[cols] = np.abs((big_v[m + cols] - big_v[jj]) / dt * 1e9)
        else:
            rows = np.flatnonzero(window_ns == w)
            dv = big_v[np.ix_(m + cols, rows)] - big_v[np.ix_(jj, rows)]
            rate[np.ix_(cols, rows)] = np.abs(dv / dt * 1e9)
    # Keep the newest sample at or before (last time - longest window), and all after it.
    keep = max(0, int(np.searchsorted(big_t, big_t[-1] - window_ns.max(), side="right")) - 1)
    return rate, big_t[keep:].copy(), big_v[keep:].copy()


@dataclass
class NoDataState:
    """Carried per row: last finite sample time, whether the previous sample was finite,
    when the current run of finite samples began, and the alarm."""

    last: np.ndarray  # int64 ns
    finite: np.ndarray  # bool
    runstart: np.ndarray  # int64 ns
    active: np.ndarray  # bool

    @classmethod
    def fresh(cls, rows: int, start_ns: int) -> NoDataState:
        return cls(
            np.full(rows, start_ns, np.int64),
            np.zeros(rows, bool),
            np.full(rows, NEVER),
            np.zeros(rows, bool),
        )


def no_data(
    t: np.ndarray, finite: np.ndarray, stale_ns: np.ndarray, off_ns: np.ndarray, s: NoDataState
) -> tuple[np.ndarray, np.ndarray, np.ndarray, NoDataState]:
    """Transitions of no-data alarms over a block: (rows, positions, times, new state).

    The alarm raises at last-finite-time + stale_ns when no finite sample came within
    stale_ns (NaN samples are no data), and clears at the first finite sample after which
    finite samples have run, without NaN or stale gaps, for ``off_ns``. Position 2i marks
    a raise found at sample i (stamped last finite time + stale_ns), 2i+1 a clear at it.
    The last finite time never goes back: samples stamped before ``s.last`` (older than
    the engine's start) count as seen at ``s.last``.
    A NaN sample finds a raise as a late sample does, so the block's end needs no check.
    """
    rows, k = finite.shape
    idx = np.where(finite, np.arange(k), -1)
    np.maximum.accumulate(idx, axis=1, out=idx)
    last = np.where(idx >= 0, t[idx], s.last[:, None])  # last finite time, at or before i
    np.maximum(last, s.last[:, None], out=last)
    before = shifted(s.last, last)  # ... strictly before sample i
    stale = (t - before) > stale_ns[:, None]
    new_run = finite & (~shifted(s.finite, finite) | stale)
    runstart = run_start(new_run, t, s.runstart)
    clear = finite & ((t - runstart) >= off_ns[:, None])
    decide = np.empty((rows, 2 * k), bool)
    decide[:, 0::2] = stale
    decide[:, 1::2] = clear
    value = np.zeros_like(decide)
    value[:, 0::2] = True
    active = latch(decide, value, s.active)
    r, pos = np.nonzero(active != shifted(s.active, active))
    i = pos // 2
    times = np.where(pos % 2 == 0, before[r, i] + stale_ns[r], t[i])
    new = NoDataState(
        last[:, -1].copy(), finite[:, -1].copy(), runstart[:, -1].copy(), active[:, -1].copy()
    )
    return r, pos, times, new
