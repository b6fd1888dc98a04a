"""Raw samples as readers see them: compacted chunks and staged rows as one.

Every sample is in exactly one place that counts: a chunk, or a staged row's channel that
``stage_progress`` does not mark as compacted already. The compactor moves samples from
one to the other in transactions, so each read runs its statements in one snapshot
(``snapshot``): a compaction committing between two of them could otherwise hide a
sample or show it twice.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from db import rows as sql
from db import staging
from db.chunks import decode_chunk_rows, decode_row_values, decode_times, is_wide

if TYPE_CHECKING:
    from db.history import History

Series = tuple[np.ndarray, np.ndarray]
# SQLite allows 32,766 bound parameters per statement; stay well inside it.
KEYS_PER_STATEMENT = 10_000


def _empty() -> Series:
    return np.empty(0, np.int64), np.empty(0, np.float32)


@contextlib.contextmanager
def snapshot(h: History, conn: Any) -> Iterator[Any]:
    """A cursor whose statements all see the history as of one moment: an SQLite read
    transaction (WAL), a REPEATABLE READ transaction on PostgreSQL. Not for use inside a
    write transaction: on PostgreSQL it ends whatever transaction the connection had."""
    cur = conn.cursor()
    if h.backend == "sqlite":
        if conn.driver_connection.in_transaction:  # the caller's snapshot already
            yield cur
            return
        cur.execute("BEGIN")
    else:
        conn.rollback()
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    try:
        yield cur
    finally:
        conn.rollback()


def read_raw(h: History, conn: Any, keys: Sequence[int], t0: int, t1: int) -> dict[int, Series]:
    """Samples of the signals ``keys`` with t0 <= t < t1, chunks and staged rows as one:
    {key: (t int64, v float32, or the signal's float64 / int64)} (keys without samples
    are left out)."""
    keys = list(dict.fromkeys(int(k) for k in keys))
    if not keys:
        return {}
    with snapshot(h, conn) as cur:
        rows: list[tuple] = []
        for i in range(0, len(keys), KEYS_PER_STATEMENT):
            rows.extend(sql.chunk_rows(h, cur, keys[i : i + KEYS_PER_STATEMENT], t0, t1))
        lays = staging.layouts(h, cur)
        found = lays.containing(keys) if lays is not None else {}
        staged = sql.staged_rows(h, cur, sorted(found), t0, t1) if found else []
    pieces: dict[int, list[Series]] = {}
    if any(is_wide(r[3]) for r in rows):  # float64 / int64 signals: each its own type
        for key, group in itertools.groupby(rows, key=lambda r: int(r[0])):
            pieces[key] = [decode_chunk_rows([r[1:] for r in group])]
    else:  # float32 only: every signal's rows decoded at once
        t_all, v_all = decode_chunk_rows([r[1:] for r in rows])
        pos = 0
        for key, group in itertools.groupby(rows, key=lambda r: int(r[0])):
            end = pos + sum(int(r[2]) for r in group)
            pieces[key] = [(t_all[pos:end], v_all[pos:end])]
            pos = end
    if staged:
        assert lays is not None
        for lid, group in itertools.groupby(staged, key=lambda r: int(r[0])):
            _add_staged(pieces, lays.by_id[lid], *found[lid], list(group))
    return {k: _clip(_merge(p), t0, t1) for k, p in pieces.items()}


def _add_staged(
    pieces: dict[int, list[Series]],
    layout: staging.Layout,
    chans: np.ndarray,
    keys: np.ndarray,
    rows: list[tuple],
) -> None:
    """Decode the wanted channels of one layout's staged rows, leaving out channels a
    compaction under way has put into chunks already."""
    ch = layout.signals.shape[0]
    ts = [decode_times(r[3], r[1], r[2], r[4]) for r in rows]
    vs = [staging.decode_block(r[5], ch, int(r[2]), chans, staging.block_dtype(r[3])) for r in rows]
    t = np.concatenate(ts)
    v = np.concatenate(vs, axis=1)
    done = np.array([int(r[6]) for r in rows], np.int64)
    done_per_sample = np.repeat(done, [x.shape[0] for x in ts]) if done.any() else None
    for i, key in enumerate(keys.tolist()):
        if done_per_sample is None:
            pieces.setdefault(key, []).append((t, v[i]))
        else:
            keep = chans[i] >= done_per_sample
            pieces.setdefault(key, []).append((t[keep], v[i][keep]))


def _merge(parts: list[Series]) -> Series:
    parts = [p for p in parts if p[0].size]
    if len(parts) <= 1:
        return parts[0] if parts else _empty()
    t = np.concatenate([p[0] for p in parts])
    v = np.concatenate([p[1] for p in parts])
    # Each part is in time order; they follow each other unless several layouts hold
    # the signal (its group changed between sessions).
    if any(a[0][-1] >= b[0][0] for a, b in itertools.pairwise(parts)):
        order = np.argsort(t, kind="stable")
        t, v = t[order], v[order]
    return t, v


def _clip(s: Series, t0: int, t1: int) -> Series:
    t, v = s
    if t.size and (t[0] < t0 or t[-1] >= t1):
        i, j = np.searchsorted(t, [t0, t1])
        t, v = t[i:j], v[i:j]
    return t, v


def load_raw(h: History, conn: Any, key: int, t0: int, t1: int) -> Series:
    """Samples of one signal with t0 <= t < t1, as (t int64, v float32)."""
    return read_raw(h, conn, [key], t0, t1).get(key) or _empty()


def raw_span(h: History, conn: Any, key: int) -> tuple[int, int] | None:
    """(first sample time, last sample time) of one signal, chunks and staged rows."""
    with snapshot(h, conn) as cur:
        spans = [s for s in (sql.chunk_span(h, cur, key), _staged_span(h, cur, [key])) if s]
    if not spans:
        return None
    return min(s[0] for s in spans), max(s[1] for s in spans)


def raw_spans(h: History, conn: Any, keys: Sequence[int]) -> dict[int, tuple[int, int]]:
    """{key: (first sample time, last sample time)} of the signals that have samples,
    chunks and staged rows, with a few statements for any number of signals."""
    keys = [int(k) for k in keys]
    out: dict[int, tuple[int, int]] = {}
    with snapshot(h, conn) as cur:
        for i in range(0, len(keys), KEYS_PER_STATEMENT):
            part = keys[i : i + KEYS_PER_STATEMENT]
            marks = ", ".join("?" * len(part))
            cur.execute(
                h.sql(
                    "SELECT s.id, (SELECT c.t_start FROM chunks c WHERE c.signal = s.id "
                    "ORDER BY c.t_end LIMIT 1), (SELECT MAX(c.t_end) FROM chunks c "
                    f"WHERE c.signal = s.id) FROM signals s WHERE s.id IN ({marks})"
                ),
                part,
            )
            out.update({int(k): (int(a), int(b)) for k, a, b in cur.fetchall() if a is not None})
        lays = staging.layouts(h, cur)
        if lays is not None:
            cur.execute("SELECT layout, MIN(t_start), MAX(t_end) FROM staged GROUP BY layout")
            wanted = set(keys)
            for lid, a, b in cur.fetchall():
                for k in lays.by_id[int(lid)].signals.tolist():
                    if k in wanted:
                        old = out.get(k)
                        out[k] = (
                            (int(a), int(b)) if old is None else (min(old[0], a), max(old[1], b))
                        )
    return out


def last_time(h: History, conn: Any, keys: Sequence[int]) -> int | None:
    """The newest sample time over ``keys`` (chunks and staged rows), or None."""
    keys = [int(k) for k in keys]
    best: int | None = None
    with snapshot(h, conn) as cur:
        for i in range(0, len(keys), KEYS_PER_STATEMENT):
            part = keys[i : i + KEYS_PER_STATEMENT]
            marks = ", ".join("?" * len(part))
            # A correlated MAX per signal: one index seek each, no scan of their chunks.
            cur.execute(
                h.sql(
                    "SELECT MAX((SELECT MAX(c.t_end) FROM chunks c WHERE c.signal = s.id)) "
                    f"FROM signals s WHERE s.id IN ({marks})"
                ),
                part,
            )
            row = cur.fetchone()
            if row is not None and row[0] is not None:
                best = int(row[0]) if best is None else max(best, int(row[0]))
        span = _staged_span(h, cur, keys)
    if span is not None:
        best = span[1] if best is None else max(best, span[1])
    return best


def holds_samples(h: History, conn: Any) -> bool:
    """Whether the history holds any sample at all (chunks or staged rows): a new one
    does not, and the per-signal seeks that find where a signal's samples end are skipped."""
    with snapshot(h, conn) as cur:
        cur.execute("SELECT EXISTS (SELECT 1 FROM chunks)")
        row = cur.fetchone()
        if row is not None and row[0]:
            return True
        if staging.layouts(h, cur) is None:
            return False
        cur.execute("SELECT EXISTS (SELECT 1 FROM staged)")
        row = cur.fetchone()
        return bool(row is not None and row[0])


def _staged_span(h: History, cur: Any, keys: Sequence[int]) -> tuple[int, int] | None:
    lays = staging.layouts(h, cur)
    found = sorted(lays.containing(keys)) if lays is not None else []
    if not found:
        return None
    marks = ", ".join("?" * len(found))
    cur.execute(
        h.sql(f"SELECT MIN(t_start), MAX(t_end) FROM staged WHERE layout IN ({marks})"), found
    )
    row = cur.fetchone()
    if row is None or row[0] is None:
        return None
    return int(row[0]), int(row[1])


def time_range(h: History, conn: Any) -> tuple[int, int] | None:
    """(first sample time, last sample time) over every signal, or None when empty."""
    with snapshot(h, conn) as cur:
        # Per-signal index seeks inside one statement: no scan of the chunks table.
        cur.execute(
            "SELECT MIN((SELECT c.t_start FROM chunks c WHERE c.signal = s.id "
            "ORDER BY c.t_end LIMIT 1)), "
            "MAX((SELECT MAX(c.t_end) FROM chunks c WHERE c.signal = s.id)) FROM signals s"
        )
        spans = [cur.fetchone()]
        if staging.layouts(h, cur) is not None:
            cur.execute("SELECT MIN(t_start), MAX(t_end) FROM staged")
            spans.append(cur.fetchone())
    found = [(int(s[0]), int(s[1])) for s in spans if s is not None and s[0] is not None]
    if not found:
        return None
    return min(a for a, _ in found), max(b for _, b in found)


def first_times(h: History, conn: Any) -> dict[int, int]:
    """Each recorded signal's first sample time (signal key -> ns), from the rows' bounds
    alone: one index seek per signal and per staged layout, nothing decoded."""
    keys, firsts = first_time_arrays(h, conn)
    return dict(zip(keys.tolist(), firsts.tolist(), strict=True))


def first_time_arrays(h: History, conn: Any) -> tuple[np.ndarray, np.ndarray]:
    """``first_times`` as arrays (signal keys, first sample times), merged with numpy:
    at 60,000 signals a dict per signal and layout membership costs more than the seeks."""
    none = np.iinfo(np.int64).max
    with snapshot(h, conn) as cur:
        cur.execute(
            "SELECT s.id, (SELECT c.t_start FROM chunks c WHERE c.signal = s.id "
            "ORDER BY c.t_end LIMIT 1) FROM signals s"
        )
        rows = cur.fetchall()
        lays = staging.layouts(h, cur)
        by_layout: dict[int, int] = {}
        if lays is not None:
            cur.execute(
                "SELECT l.id, (SELECT g.t_start FROM staged g WHERE g.layout = l.id "
                "ORDER BY g.t_end LIMIT 1) FROM stage_layouts l"
            )
            by_layout = {int(lid): int(t) for lid, t in cur.fetchall() if t is not None}
    keys = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    firsts = np.fromiter((none if r[1] is None else r[1] for r in rows), np.int64, len(rows))
    order = np.argsort(keys, kind="stable")
    keys, firsts = keys[order], firsts[order]
    for lid, t in by_layout.items():
        assert lays is not None
        members = lays.by_id[lid].signals
        pos = np.minimum(np.searchsorted(keys, members), max(keys.size - 1, 0))
        pos = pos[keys[pos] == members] if keys.size else pos[:0]
        firsts[pos] = np.minimum(firsts[pos], t)
    found = firsts != none
    return keys[found], firsts[found]


def coverage_rows(h: History, conn: Any, key: int, lo: int, hi: int) -> list[tuple]:
    """(t_start, t_end, n, codec, t_bytes) of the rows holding samples of one signal in
    [lo, hi), chunks and staged rows (not those of its channel compacted already), by time."""
    with snapshot(h, conn) as cur:
        cur.execute(
            h.sql(
                "SELECT t_start, t_end, n, codec, t_bytes FROM chunks WHERE signal = ? "
                "AND t_end >= ? AND t_start < ? ORDER BY t_end"
            ),
            (key, lo, hi),
        )
        out = list(cur.fetchall())
        lays = staging.layouts(h, cur)
        for lid, (chans, _keys) in (lays.containing([key]) if lays is not None else {}).items():
            for r in sql.staged_rows(h, cur, [lid], lo, hi):
                if int(chans[0]) >= int(r[6]):
                    t = decode_times(r[3], r[1], r[2], r[4])
                    out.append((r[1], int(t[-1]), r[2], r[3], r[4]))
    out.sort(key=lambda r: int(r[1]))
    return out


Block = tuple[np.ndarray, np.ndarray]  # t (k,) int64, v (channels, k) float32


def read_blocks(
    h: History, conn: Any, groups: Sequence[np.ndarray], t0: int, t1: int
) -> list[Block | None]:
    """Samples with t0 <= t < t1 of several groups of signal keys, each group as one
    block (t (k,), v (len(keys), k)) in its key order, or None where its signals do not
    share their sample times (read those with ``read_raw``).

    A recorded group shares its times by construction: the writer stages its flushes as
    one row and the compactor cuts every channel's chunks at the same window bounds. So
    the rows are decoded together, with the times once per group, not per signal: one
    chunk query per KEYS_PER_STATEMENT keys and one staged query for all the groups, in
    one snapshot.
    """
    if not groups:
        return []
    wanted = np.unique(np.concatenate([np.asarray(g, np.int64) for g in groups]))
    with snapshot(h, conn) as cur:
        rows: list[tuple] = []
        for i in range(0, wanted.size, KEYS_PER_STATEMENT):
            part = wanted[i : i + KEYS_PER_STATEMENT].tolist()
            rows.extend(sql.chunk_rows(h, cur, part, t0, t1))
        lays = staging.layouts(h, cur)
        found = _layouts_holding(lays, wanted) if lays is not None else {}
        staged = sql.staged_rows(h, cur, sorted(found), t0, t1) if found else []
    chunked = _ChunkIndex(rows)
    by_layout = {lid: list(g) for lid, g in itertools.groupby(staged, key=lambda r: int(r[0]))}
    out: list[Block | None] = []
    for keys in groups:
        keys = np.asarray(keys, np.int64)
        a = chunked.block(keys)
        b = _staged_block(keys, found, lays, by_layout) if lays is not None else _no_block(keys)
        out.append(None if a is None or b is None else _clip_block(_join(a, b), t0, t1))
    return out


def _layouts_holding(
    lays: staging.Layouts, keys: np.ndarray
) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """``Layouts.containing`` for sorted ``keys``, a set operation per layout instead of a
    lookup per key (there are a few layouts, and tens of thousands of keys)."""
    out = {}
    for lid, layout in list(lays.by_id.items()):
        chans = np.flatnonzero(np.isin(layout.signals, keys, assume_unique=False))
        if chans.size:
            out[lid] = (chans, layout.signals[chans])
    return out


def _no_block(keys: np.ndarray) -> Block:
    return np.empty(0, np.int64), np.empty((keys.size, 0), np.float32)


class _ChunkIndex:
    """Chunk rows (signal, t_start, n, codec, t_bytes, v_bytes), ordered by signal and
    time, indexed by signal for whole groups at once."""

    def __init__(self, rows: list[tuple]) -> None:
        self.rows = rows
        sig = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        self.signals, self.first, self.count = np.unique(sig, return_index=True, return_counts=True)
        self.t_start = np.fromiter((r[1] for r in rows), np.int64, len(rows))
        self.n = np.fromiter((r[2] for r in rows), np.int64, len(rows))
        self.t_codec = np.fromiter((r[3] & 0xF for r in rows), np.int64, len(rows))
        self.t_bytes = np.empty(len(rows), object)
        self.t_bytes[:] = [bytes(r[4]) for r in rows]

    def block(self, keys: np.ndarray) -> Block | None:
        """The chunks of ``keys`` as one block; None unless every key has chunks holding
        the same times (or none has any)."""
        pos = np.minimum(np.searchsorted(self.signals, keys), max(self.signals.size - 1, 0))
        present = self.signals[pos] == keys if self.signals.size else np.zeros(keys.size, bool)
        if not present.any():
            return _no_block(keys)
        if not present.all():
            return None
        count = self.count[pos]
        c = int(count[0])
        if (count != c).any():
            return None
        idx = self.first[pos][:, None] + np.arange(c)  # (keys, c) row indices
        for col in (self.t_start, self.n, self.t_codec):
            if (col[idx] != col[idx[0]]).any():
                return None
        if (self.t_bytes[idx] != self.t_bytes[idx[0]]).any():
            return None  # same start, length and codec: equal time bytes, equal times
        t = decode_chunk_rows([self.rows[i][1:] for i in idx[0].tolist()])[0]
        v = decode_row_values([self.rows[i][1:] for i in idx.ravel().tolist()])
        return t, v.reshape(keys.size, t.size)


def _staged_block(
    keys: np.ndarray,
    found: dict[int, tuple[np.ndarray, np.ndarray]],
    lays: staging.Layouts,
    by_layout: dict[int, list[tuple]],
) -> Block | None:
    """The staged rows of ``keys`` as one block: None unless one layout holds all of them
    (or none holds any) and no compaction under way has moved some of its channels."""
    holders = [lid for lid, (_c, ks) in found.items() if np.isin(ks, keys).any()]
    if not holders:
        return _no_block(keys)
    if len(holders) > 1:
        return None
    lid = holders[0]
    layout = lays.by_id[lid]
    order = np.argsort(layout.signals, kind="stable")
    sorted_sigs = layout.signals[order]
    pos = np.minimum(np.searchsorted(sorted_sigs, keys), sorted_sigs.size - 1)
    if not (sorted_sigs[pos] == keys).all():
        return None  # some keys are not in the layout: their samples are elsewhere
    rows = by_layout.get(lid, [])
    if not rows:
        return _no_block(keys)
    if any(int(r[6]) for r in rows):
        return None
    chans = order[pos]
    ch = layout.signals.shape[0]
    sorted_chans = np.unique(chans)
    back = np.searchsorted(sorted_chans, chans)  # group order from the sorted channels
    ts = [decode_times(r[3], r[1], r[2], r[4]) for r in rows]
    vs = [
        staging.decode_block(r[5], ch, int(r[2]), sorted_chans, staging.block_dtype(r[3]))
        for r in rows
    ]
    return np.concatenate(ts), np.concatenate(vs, axis=1)[back]


def _join(a: Block, b: Block) -> Block:
    """Two blocks of the same channels as one, in time order."""
    if not b[0].size:
        return a
    if not a[0].size:
        return b
    t = np.concatenate((a[0], b[0]))
    v = np.concatenate((a[1], b[1]), axis=1)
    if a[0][-1] >= b[0][0]:
        order = np.argsort(t, kind="stable")
        t, v = t[order], v[:, order]
    return t, v


def _clip_block(block: Block, t0: int, t1: int) -> Block:
    t, v = block
    if t.size and (t[0] < t0 or t[-1] >= t1):
        i, j = np.searchsorted(t, [t0, t1])
        t, v = t[i:j], v[:, i:j]
    return t, v
