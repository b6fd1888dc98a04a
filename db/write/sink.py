"""Batches -> chunk or staged rows + pyramid rows -> one transaction. Synchronous; the
writer thread (db.write.writer) and the ingest benchmark both drive this same code path.

Fast groups write one chunk row per signal per flush (a 1 kHz flush is a good chunk). Slow
groups (db.staging.stages) write one staged row per group per flush, which the compactor
(db.write.compactor) later merges into chunks of minutes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from db import catalog, raw, schema, staging
from db import rows as sql
from db.buckets import GroupPyramid, by_reference, compress_level, ref_rows, rollup_rows
from db.chunks import LEVEL_FAST, encode_times, encode_values, pack_codec
from db.history import History
from twin.batch import Batch, ChannelGroup
from twin.plant.model import Plant
from twin.values import cast, check_dtype

log = logging.getLogger(__name__)

# Groups at or below this rate get their values byte-shuffled and deflated: they are few
# samples per second (cheap to compress) and their chunks are small (row overhead matters).
COMPRESS_BELOW_HZ = 100.0
# A chunk is split where consecutive samples are more than this many periods apart.
GAP_PERIODS = 3.0
NS = 1_000_000_000


@dataclass(frozen=True, slots=True)
class FlushInfo:
    """What one flush committed: samples written and, per group, the last sample time."""

    samples: int
    chunk_rows: int
    rollup_rows: int
    last_t: dict[str, int]
    staged_rows: int = 0


@dataclass
class _GroupBuffer:
    group: ChannelGroup
    keys: list[int]
    compress: bool
    last_t: int  # newest sample time already accepted (or stored before we started)
    pyramid: GroupPyramid
    layout: staging.Layout | None  # staged groups only
    dtype: np.dtype  # the values' type in the history (the group's)
    ts: list[np.ndarray] = field(default_factory=list)
    vs: list[np.ndarray] = field(default_factory=list)
    pending: int = 0


class ChunkSink:
    """Accumulate batches per group and write them, once per flush, as one chunk row per
    signal (fast groups) or one staged row per group (slow groups; ``stage`` forces either),
    keeping the pyramid up to date. Not thread-safe: one thread drives it."""

    def __init__(
        self,
        history: History,
        groups: Sequence[ChannelGroup],
        *,
        plant: Plant | None = None,
        compress: bool | None = None,
        recording: bool = True,
        stage: bool | None = None,
    ) -> None:
        self.history = history
        ids = [s for g in groups for s in g.signal_ids]
        rates = {s: g.rate_hz for g in groups for s in g.signal_ids}
        keys = catalog.register_signals(history, ids, plant, rates)
        with history.raw() as conn:
            holds_samples = raw.holds_samples(history, conn)
        self._groups: dict[str, _GroupBuffer] = {}
        for g in groups:
            gkeys = [keys[s] for s in g.signal_ids]
            staged = staging.stages(g.rate_hz) if stage is None else stage
            layout = None
            if staged:
                lid = staging.ensure_layout(history, g.key, g.rate_hz, gkeys)
                with history.raw() as conn:
                    lays = staging.layouts(history, conn.cursor())
                assert lays is not None
                layout = lays.by_id[lid]
            last = None
            if holds_samples:
                with history.raw() as conn:
                    last = raw.last_time(history, conn, gkeys)
            comp = g.rate_hz <= COMPRESS_BELOW_HZ if compress is None else compress
            ref = [by_reference(lv, g.rate_hz) for lv in schema.LEVELS_S]
            self._groups[g.key] = _GroupBuffer(
                g,
                gkeys,
                comp,
                -1 if last is None else last,
                GroupPyramid(ref),
                layout,
                check_dtype(g.dtype),
            )
        self.recording_id = (
            catalog.start_recording(history, plant, catalog.app_version()) if recording else None
        )
        self.rejected_samples = 0
        self._rejected_logged = False

    @property
    def layout_ids(self) -> list[int]:
        """Stage layouts this sink writes (the compactor leaves their open window alone)."""
        return [b.layout.id for b in self._groups.values() if b.layout is not None]

    @property
    def signal_keys(self) -> list[int]:
        """Integer keys of every signal this sink records."""
        return [k for b in self._groups.values() for k in b.keys]

    @property
    def pending_samples(self) -> int:
        return sum(b.pending for b in self._groups.values())

    def add(self, batch: Batch) -> int:
        """Buffer a batch; returns the samples accepted. Samples not after the group's
        newest time (a restarted source, a replay overlapping what is stored) are rejected
        so every signal's chunks stay in time order."""
        buf = self._groups.get(batch.group)
        if buf is None:
            raise KeyError(f"batch for unknown group {batch.group!r}")
        t, v = batch.t, batch.v
        if v.shape[0] != len(buf.keys):
            raise ValueError(
                f"batch for {batch.group!r} has {v.shape[0]} channels, expected {len(buf.keys)}"
            )
        k = t.shape[0]
        if k == 0:
            return 0
        if t[0] <= buf.last_t or (k > 1 and not (np.diff(t) > 0).all()):
            keep = t > np.maximum.accumulate(np.concatenate(([buf.last_t], t[:-1])))
            keep &= t > buf.last_t
            self._reject(v.shape[0] * int(k - keep.sum()), batch.group)
            t, v = t[keep], v[:, keep]
            if t.shape[0] == 0:
                return 0
        buf.ts.append(t)
        buf.vs.append(v)
        buf.pending += t.shape[0] * v.shape[0]
        buf.last_t = int(t[-1])
        return int(t.shape[0] * v.shape[0])

    def _reject(self, samples: int, group: str) -> None:
        self.rejected_samples += samples
        if not self._rejected_logged:
            self._rejected_logged = True
            log.warning(
                "history: group %s sent samples older than recorded ones; "
                "dropping them (logged once)",
                group,
            )

    def flush(self, *, final: bool = False) -> FlushInfo | None:
        """Write everything buffered (and, when ``final``, the partial pyramid buckets) in
        one transaction. Raises the driver's error; the buffers are then dropped."""
        chunk_rows: list[sql.ChunkRow] = []
        staged: list[sql.StagedRow] = []
        rollup: list[sql.RollupRow] = []
        last: dict[str, int] = {}
        samples = 0
        t_first: int | None = None
        for key, buf in self._groups.items():
            if buf.ts:
                t = buf.ts[0] if len(buf.ts) == 1 else np.concatenate(buf.ts)
                v = buf.vs[0] if len(buf.vs) == 1 else np.concatenate(buf.vs, axis=1)
                # The group's own type: float32, or float64 / int64 kept exactly.
                v32 = cast(v, buf.dtype)
                buf.ts, buf.vs, buf.pending = [], [], 0
                rate = buf.group.rate_hz
                if buf.layout is not None:
                    staged.extend(staged_rows_for(buf.layout, t, v32))
                else:
                    gap = round(GAP_PERIODS * NS / rate) if rate > 0 else 0
                    chunk_rows.extend(chunk_rows_for(buf.keys, t, v32, buf.compress, gap))
                buf.pyramid.feed(t, v32)
                samples += v32.size
                last[key] = int(t[-1])
                t_first = int(t[0]) if t_first is None else min(t_first, int(t[0]))
            rate = buf.group.rate_hz
            for level, b, end in buf.pyramid.take(final=final, last_t=buf.last_t):
                rollup.extend(rollup_rows(buf.keys, level, b, end, compress_level(level, rate)))
            for level, first, end in buf.pyramid.take_ref_pages():
                rollup.extend(ref_rows(buf.keys, level, first, end))
        if not chunk_rows and not rollup and not staged:
            return None
        h = self.history
        with h.raw() as conn:
            cur = conn.cursor()
            try:
                h.begin_raw(conn)
                sql.insert_rows(h, cur, chunk_rows, rollup, staged)
                if self.recording_id is not None and last:
                    cur.execute(
                        catalog.recording_update_sql(h),
                        (time.time_ns(), t_first, max(last.values()), self.recording_id),
                    )
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
        return FlushInfo(samples, len(chunk_rows), len(rollup), last, len(staged))


def staged_rows_for(layout: staging.Layout, t: np.ndarray, v32: np.ndarray) -> list[sql.StagedRow]:
    """One staged row for a group's flush, ``t`` (k,) / ``v32`` (channels, k), split where it
    crosses a compaction window (so each row belongs to one)."""
    win = layout.window_ns
    out: list[sql.StagedRow] = []
    k = t.shape[0]
    i = 0
    while i < k:
        w_start = int(t[i]) - int(t[i]) % win
        j = int(np.searchsorted(t, w_start + win, side="left"))
        j = max(i + 1, min(j, i + schema.MAX_CHUNK_SAMPLES, k))
        tt = t[i:j]
        tcodec, tbytes = encode_times(tt)
        vbytes = staging.encode_block(v32[:, i:j])
        codec = pack_codec(tcodec, staging.block_codec(v32.dtype))
        out.append((layout.id, w_start, int(tt[0]), int(tt[-1]), j - i, codec, tbytes, vbytes))
        i = j
    return out


def chunk_rows_for(
    keys: Sequence[int],
    t: np.ndarray,
    v32: np.ndarray,
    compress: bool = False,
    gap_ns: int = 0,
    level: int = LEVEL_FAST,
) -> list[sql.ChunkRow]:
    """One row per channel for samples ``t`` (k,) / ``v32`` (ch, k) float32, split where a
    row would exceed MAX_CHUNK_SPAN_NS or MAX_CHUNK_SAMPLES, and at holes longer than
    ``gap_ns`` (so a chunk's span is data, and regular data keeps the 8-byte time codec).
    The time bytes are encoded once and shared by every channel of the group."""
    out: list[sql.ChunkRow] = []
    k = t.shape[0]
    holes = np.flatnonzero(np.diff(t) > gap_ns) + 1 if gap_ns > 0 and k > 1 else None
    i = 0
    while i < k:
        j = int(np.searchsorted(t, t[i] + schema.MAX_CHUNK_SPAN_NS, side="right"))
        j = max(i + 1, min(j, i + schema.MAX_CHUNK_SAMPLES, k))
        if holes is not None and holes.size:
            h = int(np.searchsorted(holes, i, side="right"))
            if h < holes.size and holes[h] < j:
                j = int(holes[h])
        tt = t[i:j] if (i, j) != (0, k) else t
        tcodec, tbytes = encode_times(tt)
        t0, t1, n = int(tt[0]), int(tt[-1]), j - i
        block = v32[:, i:j]
        for c, key in enumerate(keys):
            vcodec, vbytes = encode_values(block[c], compress, level)
            out.append((key, t0, t1, n, pack_codec(tcodec, vcodec), tbytes, vbytes))
        i = j
    return out
