"""Reading and filling the min/max/sum pyramid (db.buckets has its arithmetic and the
writer's side, re-exported here).

``MAX(t_end)`` per (signal, level) says up to where a level is complete and a reader serves
the rest from the level below (ultimately raw samples). ``catch_up`` fills levels from the
level below after a crash or a schema upgrade; ``load_level`` reads one, aggregating the
raw samples of spans kept by reference.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from db import raw, schema
from db import rows as sql
from db.buckets import (
    LEVELS_NS,
    NS,
    Buckets,
    GroupPyramid,
    aggregate,
    aggregate_samples,
    by_reference,
    compress_level,
    ref_rows,
    rollup_rows,
    run_starts,
)
from db.chunks import ROLLUP_REF, concat_records, decode_rollup_rows, rollup_dtype

if TYPE_CHECKING:
    from db.history import History

__all__ = [
    "LEVELS_NS",
    "NS",
    "Buckets",
    "GroupPyramid",
    "aggregate",
    "aggregate_samples",
    "by_reference",
    "catch_up",
    "compress_level",
    "load_level",
    "ref_rows",
    "rollup_rows",
    "run_starts",
]

# catch_up reads its source in windows of this length (a multiple of the level, and at
# most MAX_ROLLUP_BUCKETS of it so a row's span stays bounded).
CATCH_UP_WINDOW_S = {1: 600, 60: 86_400, 3600: 30 * 86_400}
# Raw samples catch_up decodes at once (signals read together per window).
RAW_BATCH_SAMPLES = 4_000_000


def load_level(
    h: History, conn: Any, signal: int, level: int, after: int, t1: int
) -> tuple[np.ndarray, np.ndarray]:
    """Buckets of one level holding data at or after ``after`` and starting before ``t1``,
    from the bucket containing ``after`` on: (bucket starts, ROLLUP_DTYPE records), sorted.
    Spans kept by reference are aggregated from the raw samples."""
    width = level * NS
    rows = sql.level_rows(h, conn.cursor(), signal, level, after, t1)
    stored = [(r[0], r[2], r[3], r[4], r[5]) for r in rows if r[3] != ROLLUP_REF]
    starts, rec = decode_rollup_rows(stored)
    first = after - after % width
    refs = _union([(int(r[0]), int(r[1])) for r in rows if r[3] == ROLLUP_REF])
    parts = [(starts, rec)]
    for a, b in refs:
        lo, hi = max(a, first), min(b, t1 - (t1 - 1) % width - 1 + width)
        if lo < hi:
            t, v = raw.load_raw(h, conn, signal, lo, hi)
            if t.size:
                bk = aggregate_samples(t, v[None, :], width)
                r = np.empty(len(bk), rollup_dtype(bk.mn.dtype))
                r["n"], r["min"], r["max"], r["sum"] = bk.n[0], bk.mn[0], bk.mx[0], bk.sm[0]
                parts.append((bk.start, r))
    if len(parts) > 1:
        starts = np.concatenate([p[0] for p in parts])
        rec = concat_records([p[1] for p in parts])
        order = np.argsort(starts, kind="stable")
        starts, rec = starts[order], rec[order]
    if starts.size:
        keep = (starts >= first) & (starts < t1)
        if not keep.all():
            starts, rec = starts[keep], rec[keep]
    return starts, rec


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def signal_rates(h: History, cur: Any) -> dict[int, float]:
    """Nominal rate of every signal (0 when unknown)."""
    cur.execute("SELECT id, rate_hz FROM signals")
    return {int(k): float(r or 0.0) for k, r in cur.fetchall()}


def catch_up(h: History, signals: Iterable[int] | None = None) -> int:
    """Fill every pyramid level of ``signals`` (default: all) from the level below, from
    where the level's coverage ends to where the level below ends. Signals in the same
    state (a group, after a crash) are filled together: their spans come from a few
    statements and their raw samples from one read, so a plant of 60,000 signals catches up
    in seconds. Runs in small transactions; returns the number of rows written."""
    written = 0
    with h.raw() as conn:
        rates = signal_rates(h, conn.cursor())
        keys = sorted(rates) if signals is None else [int(s) for s in signals]
        src = {k: (a, b + 1) for k, (a, b) in raw.raw_spans(h, conn, keys).items()}
        for i, level in enumerate(schema.LEVELS_S):
            have = sql.level_spans(h, conn.cursor(), list(src), level)
            todo: dict[tuple[int, int], list[int]] = {}
            for k, (first, end) in src.items():
                start = have[k][1] if k in have else first
                if start < end:
                    todo.setdefault((start, end), []).append(k)
            for (start, end), ks in todo.items():
                written += _fill(h, conn, i, start, end, ks, rates)
            src = sql.level_spans(h, conn.cursor(), list(src), level)
    return written


def _fill(
    h: History, conn: Any, i: int, start: int, end: int, keys: list[int], rates: dict[int, float]
) -> int:
    """Write level ``i`` of ``keys`` over [start, end) from its source: raw samples for the
    finest level and above levels kept by reference, else the level below."""
    level = schema.LEVELS_S[i]
    refs = [k for k in keys if by_reference(level, rates.get(k, 0.0))]
    written = _insert(h, conn, ref_rows(refs, level, start, end))
    from_raw: list[int] = []
    from_below: list[int] = []
    ref_set = set(refs)
    for k in keys:
        if k not in ref_set:
            below_is_raw = i == 0 or by_reference(schema.LEVELS_S[i - 1], rates.get(k, 0.0))
            (from_raw if below_is_raw else from_below).append(k)
    window = CATCH_UP_WINDOW_S[level] * NS
    per_key = window / NS * max((rates.get(k, 0.0) or 1000.0 for k in from_raw), default=1.0)
    batch = max(1, int(RAW_BATCH_SAMPLES // max(per_key, 1.0)))
    w0 = start - start % window
    while w0 < end:
        w1 = min(w0 + window, end)
        lo = max(start, w0)
        new: list[sql.RollupRow] = []
        for a in range(0, len(from_raw), batch):
            series = raw.read_raw(h, conn, from_raw[a : a + batch], lo, w1)
            for k, (t, v) in series.items():
                if t.size:
                    b = aggregate_samples(t, v[None, :], LEVELS_NS[i])
                    new.extend(rollup_rows([k], level, b, w1, compress_level(level, rates[k])))
        for k in from_below:
            starts, rec = load_level(h, conn, k, schema.LEVELS_S[i - 1], lo, w1)
            if starts.size:
                b = aggregate(Buckets.from_records(starts, rec), LEVELS_NS[i])
                comp = compress_level(level, rates.get(k, 0.0))
                new.extend(rollup_rows([k], level, b, w1, comp))
        written += _insert(h, conn, new)
        w0 += window
    return written


def _insert(h: History, conn: Any, rows: list[sql.RollupRow]) -> int:
    for a in range(0, len(rows), 10_000):  # small transactions beside a running writer
        h.begin_raw(conn)
        sql.insert_rows(h, conn.cursor(), [], rows[a : a + 10_000])
        conn.commit()
    return len(rows)
