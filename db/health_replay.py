"""Health at a cursor in a recording: the monitor's per-minute means, read from the
history's 1-minute pyramid level instead of summed from live batches.

The pyramid's minute buckets start at whole minutes since the epoch, as the monitor's
windows do, and hold count, sum, min and max: exactly what the evaluator takes
(``window_means``). ``health_at`` feeds a fresh evaluator the ``windows`` minutes before
the cursor (the trend window) and returns the last evaluation. Minutes the pyramid does
not cover yet (a live recording's last minutes) are read as missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from db import raw, schema
from db.buckets import NS
from db.catalog import signal_keys
from db.chunks import ROLLUP_DTYPE, ROLLUP_REF, decode_rollup_rows
from db.history import History
from db.pyramid import load_level
from twin.condition.evaluator import HealthEvaluator, WindowMeans
from twin.condition.profile import KEYS, FleetProfile
from twin.condition.snapshot import FleetHealth
from twin.condition.windows import window_means

LEVEL_S = 60  # the pyramid's 1-minute level (db.schema.LEVELS_S)

Buckets = tuple[np.ndarray, np.ndarray, np.ndarray]  # signal keys, bucket starts, records


def minute_means(
    h: History,
    profile: FleetProfile,
    t_ns: int,
    windows: int = 30,
    keys: Mapping[str, int] | None = None,
) -> list[WindowMeans]:
    """The ``windows`` whole minutes ending at or before ``t_ns``, oldest first, as
    ``WindowMeans`` of every asset of ``profile``: the minute buckets of every monitored
    signal read with a few statements. ``keys``: the monitored signals' keys in the
    history (``monitored_keys``), looked up when not given."""
    width = LEVEL_S * NS
    end = t_ns - t_ns % width  # the last whole minute ends here
    start = end - windows * width
    size = len(profile) * len(KEYS)
    n = np.zeros((windows, size), dtype=np.int64)
    total = np.zeros((windows, size))
    mn = np.full((windows, size), np.nan)
    mx = np.full((windows, size), np.nan)
    cells = profile.cells()
    keys = monitored_keys(h, profile) if keys is None else keys
    key_arr = np.fromiter(keys.values(), np.int64, len(keys))
    cell_arr = np.fromiter((cells[sid] for sid in keys), np.int64, len(keys))
    with h.raw("reading the minute overview") as conn, raw.snapshot(h, conn):
        sig, starts, rec = minute_buckets(h, conn, key_arr, start, end)
    if sig.size:
        order = np.argsort(key_arr, kind="stable")
        cell = cell_arr[order[np.searchsorted(key_arr[order], sig)]]
        row = (starts - start) // width
        ok = (row >= 0) & (row < windows)
        row, rec, cell = row[ok], rec[ok], cell[ok]
        n[row, cell], total[row, cell] = rec["n"], rec["sum"]
        mn[row, cell], mx[row, cell] = rec["min"], rec["max"]
    return [
        window_means(start + (i + 1) * width, n[i], total[i], mn[i], mx[i], len(profile))
        for i in range(windows)
    ]


def monitored_keys(h: History, profile: FleetProfile) -> dict[str, int]:
    """The history's keys of the signals ``profile`` monitors (those recorded)."""
    return signal_keys(h, profile.cells())


def minute_buckets(h: History, conn: Any, keys: np.ndarray, start: int, end: int) -> Buckets:
    """The 1-minute buckets of the signals ``keys`` starting in [start, end), as (signal
    key, bucket start, ROLLUP_DTYPE record) per bucket: one statement per
    KEYS_PER_STATEMENT signals; the signals with spans kept by reference (too slow for
    stored minutes) are read through ``load_level`` one at a time."""
    width = LEVEL_S * NS
    upto = end + width * (schema.MAX_ROLLUP_BUCKETS + 1)  # bounds the index range
    rows: list[tuple] = []
    cur = conn.cursor()
    for i in range(0, keys.size, raw.KEYS_PER_STATEMENT):
        part = keys[i : i + raw.KEYS_PER_STATEMENT].tolist()
        marks = ", ".join("?" * len(part))
        cur.execute(
            h.sql(
                "SELECT signal, t_start, nb, codec, t_bytes, v_bytes FROM rollup "
                f"WHERE level = ? AND signal IN ({marks}) AND t_end > ? AND t_end <= ? "
                "AND t_start < ?"
            ),
            (LEVEL_S, *part, start, upto, end),
        )
        rows.extend(cur.fetchall())
    by_ref = sorted({int(r[0]) for r in rows if r[3] == ROLLUP_REF})
    stored = [r for r in rows if r[3] != ROLLUP_REF and int(r[0]) not in by_ref]
    starts, rec = decode_rollup_rows([r[1:] for r in stored])
    sig = np.repeat(
        np.fromiter((r[0] for r in stored), np.int64, len(stored)),
        np.fromiter((r[2] for r in stored), np.int64, len(stored)),
    )
    parts = [(sig, starts, rec)]
    for key in by_ref:  # the whole level of these signals, by reference and stored alike
        s, r = load_level(h, conn, key, LEVEL_S, start, end)
        parts.append((np.full(s.size, key, np.int64), s, r))
    if len(parts) == 1:
        return sig, starts, rec
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]).astype(ROLLUP_DTYPE, copy=False),
    )


def health_at(
    h: History,
    profile: FleetProfile,
    t_ns: int,
    *,
    windows: int = 30,
    keys: Mapping[str, int] | None = None,
) -> FleetHealth | None:
    """The fleet's health at ``t_ns`` from the recording, as the live monitor would have
    evaluated it after the minute before (None when the history has no such minute)."""
    means = minute_means(h, profile, t_ns, windows, keys)
    if not any((~np.isnan(w.mean)).any() for w in means):
        return None
    evaluator = HealthEvaluator(profile, window_s=float(LEVEL_S), trend_points=windows)
    last = None
    for w in means:
        last = evaluator.evaluate(w)
    return None if last is None else last.health
