"""The hot-path SQL on chunk and rollup rows, through raw DBAPI connections.

SQLAlchemy Core costs tens of microseconds per statement; the writer inserts thousands of
rows per second and the reader issues one range query per signal, so these go straight to
the driver (``History.sql`` adapts the placeholders).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from db import schema
from db.chunks import decode_chunk_rows, decode_rollup_rows

if TYPE_CHECKING:
    from db.history import History

NS = 1_000_000_000

INSERT_CHUNK = (
    "INSERT INTO chunks (signal, t_start, t_end, n, codec, t_bytes, v_bytes) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
INSERT_ROLLUP = (
    "INSERT INTO rollup (signal, level, t_start, t_end, nb, codec, t_bytes, v_bytes) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)

# Rows are (signal, t_start, t_end, n, codec, t_bytes, v_bytes) for chunks and
# (signal, level, t_start, t_end, nb, codec, t_bytes, v_bytes) for rollups.
ChunkRow = tuple[int, int, int, int, int, bytes, bytes]
RollupRow = tuple[int, int, int, int, int, int, bytes, bytes]


def insert_rows(
    h: History, cur: Any, chunk_rows: list[ChunkRow], rollup_rows: list[RollupRow]
) -> None:
    """executemany both kinds of rows on an open cursor (the caller owns the transaction)."""
    if chunk_rows:
        cur.executemany(h.sql(INSERT_CHUNK), chunk_rows)
    if rollup_rows:
        cur.executemany(h.sql(INSERT_ROLLUP), rollup_rows)


def load_raw(h: History, cur: Any, signal: int, t0: int, t1: int) -> tuple[np.ndarray, np.ndarray]:
    """Samples of one signal with t0 <= t < t1, as (t int64, v float32)."""
    rows = [r[1:] for r in chunk_rows(h, cur, [signal], t0, t1)]
    t, v = decode_chunk_rows(rows)
    if t.size and (t[0] < t0 or t[-1] >= t1):
        i, j = np.searchsorted(t, [t0, t1])
        t, v = t[i:j], v[i:j]
    return t, v


def chunk_rows(h: History, cur: Any, signals: list[int], t0: int, t1: int) -> list[tuple]:
    """(signal, t_start, n, codec, t_bytes, v_bytes) of the chunks of ``signals`` holding
    samples in [t0, t1), ordered by signal and time.

    A signal's chunks follow each other without overlap, so none after its first chunk
    ending at or after t1 matters: finding that one first (an index seek per signal)
    bounds each signal's index range tightly. Bounding by t1 + the longest possible chunk
    span instead scans up to an hour of index entries per signal.
    """
    if not signals:
        return []
    marks = ", ".join("?" * len(signals))
    cur.execute(
        h.sql(
            "SELECT s.id, (SELECT e.t_end FROM chunks e WHERE e.signal = s.id AND e.t_end >= ? "
            f"ORDER BY e.t_end LIMIT 1) FROM signals s WHERE s.id IN ({marks})"
        ),
        (t1, *signals),
    )
    bounds = [(int(sig), t1 if hi is None else int(hi)) for sig, hi in cur.fetchall()]
    if not bounds:
        return []
    values = ", ".join("(?, ?)" for _ in bounds)
    cur.execute(
        h.sql(
            f"WITH b(sig, hi) AS (VALUES {values}) "
            "SELECT c.signal, c.t_start, c.n, c.codec, c.t_bytes, c.v_bytes "
            "FROM b JOIN chunks c ON c.signal = b.sig "
            "WHERE c.t_end >= ? AND c.t_end <= b.hi AND c.t_start < ? "
            "ORDER BY c.signal, c.t_end"
        ),
        (*(x for bound in bounds for x in bound), t0, t1),
    )
    return list(cur.fetchall())


def load_buckets(
    h: History, cur: Any, signal: int, level: int, after: int, t1: int
) -> tuple[np.ndarray, np.ndarray]:
    """Pyramid buckets of one level holding data at or after ``after`` and starting before
    ``t1``: rows whose coverage ends after ``after``, buckets from the one containing
    ``after`` on. Returns (bucket starts, ROLLUP_DTYPE records)."""
    width = level * NS
    cur.execute(
        h.sql(
            "SELECT t_start, nb, codec, t_bytes, v_bytes FROM rollup "
            "WHERE signal = ? AND level = ? AND t_end > ? AND t_end <= ? AND t_start < ? "
            "ORDER BY t_end"
        ),
        (signal, level, after, t1 + width * (schema.MAX_ROLLUP_BUCKETS + 1), t1),
    )
    starts, rec = decode_rollup_rows(cur.fetchall())
    if starts.size:
        first = after - after % width
        keep = (starts >= first) & (starts < t1)
        if not keep.all():
            starts, rec = starts[keep], rec[keep]
    return starts, rec


def cover_end(h: History, cur: Any, signal: int, level: int) -> int | None:
    """Where the pyramid level's contiguous coverage of a signal ends (exclusive)."""
    cur.execute(
        h.sql("SELECT MAX(t_end) FROM rollup WHERE signal = ? AND level = ?"), (signal, level)
    )
    row = cur.fetchone()
    return None if row is None or row[0] is None else int(row[0])


def raw_span(h: History, cur: Any, signal: int) -> tuple[int, int] | None:
    """(first sample time, last sample time) of a signal's raw chunks, or None."""
    cur.execute(
        h.sql(
            "SELECT (SELECT t_start FROM chunks WHERE signal = ? ORDER BY t_end LIMIT 1), "
            "(SELECT MAX(t_end) FROM chunks WHERE signal = ?)"
        ),
        (signal, signal),
    )
    row = cur.fetchone()
    if row is None or row[0] is None:
        return None
    return int(row[0]), int(row[1])


def rollup_span(h: History, cur: Any, signal: int, level: int) -> tuple[int, int] | None:
    cur.execute(
        h.sql(
            "SELECT (SELECT t_start FROM rollup WHERE signal = ? AND level = ? "
            "ORDER BY t_end LIMIT 1), "
            "(SELECT MAX(t_end) FROM rollup WHERE signal = ? AND level = ?)"
        ),
        (signal, level, signal, level),
    )
    row = cur.fetchone()
    if row is None or row[0] is None:
        return None
    return int(row[0]), int(row[1])
