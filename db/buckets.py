"""The min/max/sum pyramid's arithmetic: buckets, the writer's incremental state per group
(``GroupPyramid``) and the rows it writes. Reading and filling levels is db.pyramid.

Levels are 1 s, 1 min and 1 h buckets aligned on the epoch. A level's rows hold only
complete buckets while recording; each row's ``t_end`` is its coverage end. A level whose
buckets hold fewer than MIN_BUCKET_SAMPLES samples at the signal's rate is kept by
reference: its rows (codec ROLLUP_REF) store only the span they cover, and readers
aggregate the raw samples there. A 1 s bucket of a 1 Hz signal is the sample itself;
storing it as a 20-byte record would cost five times the sample.

Min and max keep the samples' type: float32, or float64 / int64 for signals of those types
(exact); an int64 bucket without a value has NO_INT as its min and max. Sums are float64.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from db import rows as sql
from db import schema
from db.chunks import ROLLUP_REF, encode_rollup, encode_times, pack_codec
from twin.values import NO_INT

_INT_MAX = int(np.iinfo(np.int64).max)

NS = 1_000_000_000
LEVELS_NS = tuple(s * NS for s in schema.LEVELS_S)
# Complete buckets the writer gathers before writing a level's row: short enough that a
# level lags the raw data by about this much, long enough to keep rows few.
PAGE_BUCKETS = {1: 60, 60: 60, 3600: 24}
# A by-reference page costs a row and no buckets: write one per ~hour of buckets instead.
REF_PAGE_NS = {lv: lv * 3000 * 1_000_000_000 for lv in (1, 60, 3600)}
# Below this many samples a bucket (at the signal's nominal rate) a level is by reference.
MIN_BUCKET_SAMPLES = 10
# Records of levels whose buckets summarise fewer samples than this are deflated: there the
# pyramid's bytes count against the samples' (for fast signals they are noise, and CPU).
COMPRESS_BELOW_SAMPLES = 1000


def by_reference(level_s: int, rate_hz: float) -> bool:
    """Whether a signal at ``rate_hz`` (0: unknown) keeps this level by reference."""
    return 0 < rate_hz * level_s < MIN_BUCKET_SAMPLES


def compress_level(level_s: int, rate_hz: float) -> bool:
    return not rate_hz > 0 or rate_hz * level_s < COMPRESS_BELOW_SAMPLES


@dataclass(frozen=True, slots=True)
class Buckets:
    """Buckets of several channels sharing bucket starts: ``start`` (k,) int64; ``n``
    (count of non-NaN samples), ``mn``, ``mx``, ``sm`` (ch, k)."""

    start: np.ndarray
    n: np.ndarray
    mn: np.ndarray
    mx: np.ndarray
    sm: np.ndarray

    def __len__(self) -> int:
        return int(self.start.shape[0])

    def part(self, i: int, j: int) -> Buckets:
        return Buckets(
            self.start[i:j], self.n[:, i:j], self.mn[:, i:j], self.mx[:, i:j], self.sm[:, i:j]
        )

    @staticmethod
    def concat(parts: Sequence[Buckets]) -> Buckets:
        if len(parts) == 1:
            return parts[0]
        return Buckets(
            np.concatenate([p.start for p in parts]),
            np.concatenate([p.n for p in parts], axis=1),
            np.concatenate([p.mn for p in parts], axis=1),
            np.concatenate([p.mx for p in parts], axis=1),
            np.concatenate([p.sm for p in parts], axis=1),
        )

    @staticmethod
    def from_records(starts: np.ndarray, rec: np.ndarray) -> Buckets:
        """One channel's buckets from decoded rollup records."""
        return Buckets(
            starts,
            rec["n"][None, :].astype(np.int64),
            rec["min"][None, :],
            rec["max"][None, :],
            rec["sum"][None, :].astype(np.float64),
        )


def run_starts(keys: np.ndarray) -> np.ndarray:
    """Indices where a sorted key array starts a new run (always includes 0)."""
    return np.concatenate(([0], np.flatnonzero(keys[1:] != keys[:-1]) + 1))


def aggregate_samples(t: np.ndarray, v: np.ndarray, width: int, origin: int = 0) -> Buckets:
    """Bucket samples ``t`` (k,) / ``v`` (ch, k) into buckets of ``width`` ns aligned on
    ``origin``. NaNs are not counted and do not reach min/max/sum."""
    keys = (t - origin) // width
    idx = run_starts(keys)
    if v.dtype == np.int64:
        return _aggregate_ints(keys, idx, v, width, origin)
    nan = np.isnan(v)
    if nan.any():
        n = np.add.reduceat(~nan, idx, axis=1, dtype=np.int64)
        vz = np.where(nan, 0.0, v)
    else:
        counts = np.diff(np.append(idx, t.shape[0]))
        n = np.broadcast_to(counts, (v.shape[0], idx.shape[0])).copy()
        vz = v
    out = np.float64 if v.dtype == np.float64 else np.float32
    return Buckets(
        keys[idx] * width + origin,
        n,
        np.fmin.reduceat(v, idx, axis=1).astype(out, copy=False),
        np.fmax.reduceat(v, idx, axis=1).astype(out, copy=False),
        np.add.reduceat(vz, idx, axis=1, dtype=np.float64),
    )


def _aggregate_ints(
    keys: np.ndarray, idx: np.ndarray, v: np.ndarray, width: int, origin: int
) -> Buckets:
    """aggregate_samples of int64 values: NO_INT is no value, min and max stay exact."""
    miss = v == NO_INT
    n = np.add.reduceat(~miss, idx, axis=1, dtype=np.int64)
    return Buckets(
        keys[idx] * width + origin,
        n,
        _int_min(np.minimum.reduceat(np.where(miss, _INT_MAX, v), idx, axis=1), n),
        np.maximum.reduceat(v, idx, axis=1),  # NO_INT is below every value
        np.add.reduceat(np.where(miss, 0, v), idx, axis=1, dtype=np.float64),
    )


def _int_min(mn: np.ndarray, n: np.ndarray) -> np.ndarray:
    mn[n == 0] = NO_INT  # a bucket without a value
    return mn


def _min(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise min of two buckets' mins, ignoring "no value" (NaN, NO_INT)."""
    if a.dtype != np.int64:
        return np.fmin(a, b)
    return np.where(a == NO_INT, b, np.where(b == NO_INT, a, np.minimum(a, b)))


def aggregate(b: Buckets, width: int, origin: int = 0) -> Buckets:
    """Re-bucket buckets (sorted by start) into wider ones: each lands where it starts."""
    keys = (b.start - origin) // width
    idx = run_starts(keys)
    n = np.add.reduceat(b.n, idx, axis=1)
    if b.mn.dtype == np.int64:
        mn = _int_min(np.minimum.reduceat(np.where(b.n == 0, _INT_MAX, b.mn), idx, axis=1), n)
        mx = np.maximum.reduceat(b.mx, idx, axis=1)
    else:
        mn = np.fmin.reduceat(b.mn, idx, axis=1)
        mx = np.fmax.reduceat(b.mx, idx, axis=1)
    return Buckets(keys[idx] * width + origin, n, mn, mx, np.add.reduceat(b.sm, idx, axis=1))


class GroupPyramid:
    """The writer's running pyramid for one channel group: the open (partial) bucket and
    the complete buckets not yet written, per level. Levels kept by reference (``ref``)
    hold no buckets, only the span of the page they are in (``take_ref_pages``)."""

    def __init__(self, ref: Sequence[bool] = ()) -> None:
        self._ref = tuple(ref) or (False,) * len(LEVELS_NS)
        self._partial: list[Buckets | None] = [None] * len(LEVELS_NS)
        self._done: list[list[Buckets]] = [[] for _ in LEVELS_NS]
        self._done_count = [0] * len(LEVELS_NS)
        self._page: list[tuple[int, int] | None] = [None] * len(LEVELS_NS)  # ref: (first, end)
        self._ref_pages: list[tuple[int, int, int]] = []

    def feed(self, t: np.ndarray, v: np.ndarray) -> None:
        """Add samples (t strictly increasing and after everything fed before)."""
        if t.shape[0]:
            self._push(0, aggregate_samples(t, v, LEVELS_NS[0]))

    def _push(self, i: int, b: Buckets) -> None:
        p = self._partial[i]
        if p is not None:
            if p.start[0] == b.start[0]:
                b = Buckets(b.start, b.n.copy(), b.mn.copy(), b.mx.copy(), b.sm.copy())
                b.n[:, 0] += p.n[:, 0]
                b.mn[:, 0] = _min(b.mn[:, 0], p.mn[:, 0])
                b.mx[:, 0] = np.fmax(b.mx[:, 0], p.mx[:, 0])  # NO_INT is below every int
                b.sm[:, 0] += p.sm[:, 0]
            else:
                b = Buckets.concat([p, b])
        k = len(b)
        self._partial[i] = b.part(k - 1, k)
        if k > 1:
            self._complete(i, b.part(0, k - 1))

    def _complete(self, i: int, complete: Buckets) -> None:
        if self._ref[i]:
            self._cover(i, complete.start)
        else:
            self._done[i].append(complete)
        self._done_count[i] += len(complete)
        if i + 1 < len(LEVELS_NS):
            self._push(i + 1, aggregate(complete, LEVELS_NS[i + 1]))

    def _cover(self, i: int, starts: np.ndarray) -> None:
        """Extend a by-reference level's page over buckets ``starts``; a page never spans
        more than MAX_ROLLUP_BUCKETS buckets (readers bound their index scans by it)."""
        width = LEVELS_NS[i]
        span = width * (schema.MAX_ROLLUP_BUCKETS - 1)
        level = schema.LEVELS_S[i]
        page = self._page[i]
        for s in starts.tolist():
            if page is not None and s + width - page[0] > span:
                self._ref_pages.append((level, *page))
                page = None
            page = (s, s + width) if page is None else (page[0], s + width)
        self._page[i] = page

    def take(self, *, final: bool = False, last_t: int = 0) -> list[tuple[int, Buckets, int]]:
        """Buckets due for writing as (level seconds, buckets, coverage end). A level is due
        when it has a page of complete buckets; ``final`` (closing) takes everything,
        partial buckets included, covering up to ``last_t`` (the last sample time)."""
        out: list[tuple[int, Buckets, int]] = []
        for i, level in enumerate(schema.LEVELS_S):
            if final:
                p, self._partial[i] = self._partial[i], None
                if p is not None:
                    if self._ref[i]:
                        self._cover(i, p.start)
                    else:
                        self._done[i].append(p)
                    if i + 1 < len(LEVELS_NS):
                        self._push(i + 1, aggregate(p, LEVELS_NS[i + 1]))
            elif self._done_count[i] < PAGE_BUCKETS[level]:
                continue
            page = self._page[i]
            if page is not None and (final or page[1] - page[0] >= REF_PAGE_NS[level]):
                self._ref_pages.append((level, page[0], last_t + 1 if final else page[1]))
                self._page[i] = None
            if self._done[i]:
                b = Buckets.concat(self._done[i])
                end = last_t + 1 if final else int(b.start[-1]) + LEVELS_NS[i]
                out.append((level, b, end))
            self._done[i] = []
            self._done_count[i] = 0
        return out

    def take_ref_pages(self) -> list[tuple[int, int, int]]:
        """Pages of by-reference levels due for writing, as (level seconds, first bucket
        start, coverage end); call after ``take``."""
        out, self._ref_pages = self._ref_pages, []
        return out


def rollup_rows(
    signals: Sequence[int], level: int, b: Buckets, end: int, compress: bool = False
) -> list[sql.RollupRow]:
    """Rows for ``b`` (channel c belongs to ``signals[c]``), split so that no row spans
    more than MAX_ROLLUP_BUCKETS buckets of its level; the last row covers up to ``end``."""
    width = level * NS
    span = width * schema.MAX_ROLLUP_BUCKETS
    out: list[sql.RollupRow] = []
    i, k = 0, len(b)
    while i < k:
        j = int(np.searchsorted(b.start, b.start[i] + span, side="left"))
        j = max(i + 1, min(j, k))
        cover = end if j == k else int(b.start[j - 1]) + width
        starts = b.start[i:j]
        tcodec, tbytes = encode_times(starts)  # shared by every channel of the group
        t_start = int(starts[0])
        for c, sig in enumerate(signals):
            vc, vbytes = encode_rollup(
                b.n[c, i:j], b.mn[c, i:j], b.mx[c, i:j], b.sm[c, i:j], compress
            )
            out.append((sig, level, t_start, cover, j - i, pack_codec(tcodec, vc), tbytes, vbytes))
        i = j
    return out


def ref_rows(signals: Sequence[int], level: int, first: int, end: int) -> list[sql.RollupRow]:
    """By-reference rows saying level ``level`` of ``signals`` covers [first, end), split
    so that no row spans more than MAX_ROLLUP_BUCKETS buckets."""
    span = level * NS * (schema.MAX_ROLLUP_BUCKETS - 1)
    out: list[sql.RollupRow] = []
    a = first
    while a < end:
        b = min(end, a + span)
        out.extend((sig, level, a, b, 0, ROLLUP_REF, b"", b"") for sig in signals)
        a = b
    return out
