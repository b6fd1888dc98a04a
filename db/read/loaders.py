"""What a replay load reads: raw samples around the cursor, or a plot's overview.

A ``ReplayFeeder`` owns the threading and the reload policy; a loader owns what one load
reads into a fresh ``SignalStore``:

- ``RawLoader``: every sample of the given channel groups, for the values at the cursor.
  Each group is read only as far back as it needs (its stale horizon), so a plant with a
  slow signal does not drag seconds of kilohertz data into every load.
- ``OverviewLoader``: a few signals (the plotted ones) at plot resolution: raw samples
  where a bin of the plot holds at most one, else each bin's min and max from the
  history's pyramid (peaks kept), as a series the plots draw like any other.

Stores are read-only views of what was read (a published store never changes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from db import schema
from db.read.reader import HistoryReader, Series
from twin.batch import ChannelGroup
from twin.store.signal_store import SignalStore
from twin.timebase import NS_PER_S
from twin.values import to_float

Closing = Callable[[], bool]
Block = tuple[ChannelGroup, np.ndarray, np.ndarray]  # group, t (k,), v (channels, k)

# Values at the cursor: first read this far back (or RECENT_PERIODS sample periods) ...
RECENT_NS = 100_000_000
RECENT_PERIODS = 3.0
# Per plotted signal, at most this many raw samples (at its nominal rate) per span are
# binned from raw chunks; beyond, bins are at least the finest pyramid level (1 s).
RAW_PER_SPAN = 150_000
# Bins may be coarser than asked, down to this many across the span (3-4 px each on a
# full-HD plot, every peak still kept), where that lets a load read a coarser pyramid
# level: 10 min of 1 kHz data from 600 one-second buckets instead of 600,000 samples,
# 8 h from 480 one-minute buckets instead of 28,800 seconds.
MIN_BINS = 400
# An overview bin further than this many bins from the previous one is drawn as a gap.
GAP_BINS = 2.0
# ... or this many sample periods, whichever is longer (a slow signal's bins are sparse).
GAP_PERIODS = 3.0


@dataclass(frozen=True, eq=False)
class RawLoader:
    """Every sample of ``groups`` in a load's range; group ``i`` from ``lookback_ns[i]``
    before the cursor (the feeder asks for the longest, ``lookback``).

    Only a signal's last sample at the cursor matters from its lookback, and a signal
    sampled as it should be has one within a few periods. So a load reads the recent past
    first, and reaches further back only for groups that have nothing there (a slow
    signal, a gap): at 1 kHz that is a tenth of a second instead of two.
    """

    groups: tuple[ChannelGroup, ...]
    lookback_ns: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.lookback_ns and len(self.lookback_ns) != len(self.groups):
            raise ValueError("one lookback per group")

    @property
    def lookback(self) -> int:
        """How far behind the cursor the feeder must load (the longest lookback)."""
        return max(self.lookback_ns, default=0)

    def load(self, reader: HistoryReader, t0: int, t1: int, closing: Closing) -> SignalStore | None:
        """Read [t0, t1] (inclusive); None when ``closing()`` turned true meanwhile."""
        lookbacks = self.lookback_ns or (0,) * len(self.groups)
        anchor = t0 + self.lookback  # the earliest cursor this load serves
        recent = [
            min(lb, _recent_ns(g.rate_hz)) for g, lb in zip(self.groups, lookbacks, strict=True)
        ]
        ranges = [(g, anchor - r, t1 + 1) for g, r in zip(self.groups, recent, strict=True)]
        reads = _read_groups(reader, ranges, closing)
        if reads is None:
            return None
        older = [
            (i, (g, anchor - lb, anchor - r))
            for i, (g, lb, r) in enumerate(zip(self.groups, lookbacks, recent, strict=True))
            if lb > r and reads[i].late_by(anchor)
        ]
        earlier = _read_groups(reader, [rng for _, rng in older], closing)
        if earlier is None:
            return None
        for (i, _), before in zip(older, earlier, strict=True):
            reads[i] = before.then(reads[i])
        blocks: list[Block] = []
        for group, read in zip(self.groups, reads, strict=True):
            blocks.extend(read.blocks(group))
        return None if closing() else store_of(blocks)


def _recent_ns(rate_hz: float) -> int:
    """How far back a signal at ``rate_hz`` surely has a sample unless it stopped."""
    return max(RECENT_NS, round(RECENT_PERIODS * NS_PER_S / rate_hz))


def _nothing_by(t: np.ndarray, when: int) -> bool:
    return t.size == 0 or int(t[0]) > when


@dataclass(frozen=True)
class _GroupRead:
    """A group's raw samples from one read: one block (``t`` (k,), ``v`` (channels, k))
    when its channels share their times, else one series per channel."""

    t: np.ndarray | None = None
    v: np.ndarray | None = None
    series: tuple[Series, ...] = ()

    def per_signal(self) -> tuple[Series, ...]:
        if self.t is None or self.v is None:
            return self.series
        return tuple((self.t, row) for row in self.v)

    def late_by(self, when: int) -> bool:
        """Whether some channel has no sample at or before ``when``."""
        if self.t is not None:
            return _nothing_by(self.t, when)
        return any(_nothing_by(t, when) for t, _ in self.series)

    def then(self, later: _GroupRead) -> _GroupRead:
        """These samples followed by ``later``'s (a read of the range after this one's)."""
        if (
            self.t is not None
            and self.v is not None
            and later.t is not None
            and later.v is not None
        ):
            return _GroupRead(
                np.concatenate((self.t, later.t)), np.concatenate((self.v, later.v), axis=1)
            )
        pairs = zip(self.per_signal(), later.per_signal(), strict=True)
        return _GroupRead(
            series=tuple(
                (np.concatenate((a[0], b[0])), np.concatenate((a[1], b[1]))) for a, b in pairs
            )
        )

    def blocks(self, group: ChannelGroup) -> list[Block]:
        if self.t is not None and self.v is not None:
            return [(group, self.t, self.v)]
        return _group_blocks(group, list(self.series))


def _read_groups(
    reader: HistoryReader, ranges: Sequence[tuple[ChannelGroup, int, int]], closing: Closing
) -> list[_GroupRead] | None:
    """Raw samples of each group in its [lo, hi): one query per distinct range for every
    group read as a block (``HistoryReader.read_blocks``), one more for the groups whose
    channels do not share their times, read per signal."""
    by_range: dict[tuple[int, int], list[int]] = {}
    for i, (_, lo, hi) in enumerate(ranges):
        by_range.setdefault((lo, hi), []).append(i)
    out: list[_GroupRead] = [_GroupRead()] * len(ranges)
    for (lo, hi), members in by_range.items():
        if closing():
            return None
        groups = [ranges[i][0] for i in members]
        found = reader.read_blocks([g.signal_ids for g in groups], lo, hi)
        rest = [(i, g) for i, g, b in zip(members, groups, found, strict=True) if b is None]
        for i, block in zip(members, found, strict=True):
            if block is not None:
                out[i] = _GroupRead(*block)
        if rest:
            series = reader.read_many([s for _, g in rest for s in g.signal_ids], lo, hi)
            for i, g in rest:
                out[i] = _GroupRead(series=tuple(series[s] for s in g.signal_ids))
    return out


@dataclass(frozen=True, eq=False)
class OverviewLoader:
    """``signal_ids`` at about ``bins`` points per ``span_ns``: raw where that is all
    there is, else min/max pairs per bin (``rates_hz``: nominal rates, for gaps)."""

    signal_ids: tuple[str, ...]
    rates_hz: tuple[float, ...]
    span_ns: int
    bins: int
    width_ns: int = field(init=False)

    def __post_init__(self) -> None:
        if len(self.rates_hz) != len(self.signal_ids):
            raise ValueError("one rate per signal")
        if self.span_ns <= 0 or self.bins < 1:
            raise ValueError("span_ns and bins must be positive")
        width = max(1, -(-self.span_ns // self.bins))
        finest = schema.LEVELS_S[0] * NS_PER_S
        raw = max(self.rates_hz, default=0.0) * self.span_ns / NS_PER_S
        if width < finest and raw > RAW_PER_SPAN and self.span_ns // finest >= MIN_BINS:
            width = finest  # read the pyramid instead of decoding every raw sample
        for level in schema.LEVELS_S[1:]:  # a coarser level where it still gives enough bins
            if width < level * NS_PER_S and self.span_ns // (level * NS_PER_S) >= MIN_BINS:
                width = level * NS_PER_S
        object.__setattr__(self, "width_ns", width)

    def load(self, reader: HistoryReader, t0: int, t1: int, closing: Closing) -> SignalStore | None:
        """Read [t0, t1] (inclusive); None when ``closing()`` turned true meanwhile."""
        # Bins are aligned to multiples of the width, so that consecutive loads draw the
        # same points where they overlap (no shimmer while playing).
        lo = t0 - t0 % self.width_ns
        bins = max(1, -(-(t1 + 1 - lo) // self.width_ns))
        hi = lo + bins * self.width_ns  # a whole number of bins: read_decimated keeps the width
        binned = reader.read_many_decimated(self.signal_ids, lo, hi, bins)
        if closing():
            return None
        blocks: list[Block] = []
        for sid, rate in zip(self.signal_ids, self.rates_hz, strict=True):
            t, v = overview_series(*binned[sid], self.width_ns, rate)
            blocks.append((ChannelGroup(f"overview/{sid}", (sid,), rate), t, v[None, :]))
        return store_of(blocks)


def overview_series(
    starts: np.ndarray, vmin: np.ndarray, vmax: np.ndarray, width: int, rate_hz: float
) -> Series:
    """A drawable series from ``read_decimated``: raw samples as they are; bins as their
    min then their max, a quarter and three quarters into the bin; NaN where bins are
    missing for longer than a gap."""
    if starts.size == 0 or np.array_equal(vmin, vmax, equal_nan=True):
        t, v = starts, vmin  # raw samples (or bins that each hold one value)
        spacing = max(float(NS_PER_S) / rate_hz * GAP_PERIODS, 0.0)
    else:
        t = np.empty(2 * starts.size, np.int64)
        t[0::2], t[1::2] = starts + width // 4, starts + 3 * width // 4  # inside the bin
        v = np.empty(2 * starts.size, np.result_type(vmin, vmax))
        v[0::2], v[1::2] = vmin, vmax
        spacing = max(GAP_BINS * width, float(NS_PER_S) / rate_hz * GAP_PERIODS)
    # Drawn, not displayed as numbers: float64 for float64 and int64 signals (NO_INT: NaN).
    v = to_float(v) if v.dtype.kind in "iu" else v
    return _with_gaps(t, v if v.dtype == np.float64 else v.astype(np.float32), spacing)


def _with_gaps(t: np.ndarray, v: np.ndarray, spacing: float) -> Series:
    """Insert a NaN after every step longer than ``spacing`` (plots break the line)."""
    if t.size < 2:
        return t, v
    cut = np.flatnonzero(np.diff(t) > spacing) + 1
    if not cut.size:
        return t, v
    gap_t = (t[cut - 1] + t[cut]) // 2
    return np.insert(t, cut, gap_t), np.insert(v, cut, np.nan)


def _group_blocks(group: ChannelGroup, series: list[Series]) -> list[Block]:
    """One (group, t, v) block when every channel was recorded at the same timestamps (as
    the recorder writes a group); otherwise (a signal added to the group later, say) one
    single-signal group per signal, so no signal gets NaN holes from another's times."""
    ts = [s[0] for s in series]
    first = next((t for t in ts if t.shape[0]), None)
    if first is None:
        return [(group, np.empty(0, np.int64), np.empty((group.channels, 0), np.float32))]
    if group.channels == 1:
        return [(group, first, series[0][1].reshape(1, -1))]
    if all(t is first or np.array_equal(t, first) for t in ts):
        return [(group, first, np.stack([s[1] for s in series]))]
    return [
        (ChannelGroup(f"{group.key}/{sid}", (sid,), group.rate_hz), t, v.reshape(1, -1))
        for sid, (t, v) in zip(group.signal_ids, series, strict=True)
    ]


def store_of(blocks: Sequence[Block]) -> SignalStore:
    """A read-only store over ``blocks``' arrays (no copy)."""
    return SignalStore.of_samples(blocks)


def samples_in(store: SignalStore) -> int:
    """Samples held by a store built with ``store_of`` (all channels)."""
    return sum(len(store.ring(g.key)) * g.channels for g in store.groups)
