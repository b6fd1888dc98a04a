"""Retention: delete old raw chunks (and, later, old pyramid rows) in small transactions.

Each DELETE removes at most ``batch_rows`` rows of one signal and commits, so a retention
pass running on a background thread holds SQLite's write lock for milliseconds at a time
and the recording writer (busy_timeout 5 s) never stalls on it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from db import rows as sql
from db import schema, staging
from db.chunks import ROLLUP_REF
from db.history import History
from db.pyramid import NS, by_reference, signal_rates


@dataclass(frozen=True, slots=True)
class RetentionResult:
    raw_rows_deleted: int
    rollup_rows_deleted: int


def apply_retention(
    history: History,
    raw_keep_s: float,
    rollup_keep_s: float | None = None,
    *,
    now_ns: int | None = None,
    batch_rows: int = 2000,
    pause_s: float = 0.0,
    stop: threading.Event | None = None,
) -> RetentionResult:
    """Delete raw chunks that ended more than ``raw_keep_s`` before ``now_ns`` (default:
    the wall clock) and pyramid rows older than ``rollup_keep_s`` (None keeps them).

    Raw chunks not yet summarised in the finest pyramid level stored for the signal are
    kept, so an overview never loses data to retention. Levels kept by reference (a slow
    signal's, see db.pyramid) are its raw samples: their rows go with the raw chunks, and a
    signal with no stored level keeps its raw samples as long as the pyramid. Staged rows
    (the last minutes) are left to the compactor. ``pause_s`` sleeps between
    transactions; ``stop`` ends the pass early (it resumes where it left off next time).
    """
    now = time.time_ns() if now_ns is None else now_ns
    raw_cut = now - int(raw_keep_s * NS)
    roll_cut = None if rollup_keep_s is None else now - int(rollup_keep_s * NS)
    raw_deleted = roll_deleted = 0
    h = history
    with h.raw("applying retention") as conn:
        cur = conn.cursor()
        rates = signal_rates(h, cur)
        cuts: dict[int, int] = {}
        for sig in sorted(rates):
            stored = [lv for lv in schema.LEVELS_S if not by_reference(lv, rates[sig])]
            if stored:
                summarised = sql.cover_end(h, cur, sig, stored[0])
                cut = raw_cut if summarised is None else min(raw_cut, summarised)
            elif roll_cut is not None:
                cut = roll_cut
            else:
                continue
            cuts[sig] = cut
            for level in schema.LEVELS_S:
                if level not in stored:
                    roll_deleted += _delete(
                        h,
                        conn,
                        cur,
                        "DELETE FROM rollup WHERE id IN (SELECT id FROM rollup WHERE "
                        "signal = ? AND level = ? AND codec = ? AND t_end < ? "
                        "ORDER BY t_end LIMIT ?)",
                        (sig, level, ROLLUP_REF, cut),
                        batch_rows,
                        pause_s,
                        stop,
                    )
            raw_deleted += _delete(
                h,
                conn,
                cur,
                "DELETE FROM chunks WHERE id IN (SELECT id FROM chunks WHERE signal = ? "
                "AND t_end < ? ORDER BY t_end LIMIT ?)",
                (sig, cut),
                batch_rows,
                pause_s,
                stop,
            )
            if roll_cut is not None:
                for level in schema.LEVELS_S:
                    roll_deleted += _delete(
                        h,
                        conn,
                        cur,
                        "DELETE FROM rollup WHERE id IN (SELECT id FROM rollup WHERE "
                        "signal = ? AND level = ? AND t_end < ? ORDER BY t_end LIMIT ?)",
                        (sig, level, roll_cut),
                        batch_rows,
                        pause_s,
                        stop,
                    )
            if stop is not None and stop.is_set():
                break
        else:
            raw_deleted += _delete_staged(h, conn, cur, cuts, batch_rows, pause_s, stop)
    return RetentionResult(raw_deleted, roll_deleted)


def _delete_staged(
    h: History,
    conn: object,
    cur: Any,
    cuts: dict[int, int],
    batch_rows: int,
    pause_s: float,
    stop: threading.Event | None,
) -> int:
    """Staged rows older than the cut of every signal they hold (normally the compactor
    has made them chunks long before; a history written without one keeps them)."""
    lays = staging.layouts(h, cur)
    total = 0
    for lay in [] if lays is None else list(lays.by_id.values()):
        sigs = lay.signals.tolist()
        if sigs and all(s in cuts for s in sigs):
            total += _delete(
                h,
                conn,
                cur,
                "DELETE FROM staged WHERE id IN (SELECT id FROM staged WHERE layout = ? "
                "AND t_end < ? ORDER BY t_end LIMIT ?)",
                (lay.id, min(cuts[s] for s in sigs)),
                batch_rows,
                pause_s,
                stop,
            )
    return total


def _delete(
    h: History,
    conn: object,
    cur: object,
    statement: str,
    params: tuple[int, ...],
    batch_rows: int,
    pause_s: float,
    stop: threading.Event | None,
) -> int:
    total = 0
    q = h.sql(statement)
    while not (stop is not None and stop.is_set()):
        h.begin_raw(conn)
        cur.execute(q, (*params, batch_rows))  # type: ignore[attr-defined]
        n = int(cur.rowcount)  # type: ignore[attr-defined]
        conn.commit()  # type: ignore[attr-defined]
        total += max(n, 0)
        if n < batch_rows:
            break
        if pause_s:
            time.sleep(pause_s)
    return total
