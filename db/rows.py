"""The hot-path SQL on chunk and rollup rows, through raw DBAPI connections.

SQLAlchemy Core costs tens of microseconds per statement; the writer inserts thousands of
rows per second and the reader issues one range query per signal, so these go straight to
the driver (``History.sql`` adapts the placeholders).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db import schema

if TYPE_CHECKING:
    from db.history import History

NS = 1_000_000_000

INSERT_CHUNK = (
    "INSERT INTO chunks (signal, t_start, t_end, n, codec, t_bytes, v_bytes) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
INSERT_STAGED = (
    "INSERT INTO staged (layout, w_start, t_start, t_end, n, codec, t_bytes, v_bytes) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_ROLLUP = (
    "INSERT INTO rollup (signal, level, t_start, t_end, nb, codec, t_bytes, v_bytes) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)

# Rows are (signal, t_start, t_end, n, codec, t_bytes, v_bytes) for chunks and
# (signal, level, t_start, t_end, nb, codec, t_bytes, v_bytes) for rollups.
# Staged rows are (layout, w_start, t_start, t_end, n, codec, t_bytes, v_bytes).
ChunkRow = tuple[int, int, int, int, int, bytes, bytes]
RollupRow = tuple[int, int, int, int, int, int, bytes, bytes]
StagedRow = tuple[int, int, int, int, int, int, bytes, bytes]


def insert_rows(
    h: History,
    cur: Any,
    chunk_rows: list[ChunkRow],
    rollup_rows: list[RollupRow],
    staged_rows: list[StagedRow] | None = None,
) -> None:
    """executemany every kind of row on an open cursor (the caller owns the transaction)."""
    if chunk_rows:
        cur.executemany(h.sql(INSERT_CHUNK), chunk_rows)
    if rollup_rows:
        cur.executemany(h.sql(INSERT_ROLLUP), rollup_rows)
    if staged_rows:
        cur.executemany(h.sql(INSERT_STAGED), staged_rows)


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


def staged_rows(h: History, cur: Any, layouts: list[int], t0: int, t1: int) -> list[tuple]:
    """(layout, t_start, n, codec, t_bytes, v_bytes, done) of the staged rows of
    ``layouts`` holding samples in [t0, t1), ordered by layout and time; ``done``: the
    row's channels below it are in chunks already (a compaction under way)."""
    if not layouts:
        return []
    marks = ", ".join("?" * len(layouts))
    cur.execute(
        h.sql(
            "SELECT s.layout, s.t_start, s.n, s.codec, s.t_bytes, s.v_bytes, "
            "COALESCE(p.done, 0) FROM staged s LEFT JOIN stage_progress p "
            "ON p.layout = s.layout AND p.w_start = s.w_start AND s.id <= p.upto_id "
            f"WHERE s.layout IN ({marks}) AND s.t_end >= ? AND s.t_start < ? "
            "ORDER BY s.layout, s.t_start"
        ),
        (*layouts, t0, t1),
    )
    return list(cur.fetchall())


def level_rows(h: History, cur: Any, signal: int, level: int, after: int, t1: int) -> list[tuple]:
    """(t_start, t_end, nb, codec, t_bytes, v_bytes) of one pyramid level's rows holding
    data at or after ``after`` and starting before ``t1`` (coverage ending after ``after``),
    ordered by time. db.pyramid.load_level decodes them."""
    width = level * NS
    cur.execute(
        h.sql(
            "SELECT t_start, t_end, nb, codec, t_bytes, v_bytes FROM rollup "
            "WHERE signal = ? AND level = ? AND t_end > ? AND t_end <= ? AND t_start < ? "
            "ORDER BY t_end"
        ),
        (signal, level, after, t1 + width * (schema.MAX_ROLLUP_BUCKETS + 1), t1),
    )
    return list(cur.fetchall())


def cover_end(h: History, cur: Any, signal: int, level: int) -> int | None:
    """Where the pyramid level's contiguous coverage of a signal ends (exclusive)."""
    cur.execute(
        h.sql("SELECT MAX(t_end) FROM rollup WHERE signal = ? AND level = ?"), (signal, level)
    )
    row = cur.fetchone()
    return None if row is None or row[0] is None else int(row[0])


def chunk_span(h: History, cur: Any, signal: int) -> tuple[int, int] | None:
    """(first sample time, last sample time) of a signal's chunks (not its staged samples:
    see db.raw.raw_span), or None."""
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


def level_spans(h: History, cur: Any, signals: list[int], level: int) -> dict[int, tuple[int, int]]:
    """{signal: (first row's t_start, coverage end)} of one pyramid level, for the signals
    that have rows in it: per-signal index seeks, in statements of at most 10,000 signals."""
    out: dict[int, tuple[int, int]] = {}
    for i in range(0, len(signals), 10_000):
        part = signals[i : i + 10_000]
        marks = ", ".join("?" * len(part))
        cur.execute(
            h.sql(
                "SELECT s.id, (SELECT r.t_start FROM rollup r WHERE r.signal = s.id AND "
                "r.level = ? ORDER BY r.t_end LIMIT 1), (SELECT MAX(r.t_end) FROM rollup r "
                f"WHERE r.signal = s.id AND r.level = ?) FROM signals s WHERE s.id IN ({marks})"
            ),
            (level, level, *part),
        )
        out.update({int(k): (int(a), int(b)) for k, a, b in cur.fetchall() if a is not None})
    return out
