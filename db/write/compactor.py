"""Compaction: staged rows (one per group per flush) into chunks (one per signal per window).

A window of one layout is compacted in slices of channels, each slice one short transaction
that inserts the slice's chunks and records in ``stage_progress`` how many channels are
done; the last slice deletes the window's staged rows and its progress row instead. Readers
leave out the channels a progress row marks done, so at every commit each sample is in
exactly one place, and a process killed at any moment resumes where it stopped: the
progress row survives it or the slice never happened.

Which windows: those of a layout before its newest (nobody writes into them again), every
window of a layout no running writer uses, and windows left behind by more than two window
lengths by the newest staged data (a group that stopped). Compacting a window that still
grows is safe, only wasteful: rows added later stay staged for the next pass.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import numpy as np

from db import rows as sql
from db import staging
from db.chunks import LEVEL_SMALL, decode_times
from db.errors import HistoryError
from db.history import History
from db.write.sink import GAP_PERIODS, NS, chunk_rows_for

log = logging.getLogger(__name__)

# Channels per transaction: ~600 one-minute... ten-minute chunks each, a few hundred KB.
SLICE_CHANNELS = 1000


@dataclass(frozen=True, slots=True)
class CompactionResult:
    """What one pass did."""

    windows: int
    staged_rows: int
    chunk_rows: int
    samples: int


@dataclass(frozen=True, slots=True)
class SliceInfo:
    """One committed slice (for diagnostics and tests)."""

    layout: int
    w_start: int
    done: int
    channels: int
    last: bool


def pending_windows(
    h: History, cur: Any, active: Collection[int] = (), force: bool = False
) -> list[tuple[int, int]]:
    """(layout, window start) of the windows due for compaction, oldest first."""
    cur.execute("SELECT layout, w_start, MAX(t_end) FROM staged GROUP BY layout, w_start")
    found = [(int(a), int(b), int(c)) for a, b, c in cur.fetchall()]
    if not found:
        return []
    lays = staging.layouts(h, cur)
    assert lays is not None
    newest_w: dict[int, int] = {}
    for lid, w, _ in found:
        newest_w[lid] = max(newest_w.get(lid, w), w)
    horizon = max(t for _, _, t in found)
    due = []
    for lid, w, _ in found:
        win = lays.by_id[lid].window_ns
        if force or lid not in active or w < newest_w[lid] or w + 3 * win <= horizon:
            due.append((w, lid))
    return [(lid, w) for w, lid in sorted(due)]


def compact(
    h: History,
    *,
    active: Collection[int] = (),
    force: bool = False,
    slice_channels: int = SLICE_CHANNELS,
    pause_s: float = 0.0,
    stop: threading.Event | None = None,
    on_slice: Callable[[SliceInfo], None] | None = None,
    truncate_wal: bool = False,
) -> CompactionResult:
    """Compact every due window (``force``: every window, the open ones included);
    ``active`` are the layouts a running writer appends to. ``pause_s`` sleeps between
    transactions so the writer never waits long; ``stop`` ends the pass early;
    ``truncate_wal``: checkpoint SQLite's WAL to nothing after a pass that did work."""
    windows = rows_done = chunks_done = samples = 0
    with h.raw("compacting staged samples") as conn:
        cur = conn.cursor()
        todo = pending_windows(h, cur, active, force)
        conn.rollback()  # end the read transaction PostgreSQL opened
        for lid, w_start in todo:
            if stop is not None and stop.is_set():
                break
            r, c, s, finished = _compact_window(
                h, conn, lid, w_start, slice_channels, pause_s, stop, on_slice
            )
            rows_done += r
            chunks_done += c
            samples += s
            windows += finished
        if windows and truncate_wal and h.backend == "sqlite":
            _truncate_wal(conn)
    return CompactionResult(windows, rows_done, chunks_done, samples)


def _truncate_wal(conn: Any) -> None:
    """Copy the WAL into the file and cut it to nothing. SQLite only ever grows the WAL,
    and while a writer, a compactor and readers overlap it rarely gets a moment to start
    over: left alone it reached 60 MB beside a 50 MB file in bench/storage.py. Waits at
    most 0.1 s for readers (holding the write lock meanwhile), else leaves it for later."""
    cur = conn.cursor()
    cur.execute("PRAGMA busy_timeout=100")
    try:
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cur.fetchall()
    finally:
        cur.execute("PRAGMA busy_timeout=5000")


def _compact_window(
    h: History,
    conn: Any,
    lid: int,
    w_start: int,
    slice_channels: int,
    pause_s: float,
    stop: threading.Event | None,
    on_slice: Callable[[SliceInfo], None] | None,
) -> tuple[int, int, int, int]:
    """Compact one window; returns (staged rows removed, chunk rows, samples, 1 if it
    finished else 0)."""
    cur = conn.cursor()
    lays = staging.layouts(h, cur)
    assert lays is not None
    layout = lays.by_id[lid]
    cur.execute(
        h.sql("SELECT upto_id, done FROM stage_progress WHERE layout = ? AND w_start = ?"),
        (lid, w_start),
    )
    prog = cur.fetchone()
    cur.execute(
        h.sql(
            "SELECT id, t_start, n, codec, t_bytes, v_bytes FROM staged "
            "WHERE layout = ? AND w_start = ? ORDER BY t_start"
        ),
        (lid, w_start),
    )
    rows = cur.fetchall()
    conn.rollback()
    if prog is not None:
        upto, done = int(prog[0]), int(prog[1])
        rows = [r for r in rows if int(r[0]) <= upto]
    else:
        upto, done = max((int(r[0]) for r in rows), default=0), 0
    if not rows:  # retention removed them: forget the progress of a window now empty
        if prog is not None:
            h.begin_raw(conn)
            cur.execute(
                h.sql("DELETE FROM stage_progress WHERE layout = ? AND w_start = ?"),
                (lid, w_start),
            )
            conn.commit()
        return 0, 0, 0, 0
    ch = layout.signals.shape[0]
    t = np.concatenate([decode_times(r[3], r[1], r[2], r[4]) for r in rows])
    rate = layout.rate_hz
    gap = round(GAP_PERIODS * NS / rate) if rate > 0 else 0
    chunks_made = samples = 0
    while done < ch:
        hi = min(ch, done + slice_channels)
        chans = np.arange(done, hi)
        v = np.concatenate(
            [
                staging.decode_block(r[5], ch, int(r[2]), chans, staging.block_dtype(r[3]))
                for r in rows
            ],
            axis=1,
        )
        keys = layout.signals[done:hi].tolist()
        new = chunk_rows_for(keys, t, v, compress=True, gap_ns=gap, level=LEVEL_SMALL)
        last = hi == ch
        h.begin_raw(conn)
        try:
            sql.insert_rows(h, cur, new, [])
            if last:
                cur.execute(
                    h.sql("DELETE FROM staged WHERE layout = ? AND w_start = ? AND id <= ?"),
                    (lid, w_start, upto),
                )
                cur.execute(
                    h.sql("DELETE FROM stage_progress WHERE layout = ? AND w_start = ?"),
                    (lid, w_start),
                )
            else:
                cur.execute(
                    h.sql(
                        "INSERT INTO stage_progress (layout, w_start, upto_id, done) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT (layout, w_start) "
                        "DO UPDATE SET done = excluded.done"
                    ),
                    (lid, w_start, upto, hi),
                )
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        chunks_made += len(new)
        samples += v.size
        done = hi
        if on_slice is not None:
            on_slice(SliceInfo(lid, w_start, done, ch, last))
        if not last:
            if stop is not None and stop.is_set():
                return 0, chunks_made, samples, 0
            if pause_s:
                time.sleep(pause_s)
    return len(rows), chunks_made, samples, 1


class Compactor:
    """Compacts a history on a thread of its own while a writer records into it: after
    every ``poke()`` (the writer's flush) or every ``interval_s``."""

    def __init__(
        self,
        history: History,
        active: Collection[int],
        *,
        interval_s: float = 5.0,
        pause_s: float = 0.005,
        on_slice: Callable[[SliceInfo], None] | None = None,
    ) -> None:
        self.history = history
        self.active = frozenset(active)
        self._interval = interval_s
        self._pause = pause_s
        self._on_slice = on_slice
        self._wake = threading.Event()
        self._stop = threading.Event()
        self.idle = threading.Event()  # set while a pass has found nothing due
        self.last_error: str | None = None
        self.compacted_windows = 0
        self._thread = threading.Thread(target=self._run, name="twindeck-compactor", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        """Ask for a pass soon (new staged rows)."""
        self.idle.clear()
        self._wake.set()

    def close(self, timeout: float = 30.0) -> None:
        """Stop after the transaction under way; idempotent."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                res = compact(
                    self.history,
                    active=self.active,
                    pause_s=self._pause,
                    stop=self._stop,
                    on_slice=self._on_slice,
                    truncate_wal=True,
                )
                self.compacted_windows += res.windows
                self.last_error = None
                if res.windows:
                    continue  # more may have come due meanwhile
                self.idle.set()
            except HistoryError as exc:
                if self.last_error != str(exc):
                    log.warning("history: compaction failed, will retry: %s", exc)
                self.last_error = str(exc)
            except Exception as exc:  # a bug: say so, keep the writer's data staged
                log.exception("history: compaction failed")
                self.last_error = repr(exc)
            self._wake.wait(self._interval)
            self._wake.clear()
