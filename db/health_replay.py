"""Health at a cursor in a recording: the monitor's per-minute means, read from the
history's 1-minute pyramid level instead of summed from live batches.

The pyramid's minute buckets start at whole minutes since the epoch, as the monitor's
windows do, and hold count, sum, min and max: exactly what the evaluator takes
(``window_means``). ``health_at`` feeds a fresh evaluator the ``windows`` minutes before
the cursor (the trend window) and returns the last evaluation. Minutes the pyramid does
not cover yet (a live recording's last minutes) are read as missing.
"""

from __future__ import annotations

import numpy as np

from db import raw
from db.buckets import NS
from db.catalog import signal_keys
from db.history import History
from db.pyramid import load_level
from twin.condition.evaluator import HealthEvaluator, WindowMeans
from twin.condition.profile import KEYS, FleetProfile
from twin.condition.snapshot import FleetHealth
from twin.condition.windows import window_means

LEVEL_S = 60  # the pyramid's 1-minute level (db.schema.LEVELS_S)


def minute_means(
    h: History, profile: FleetProfile, t_ns: int, windows: int = 30
) -> list[WindowMeans]:
    """The ``windows`` whole minutes ending at or before ``t_ns``, oldest first, as
    ``WindowMeans`` of every asset of ``profile`` (one query per recorded signal)."""
    width = LEVEL_S * NS
    end = t_ns - t_ns % width  # the last whole minute ends here
    start = end - windows * width
    size = len(profile) * len(KEYS)
    n = np.zeros((windows, size), dtype=np.int64)
    total = np.zeros((windows, size))
    mn = np.full((windows, size), np.nan)
    mx = np.full((windows, size), np.nan)
    cells = profile.cells()
    keys = signal_keys(h, cells)
    with h.raw("reading the minute overview") as conn, raw.snapshot(h, conn):
        for sid, key in keys.items():
            starts, rec = load_level(h, conn, key, LEVEL_S, start, end)
            if not starts.size:
                continue
            row = (starts - start) // width
            ok = (row >= 0) & (row < windows)
            row, rec, c = row[ok], rec[ok], cells[sid]
            n[row, c], total[row, c] = rec["n"], rec["sum"]
            mn[row, c], mx[row, c] = rec["min"], rec["max"]
    return [
        window_means(start + (i + 1) * width, n[i], total[i], mn[i], mx[i], len(profile))
        for i in range(windows)
    ]


def health_at(
    h: History, profile: FleetProfile, t_ns: int, *, windows: int = 30
) -> FleetHealth | None:
    """The fleet's health at ``t_ns`` from the recording, as the live monitor would have
    evaluated it after the minute before (None when the history has no such minute)."""
    means = minute_means(h, profile, t_ns, windows)
    if not any((~np.isnan(w.mean)).any() for w in means):
        return None
    evaluator = HealthEvaluator(profile, window_s=float(LEVEL_S), trend_points=windows)
    last = None
    for w in means:
        last = evaluator.evaluate(w)
    return None if last is None else last.health
