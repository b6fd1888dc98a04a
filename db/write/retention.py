"""Retention: delete old raw chunks (and, later, old pyramid rows) in small transactions.

Each DELETE removes at most ``batch_rows`` rows of one signal and commits, so a retention
pass running on a background thread holds SQLite's write lock for milliseconds at a time
and the recording writer (busy_timeout 5 s) never stalls on it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from db import rows as sql
from db import schema
from db.history import History
from db.pyramid import NS


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

    Raw chunks not yet summarised in the 1 s pyramid level are kept, so an overview never
    loses data to retention. ``pause_s`` sleeps between transactions; ``stop`` ends the
    pass early (it resumes where it left off next time).
    """
    now = time.time_ns() if now_ns is None else now_ns
    raw_cut = now - int(raw_keep_s * NS)
    roll_cut = None if rollup_keep_s is None else now - int(rollup_keep_s * NS)
    raw_deleted = roll_deleted = 0
    h = history
    with h.raw("applying retention") as conn:
        cur = conn.cursor()
        cur.execute("SELECT id FROM signals ORDER BY id")
        signals = [int(r[0]) for r in cur.fetchall()]
        for sig in signals:
            summarised = sql.cover_end(h, cur, sig, schema.LEVELS_S[0])
            cut = raw_cut if summarised is None else min(raw_cut, summarised)
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
    return RetentionResult(raw_deleted, roll_deleted)


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
