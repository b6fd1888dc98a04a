"""The live signal store: one ring buffer per channel group, addressed by signal id.

Sources fill whole groups with ``append(Batch)``; views read one signal at a time
(``latest``/``window`` zero-copy on the writer's terms, ``snapshot*`` as consistent copies
from any thread), and the 3D view reads the newest value of thousands of signals per frame
with ``latest_values``. Threading follows ``twin.store.ring``: one writer per group.

Each group's ring has the group's value type (``ChannelGroup.dtype``: float32, float64 or
int64, see ``twin.values``). Reads at a cursor (``values_at``, ``latest_values``) give
float64 with NaN for "no value"; where int64 signals are among them the array is a
``twin.values.ExactValues`` that also carries their exact integers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from twin.batch import Batch, ChannelGroup
from twin.store.ring import NO_TIME, RingBuffer
from twin.values import NO_INT, ExactValues, check_dtype

__all__ = ["NO_TIME", "SignalStore"]

_PLAN_CACHE_SIZE = 8


@dataclass(frozen=True, slots=True)
class _ReadPlan:
    """Precomputed gather for ``latest_values`` over one tuple of signal ids."""

    segments: tuple[tuple[RingBuffer, int, int], ...]  # ring, [start, stop) in the buffer
    size: int  # channels of all the groups involved
    value_index: np.ndarray | None  # buffer index per requested signal; None: in order
    time_index: np.ndarray  # segment index per requested signal
    # Per int64 ring requested: (ring, positions in the request, channels in the ring)
    ints: tuple[tuple[RingBuffer, np.ndarray, np.ndarray], ...] = ()


class SignalStore:
    """Ring buffers for a fixed set of channel groups, sized by rate x retention."""

    def __init__(
        self,
        groups: Iterable[ChannelGroup],
        retention_s: float = 600.0,
        dtype: npt.DTypeLike | None = None,
        min_capacity: int = 16,
    ) -> None:
        if not retention_s > 0:
            raise ValueError(f"retention_s must be > 0, not {retention_s}")
        self._retention_s = float(retention_s)
        self._groups: dict[str, ChannelGroup] = {}
        self._rings: dict[str, RingBuffer] = {}
        self._where: dict[str, tuple[str, int]] = {}  # signal id -> (group key, channel)
        for group in groups:
            self._add_group(group, dtype, min_capacity)
        # signal id -> (ring, channel): one dict lookup per single-signal read.
        self._loc = {sid: (self._rings[g], ch) for sid, (g, ch) in self._where.items()}
        self._plans: dict[tuple[str, ...], _ReadPlan] = {}
        # (key, plan) of the last call, swapped as one object so that threads never
        # pair one call's key with another's plan.
        self._last_plan: tuple[tuple[str, ...], _ReadPlan] | None = None

    def _add_group(
        self, group: ChannelGroup, dtype: npt.DTypeLike | None, min_capacity: int
    ) -> None:
        """``dtype``, when given, replaces the default float32 of groups that declare no
        other type; float64 and int64 groups keep theirs."""
        key = group.key
        if key in self._groups:
            raise ValueError(f"group {key!r} is declared twice")
        if not (group.rate_hz > 0 and math.isfinite(group.rate_hz)):
            raise ValueError(f"group {key!r}: rate_hz must be a positive number")
        if group.channels == 0:
            raise ValueError(f"group {key!r} has no signals")
        for ch, sid in enumerate(group.signal_ids):
            seen = self._where.get(sid)
            if seen is not None:
                raise ValueError(
                    f"signal {sid!r} appears in group {seen[0]!r} and again in group {key!r}; "
                    "a signal may belong to one group only"
                )
            self._where[sid] = (key, ch)
        # The tiny relative margin keeps 1/3 Hz x 600 s at 200 samples, not 201.
        capacity = max(min_capacity, math.ceil(group.rate_hz * self._retention_s * (1 - 1e-12)))
        own = check_dtype(group.dtype)
        ring_dtype = own if dtype is None or own != np.float32 else np.dtype(dtype)
        self._rings[key] = RingBuffer(capacity, group.channels, ring_dtype)
        self._groups[key] = group

    @classmethod
    def of_samples(
        cls, blocks: Iterable[tuple[ChannelGroup, np.ndarray, np.ndarray]]
    ) -> SignalStore:
        """A read-only store holding exactly the given samples, one ``(group, t (k,),
        v (channels, k))`` block per group, without copying them (see
        ``RingBuffer.of_samples``): recorded history, read as live data is."""
        blocks = list(blocks)
        store = cls([g for g, _, _ in blocks], retention_s=1e-9, min_capacity=1)
        for group, t, v in blocks:
            store._rings[group.key] = RingBuffer.of_samples(t, v)
        store._loc = {sid: (store._rings[g], ch) for sid, (g, ch) in store._where.items()}
        return store

    # ---------------------------------------------------------------- structure
    @property
    def retention_s(self) -> float:
        return self._retention_s

    @property
    def groups(self) -> tuple[ChannelGroup, ...]:
        return tuple(self._groups.values())

    @property
    def signal_ids(self) -> tuple[str, ...]:
        return tuple(self._where)

    def __contains__(self, signal_id: object) -> bool:
        return signal_id in self._where

    def ring(self, group_key: str) -> RingBuffer:
        """The ring buffer of one group."""
        try:
            return self._rings[group_key]
        except KeyError:
            raise KeyError(f"unknown group {group_key!r}") from None

    def locate(self, signal_id: str) -> tuple[str, int]:
        """(group key, channel index) of a signal."""
        try:
            return self._where[signal_id]
        except KeyError:
            raise KeyError(f"unknown signal {signal_id!r}") from None

    def _ring_of(self, signal_id: str) -> tuple[RingBuffer, int]:
        try:
            return self._loc[signal_id]
        except KeyError:
            raise KeyError(f"unknown signal {signal_id!r}") from None

    # ------------------------------------------------------------------- totals
    @property
    def version(self) -> int:
        """Samples accepted by all rings so far; grows whenever any ring changes."""
        return sum(r.version for r in self._rings.values())

    @property
    def rejected(self) -> int:
        """Samples dropped by the timestamp policy, over all rings."""
        return sum(r.rejected for r in self._rings.values())

    @property
    def invalid(self) -> int:
        """+/-inf values stored as NaN, over all rings."""
        return sum(r.invalid for r in self._rings.values())

    @property
    def nbytes(self) -> int:
        """Memory held by the ring buffers."""
        return sum(r.nbytes for r in self._rings.values())

    # ------------------------------------------------------------------ writing
    def append(self, batch: Batch) -> int:
        """Append a batch to its group's ring; returns the samples accepted."""
        ring = self._rings.get(batch.group)
        if ring is None:
            raise KeyError(f"batch for unknown group {batch.group!r}")
        if batch.v.shape[0] != ring.channels:
            raise ValueError(
                f"batch for group {batch.group!r} has {batch.v.shape[0]} channels; "
                f"the group has {ring.channels}"
            )
        return ring.append(batch.t, batch.v)

    # ------------------------------------------------------------------ reading
    def latest(self, signal_id: str, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Zero-copy views (t, v) of a signal's latest min(n, len) samples."""
        ring, ch = self._ring_of(signal_id)
        return ring.latest_channel(ch, n)

    def window(self, signal_id: str, t0: int, t1: int) -> tuple[np.ndarray, np.ndarray]:
        """Zero-copy views (t, v) of a signal's samples with t0 <= t <= t1."""
        ring, ch = self._ring_of(signal_id)
        t, v = ring.window(t0, t1)
        return t, v[ch]

    def snapshot(self, signal_id: str, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Consistent copies (t, v) of a signal's latest min(n, len) samples."""
        ring, ch = self._ring_of(signal_id)
        return ring.snapshot(n, channel=ch)

    def snapshot_window(self, signal_id: str, t0: int, t1: int) -> tuple[np.ndarray, np.ndarray]:
        """Consistent copies (t, v) of a signal's samples with t0 <= t <= t1."""
        ring, ch = self._ring_of(signal_id)
        return ring.snapshot_window(t0, t1, channel=ch)

    def value_at(self, signal_id: str, t: int) -> float:
        """The signal's newest value at or before ``t`` (NaN if none)."""
        ring, ch = self._ring_of(signal_id)
        v = ring.value_at(t)[ch]
        return float("nan") if ring.dtype == np.int64 and v == NO_INT else float(v)

    def values_at(self, signal_ids: Sequence[str], t: int) -> tuple[np.ndarray, np.ndarray]:
        """Each signal's newest value (float64) at or before ``t`` and its time (int64), in
        order; NaN and ``NO_TIME`` where a signal has none that early. The frame at ``t``
        never shows a sample from after ``t``. Same plan cache and locking as
        :meth:`latest_values`, which this equals for ``t`` at or after the newest sample.
        """
        plan = self._plan_for(signal_ids)
        buf = np.empty(plan.size, dtype=np.float64)
        times = np.empty(len(plan.segments), dtype=np.int64)
        t = int(t)
        for i, (ring, start, stop) in enumerate(plan.segments):
            times[i] = ring.read_at(t, buf[start:stop])
        values = buf if plan.value_index is None else buf.take(plan.value_index)
        return self._with_exact(plan, values, t), times.take(plan.time_index)

    @staticmethod
    def _with_exact(plan: _ReadPlan, values: np.ndarray, t: int | None) -> np.ndarray:
        """``values`` carrying the exact integers of the plan's int64 signals (read under
        their rings' locks as the floats were; a sample appended in between can only make
        an integer newer than its float, never older)."""
        if not plan.ints:
            return values
        exact: dict[int, int] = {}
        for ring, positions, channels in plan.ints:  # one copy per ring, not per signal
            col = ring.last_values() if t is None else ring.value_at(t)
            exact.update(zip(positions.tolist(), col[channels].tolist(), strict=True))
        return ExactValues.of(values, exact)

    def first_time(self) -> int | None:
        """The time from which every non-empty group still holds all its samples (the
        newest of the rings' oldest samples); None when every group is empty."""
        firsts = [f for f in (r.first_time for r in self._rings.values()) if f is not None]
        return max(firsts) if firsts else None

    def last_time(self) -> int | None:
        """The newest sample time over every group; None when every group is empty."""
        lasts = [x for x in (r.last_time for r in self._rings.values()) if x is not None]
        return max(lasts) if lasts else None

    def _plan_for(self, signal_ids: Sequence[str]) -> _ReadPlan:
        last = self._last_plan
        if last is not None and last[0] is signal_ids:
            return last[1]
        key = signal_ids if isinstance(signal_ids, tuple) else tuple(signal_ids)
        plan = self._plans.get(key) or self._make_plan(key)
        self._last_plan = (key, plan)
        return plan

    def latest_values(self, signal_ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Newest value (float64) and its timestamp (int64) for each signal, in order.

        Signals of an empty group read NaN and ``NO_TIME``. The gather plan for a tuple of
        ids is computed once and cached; pass the same tuple every frame so that the
        lookup is an identity check rather than hashing thousands of strings. Each group
        is read under its ring's lock, so a value always matches its timestamp.
        """
        plan = self._plan_for(signal_ids)
        buf = np.empty(plan.size, dtype=np.float64)
        times = np.empty(len(plan.segments), dtype=np.int64)
        for i, (ring, start, stop) in enumerate(plan.segments):
            times[i] = ring.read_last(buf[start:stop])
        # take() is about twice as fast as fancy indexing for a flat gather.
        values = buf if plan.value_index is None else buf.take(plan.value_index)
        return self._with_exact(plan, values, None), times.take(plan.time_index)

    def _make_plan(self, key: tuple[str, ...]) -> _ReadPlan:
        offsets: dict[str, int] = {}  # group -> segment number, in order of first use
        starts: list[int] = []
        value_index = np.empty(len(key), dtype=np.intp)
        time_index = np.empty(len(key), dtype=np.intp)
        size = 0
        for i, sid in enumerate(key):
            group, ch = self.locate(sid)
            seg = offsets.get(group)
            if seg is None:
                seg = offsets[group] = len(starts)
                starts.append(size)
                size += self._rings[group].channels
            value_index[i] = starts[seg] + ch
            time_index[i] = seg
        segments = tuple(
            (self._rings[g], starts[s], starts[s] + self._rings[g].channels)
            for g, s in offsets.items()
        )
        in_order = size == len(key) and bool((value_index == np.arange(size)).all())
        int_rings: dict[int, tuple[RingBuffer, list[int], list[int]]] = {}
        for i, sid in enumerate(key):
            ring, ch = self._loc[sid]
            if ring.dtype == np.int64:
                entry = int_rings.setdefault(id(ring), (ring, [], []))
                entry[1].append(i)
                entry[2].append(ch)
        ints = tuple(
            (ring, np.array(pos, np.intp), np.array(chs, np.intp))
            for ring, pos, chs in int_rings.values()
        )
        plan = _ReadPlan(segments, size, None if in_order else value_index, time_index, ints)
        if len(self._plans) >= _PLAN_CACHE_SIZE:
            self._plans.clear()  # frames reuse one or two tuples; clear() is thread-safe
        self._plans[key] = plan
        return plan
