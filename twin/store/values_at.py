"""Each signal's value at a moment, read from a store: what a replayed frame shows."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from twin.store.ring import NO_TIME, RingBuffer
from twin.store.signal_store import SignalStore

_T_MIN = int(np.iinfo(np.int64).min)
_T_MAX = int(np.iinfo(np.int64).max)


@dataclass(frozen=True, slots=True)
class _Segment:
    ring: RingBuffer
    channels: np.ndarray  # channel index in the ring, per output position
    out: np.ndarray  # output positions


_plans: weakref.WeakKeyDictionary[SignalStore, dict[tuple[str, ...], tuple[_Segment, ...]]]
_plans = weakref.WeakKeyDictionary()
_plans_lock = threading.Lock()


def latest_values_at(
    store: SignalStore, signal_ids: Sequence[str], t: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each signal's newest value (float64) at or before ``t`` and its time (int64), in
    order; NaN and ``NO_TIME`` where a signal has none. ``store.latest_values`` at a
    cursor: the frame at ``t`` never shows a sample from after ``t``.

    One search per group, not per signal. Exact on replay stores (never written after
    they are published); on a live store a value can only be torn when ``t`` falls among
    the oldest samples at the moment the writer overwrites them.
    """
    segments = _plan(store, signal_ids)
    values = np.full(len(signal_ids), np.nan, dtype=np.float64)
    times = np.full(len(signal_ids), NO_TIME, dtype=np.int64)
    hi = min(int(t), _T_MAX - 1)  # window() searches for t + 1
    for seg in segments:
        ts, vs = seg.ring.window(_T_MIN, hi)
        if ts.shape[0]:
            times[seg.out] = ts[-1]
            values[seg.out] = vs[seg.channels, -1]
    return values, times


def _plan(store: SignalStore, signal_ids: Sequence[str]) -> tuple[_Segment, ...]:
    key = signal_ids if isinstance(signal_ids, tuple) else tuple(signal_ids)
    with _plans_lock:
        per_store = _plans.setdefault(store, {})
        plan = per_store.get(key)
    if plan is not None:
        return plan
    by_group: dict[str, tuple[list[int], list[int]]] = {}
    for i, sid in enumerate(key):
        group, ch = store.locate(sid)
        chans, out = by_group.setdefault(group, ([], []))
        chans.append(ch)
        out.append(i)
    plan = tuple(
        _Segment(store.ring(g), np.array(c, dtype=np.intp), np.array(o, dtype=np.intp))
        for g, (c, o) in by_group.items()
    )
    with _plans_lock:
        if len(per_store) >= 8:  # frames reuse one or two tuples of ids
            per_store.clear()
        per_store[key] = plan
    return plan
