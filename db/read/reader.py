"""HistoryReader: raw samples, peak-preserving decimated series, coverage, time range.

Time ranges are half-open, ``[t0, t1)``, in int64 ns since the epoch. Decimated reads use
the coarsest pyramid level whose buckets fit the requested resolution, then the finer
levels and finally raw chunks for the tail the coarser levels do not cover yet (a live
recording writes its pyramid pages a minute to an hour behind the raw data). Raw reads
see compacted chunks and staged rows as one (db.raw).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from db import catalog, raw, schema
from db import rows as sql
from db.chunks import T_LINEAR, decode_times
from db.history import History
from db.pyramid import NS, load_level, run_starts
from twin.values import NO_INT

# Coverage treats a gap longer than this many sample periods as a hole.
GAP_PERIODS = 3.0
# Plant-wide coverage joins recording sessions less than this apart (a restart).
SESSION_GAP_NS = 1_000_000_000

Series = tuple[np.ndarray, np.ndarray]
MinMax = tuple[np.ndarray, np.ndarray, np.ndarray]


class HistoryReader:
    """Reads a history; safe to use from one thread at a time (make one per thread)."""

    def __init__(self, history: History) -> None:
        self.history = history
        self._keys: dict[str, int] = {}

    def _key(self, signal_id: str) -> int | None:
        key = self._keys.get(signal_id)
        if key is None:
            self._keys = catalog.signal_keys(self.history)
            key = self._keys.get(signal_id)
        return key

    def signal_ids(self) -> list[str]:
        """Every recorded signal id."""
        self._keys = catalog.signal_keys(self.history)
        return sorted(self._keys)

    def read(self, signal_id: str, t0: int, t1: int) -> Series:
        """Raw samples of one signal in [t0, t1): (t int64, v float32)."""
        key = self._key(signal_id)
        if key is None:
            return np.empty(0, np.int64), np.empty(0, np.float32)
        with self.history.raw("reading samples") as conn:
            return raw.load_raw(self.history, conn, key, t0, t1)

    def value_dtypes(self, signal_ids: Sequence[str]) -> dict[str, np.dtype]:
        """Each signal's recorded value type (float32, float64, int64), from its first
        sample; float32 for a signal without one."""
        first = self.first_times()
        out = {}
        for sid in signal_ids:
            t = first.get(sid)
            v = self.read(sid, t, t + 1)[1] if t is not None else np.empty(0, np.float32)
            out[sid] = v.dtype
        return out

    def read_many(self, signal_ids: Sequence[str], t0: int, t1: int) -> dict[str, Series]:
        """Raw samples of several signals in [t0, t1) with one query."""
        empty = (np.empty(0, np.int64), np.empty(0, np.float32))
        keyed = {sid: self._key(sid) for sid in signal_ids}
        by_key = {k: sid for sid, k in keyed.items() if k is not None}
        out = dict.fromkeys(signal_ids, empty)
        if not by_key:
            return out
        h = self.history
        with h.raw("reading samples") as conn:
            found = raw.read_raw(h, conn, list(by_key), t0, t1)
        for key, series in found.items():
            out[by_key[key]] = series
        return out

    def read_blocks(
        self, groups: Sequence[Sequence[str]], t0: int, t1: int
    ) -> list[raw.Block | None]:
        """Raw samples in [t0, t1) of several groups of signals, with one query for all:
        each group as one block (t (k,), v (len(group), k)) in its order, or None where
        its signals do not share their sample times or one is not recorded (``read_many``
        reads those one signal at a time)."""
        if any(sid not in self._keys for ids in groups for sid in ids):
            self._keys = catalog.signal_keys(self.history)
        keys = self._keys
        keyed: list[np.ndarray | None] = []
        for ids in groups:
            got = [keys.get(sid) for sid in ids]
            keyed.append(None if None in got else np.array(got, np.int64))
        known = [k for k in keyed if k is not None]
        h = self.history
        with h.raw("reading samples") as conn:
            found = iter(raw.read_blocks(h, conn, known, t0, t1))
        return [None if k is None else next(found) for k in keyed]

    def read_decimated(self, signal_id: str, t0: int, t1: int, max_points: int = 2000) -> MinMax:
        """At most ``max_points`` (bin start, min, max) triples over [t0, t1), keeping every
        peak: each bin's min and max are those of all samples in it. Empty bins are left
        out. When the range holds no more than ``max_points`` samples they are returned as
        is (min == max)."""
        if t1 <= t0 or max_points < 1:
            raise ValueError("need t1 > t0 and max_points >= 1")
        key = self._key(signal_id)
        if key is None:
            return np.empty(0, np.int64), np.empty(0, np.float32), np.empty(0, np.float32)
        width = -(-(t1 - t0) // max_points)
        h = self.history
        with h.raw("reading the overview") as conn:
            parts, cursor = self._pyramid_parts(conn, key, t0, t1, width)
            if cursor < t1:
                t, v = raw.load_raw(h, conn, key, cursor, t1)
                if not parts and t.size <= max_points:
                    return t, v, v.copy()
                if t.size:
                    parts.append(_bucket_raw(t, v, t0, width, max_points))
        return _rebin(parts, t0, width, max_points)

    def read_many_decimated(
        self, signal_ids: Sequence[str], t0: int, t1: int, max_points: int = 2000
    ) -> dict[str, MinMax]:
        """``read_decimated`` of several signals; bins finer than the finest pyramid level
        are made from raw chunks read with one query for all the signals."""
        if t1 <= t0 or max_points < 1:
            raise ValueError("need t1 > t0 and max_points >= 1")
        width = -(-(t1 - t0) // max_points)
        if width >= schema.LEVELS_S[0] * NS:
            return {sid: self.read_decimated(sid, t0, t1, max_points) for sid in signal_ids}
        out: dict[str, MinMax] = {}
        for sid, (t, v) in self.read_many(signal_ids, t0, t1).items():
            if t.size <= max_points:
                out[sid] = (t, v, v.copy())
            else:
                out[sid] = _rebin([_bucket_raw(t, v, t0, width, max_points)], t0, width, max_points)
        return out

    def _pyramid_parts(
        self, conn: object, key: int, t0: int, t1: int, width: int
    ) -> tuple[list[tuple[np.ndarray, ...]], int]:
        h = self.history
        parts: list[tuple[np.ndarray, ...]] = []
        cursor = t0
        for level in reversed([lv for lv in schema.LEVELS_S if lv * NS <= width]):
            end = sql.cover_end(h, conn.cursor(), key, level)  # type: ignore[attr-defined]
            if end is None or end <= cursor:
                continue
            starts, rec = load_level(h, conn, key, level, cursor, min(t1, end))
            if starts.size:
                parts.append((starts, rec["n"].astype(np.int64), rec["min"], rec["max"]))
            cursor = end
            if cursor >= t1:
                break
        return parts, cursor

    def coverage(
        self,
        signal_id: str | None = None,
        t0: int | None = None,
        t1: int | None = None,
        exact_fallback: bool = True,
    ) -> list[tuple[int, int]]:
        """Spans (start, end) where data exists. For one signal: from its chunks, split
        where consecutive samples are more than GAP_PERIODS sample periods apart. For
        ``None`` (the whole plant): the recording sessions' spans; a history without any
        (older versions kept none) falls back on its exact range unless ``exact_fallback``
        is False (the exact range seeks every signal's rows)."""
        lo = -(2**63) if t0 is None else t0
        hi = 2**63 - 1 if t1 is None else t1
        if signal_id is None:
            spans = catalog.recording_spans(self.history)
            if not spans and exact_fallback:
                tr = self.time_range()
                spans = [tr] if tr else []
            return _clip(_merge(spans, SESSION_GAP_NS), lo, hi)
        key = self._key(signal_id)
        if key is None:
            return []
        h = self.history
        with h.raw("reading its coverage") as conn:
            rows = raw.coverage_rows(h, conn, key, lo, hi)
        if not rows:
            return []
        a = np.array([r[:3] for r in rows], dtype=np.int64)
        multi = a[:, 2] > 1
        if multi.any():
            period = float(np.median((a[multi, 1] - a[multi, 0]) / (a[multi, 2] - 1)))
        else:
            period = float(NS)
        gap = GAP_PERIODS * period
        flat = np.array([p for r in rows for p in _chunk_spans(r, gap)], dtype=np.int64)
        breaks = np.flatnonzero(flat[1:, 0] - flat[:-1, 1] > gap) + 1
        starts = flat[np.concatenate(([0], breaks)), 0]
        ends = flat[np.concatenate((breaks - 1, [len(flat) - 1])), 1]
        return _clip(list(zip(starts.tolist(), ends.tolist(), strict=True)), lo, hi)

    def first_times(self) -> dict[str, int]:
        """Each recorded signal's first sample time (ns); signals without one are left out."""
        h = self.history
        with h.raw("reading when its signals begin") as conn:
            by_key = raw.first_times(h, conn)
        self._keys = catalog.signal_keys(h)
        return {sid: by_key[k] for sid, k in self._keys.items() if k in by_key}

    def first_sample_times(self) -> np.ndarray:
        """Every recorded signal's first sample time (ns), in no particular order: what
        ``first_times`` gives without naming the signals."""
        h = self.history
        with h.raw("reading when its signals begin") as conn:
            return raw.first_time_arrays(h, conn)[1]

    def time_range(self) -> tuple[int, int] | None:
        """(first sample time, last sample time) over every signal, or None when empty."""
        h = self.history
        with h.raw("reading its time range") as conn:
            return raw.time_range(h, conn)


_INT_MAX = int(np.iinfo(np.int64).max)


def _chunk_spans(row: tuple[int, int, int, int, bytes], gap: float) -> list[tuple[int, int]]:
    """A chunk's span, split where its own samples have a hole (irregular chunks only:
    a regular-step chunk has none by construction)."""
    t_start, t_end, n, codec, t_bytes = row
    if codec & 0xF == T_LINEAR or n < 2:
        return [(t_start, t_end)]
    t = decode_times(codec, t_start, n, t_bytes)
    cut = np.flatnonzero(np.diff(t) > gap) + 1
    if not cut.size:
        return [(t_start, t_end)]
    s = t[np.concatenate(([0], cut))]
    e = t[np.concatenate((cut - 1, [n - 1]))]
    return list(zip(s.tolist(), e.tolist(), strict=True))


def _bucket_raw(
    t: np.ndarray, v: np.ndarray, t0: int, width: int, max_points: int
) -> tuple[np.ndarray, ...]:
    """Raw samples (sorted) as (bin start, count, min, max) of bins ``width`` wide from
    ``t0``: bin edges by binary search, then one reduction per figure; far cheaper than
    a key per sample when bins hold many samples."""
    last = min(max_points - 1, (int(t[-1]) - t0) // width)
    first = min(last, max(0, (int(t[0]) - t0) // width))  # samples past the end: last bin
    keys = np.arange(first, last + 1, dtype=np.int64)
    idx = np.searchsorted(t, t0 + keys * width)
    idx[0] = 0  # samples before t0 (none, by the query) or past the last bin: clipped in
    counts = np.diff(np.append(idx, t.size))
    filled = counts > 0
    keys, idx, counts = keys[filled], idx[filled], counts[filled]
    if v.dtype == np.int64:  # exact min/max; NO_INT (no value) reaches neither
        nan = v == NO_INT
        valid = np.add.reduceat(~nan, idx, dtype=np.int64) if nan.any() else counts
        vmin = np.minimum.reduceat(np.where(nan, _INT_MAX, v), idx)
        return t0 + keys * width, valid, vmin, np.maximum.reduceat(v, idx)
    nan = np.isnan(v)
    valid = np.add.reduceat(~nan, idx, dtype=np.int64) if nan.any() else counts
    with np.errstate(invalid="ignore"):  # all-NaN bins: count 0, dropped by _rebin
        vmin = np.fmin.reduceat(v, idx)
        vmax = np.fmax.reduceat(v, idx)
    return t0 + keys * width, valid, vmin, vmax


def _rebin(parts: list[tuple[np.ndarray, ...]], t0: int, width: int, max_points: int) -> MinMax:
    if not parts:
        return np.empty(0, np.int64), np.empty(0, np.float32), np.empty(0, np.float32)
    starts = np.concatenate([p[0] for p in parts])
    n = np.concatenate([p[1] for p in parts])
    mn = np.concatenate([p[2] for p in parts])
    mx = np.concatenate([p[3] for p in parts])
    keys = np.clip((starts - t0) // width, 0, max_points - 1)
    if keys.size > 1 and (np.diff(keys) < 0).any():
        order = np.argsort(keys, kind="stable")
        keys, n, mn, mx = keys[order], n[order], mn[order], mx[order]
    idx = run_starts(keys)
    count = np.add.reduceat(n, idx)
    if mn.dtype == np.int64:  # int64 signals: exact, buckets without a value left out
        vmin = np.minimum.reduceat(np.where(n > 0, mn, _INT_MAX), idx)
        vmax = np.maximum.reduceat(mx, idx)
    else:  # float64 signals keep float64; float32 (and mixed) as before
        out = np.float64 if mn.dtype == np.float64 else np.float32
        vmin = np.fmin.reduceat(mn, idx).astype(out, copy=False)
        vmax = np.fmax.reduceat(mx, idx).astype(out, copy=False)
    keep = count > 0
    return (t0 + keys[idx] * width)[keep], vmin[keep], vmax[keep]


def _merge(spans: list[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a - out[-1][1] <= gap:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _clip(spans: list[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    return [(max(a, lo), min(b, hi)) for a, b in spans if b >= lo and a < hi]
