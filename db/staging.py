"""Staged rows: one row per channel group per flush, compacted later into chunks.

A flush of a slow group is a handful of samples per signal; one chunk row per signal would
be mostly row overhead (80-110 bytes a sample at 1 Hz). So the writer stages it as one row
for the whole group: the times once (db.chunks time codec) and every channel's values,
channel-major, cut into blocks of channels that are byte-shuffled and deflated separately,
so that a reader wanting a few channels inflates a few blocks, not the group. The background
compactor (db.write.compactor) turns a window of staged rows into one chunk per signal.

``stage_layouts`` rows name a group's channels (signal ids in channel order); a group whose
channels change gets a new layout. Layouts are only ever added, so each History caches them.
"""

from __future__ import annotations

import math
import threading
import weakref
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from db.chunks import shuffle

if TYPE_CHECKING:
    from db.history import History

# Groups slower than this are staged; faster ones fill a chunk per flush on their own
# (1 kHz: 1,000 samples a row) and are written as chunks directly, as before.
STAGE_BELOW_HZ = 200.0
# Compaction windows: the longest of these (seconds) holding at most CHUNK_SAMPLES samples
# at the group's rate; windows are aligned on the epoch, so a chunk never spans two. Five
# minutes, not ten: a window's staged rows and its chunks coexist until it is compacted,
# and that high-water mark cost more (bench/storage.py: 4.37 against 3.73 bytes a sample
# over 15 minutes of 12,000 signals) than the longer chunks saved (2 % of the chunks).
WINDOW_LADDER_S = (300, 120, 60, 30, 10, 5, 2, 1)
CHUNK_SAMPLES = 4096
UNKNOWN_RATE_WINDOW_S = 60
# Values per deflated block of a staged row (block = max(1, BLOCK_VALUES // k) channels):
# 1,024 one-sample channels deflate to 2.9 bytes a value (the whole group: 2.8).
BLOCK_VALUES = 1024

S_BLOCKS_Z = 3  # value nibble of a staged row's codec: float32 values
S_BLOCKS_F64_Z = 5  # the same blocks of float64 values
S_BLOCKS_I64_Z = 6  # the same blocks of int64 values (NO_INT: no value)
_BLOCK_CODECS = {"float32": S_BLOCKS_Z, "float64": S_BLOCKS_F64_Z, "int64": S_BLOCKS_I64_Z}
_BLOCK_DTYPES = {S_BLOCKS_Z: "<f4", S_BLOCKS_F64_Z: "<f8", S_BLOCKS_I64_Z: "<i8"}

NS = 1_000_000_000
_U32 = np.dtype("<u4")
_F32 = np.dtype("<f4")


def stages(rate_hz: float) -> bool:
    """Whether a group at ``rate_hz`` (0 or NaN: unknown) is staged."""
    return not (math.isfinite(rate_hz) and rate_hz >= STAGE_BELOW_HZ)


def window_ns(rate_hz: float) -> int:
    """The compaction window of a group at ``rate_hz``."""
    if not (math.isfinite(rate_hz) and rate_hz > 0):
        return UNKNOWN_RATE_WINDOW_S * NS
    for w in WINDOW_LADDER_S:
        if w * rate_hz <= CHUNK_SAMPLES:
            return w * NS
    return WINDOW_LADDER_S[-1] * NS


# --- the value blob --------------------------------------------------------------------


def block_codec(dtype: np.dtype) -> int:
    """The staged rows' value nibble for values of ``dtype`` (float32 for other floats)."""
    return _BLOCK_CODECS.get(np.dtype(dtype).name, S_BLOCKS_Z)


def block_dtype(codec: int) -> np.dtype:
    """The values' dtype of a staged row's (full) codec."""
    return np.dtype(_BLOCK_DTYPES[(codec >> 4) & 0xF])


def encode_block(v32: np.ndarray) -> bytes:
    """Values (channels, k) -> blob: u32 channels per block, u32 block count, u32 block
    end offsets, then each block's values (channel-major) shuffled and deflated. float64
    and int64 values are kept as they are (``block_codec``), others as float32."""
    ch, k = v32.shape
    per = max(1, BLOCK_VALUES // max(k, 1))
    dtype = v32.dtype if v32.dtype in (np.float64, np.int64) else _F32
    flat = np.ascontiguousarray(v32, dtype).reshape(-1)
    blocks = [
        zlib.compress(shuffle(flat[a * k : min(a + per, ch) * k]), 1, wbits=-15)
        for a in range(0, ch, per)
    ]
    ends = np.cumsum([len(b) for b in blocks], dtype=np.int64)
    head = np.concatenate(([per, len(blocks)], ends)).astype(_U32)
    return head.tobytes() + b"".join(blocks)


def decode_block(
    data: bytes,
    ch: int,
    k: int,
    channels: np.ndarray | None = None,
    dtype: np.dtype = _F32,
) -> np.ndarray:
    """(len(channels), k) values of the given sorted channel indices (default: all), of
    ``dtype`` (``block_dtype`` of the row's codec)."""
    per, count = (int(x) for x in np.frombuffer(data, _U32, 2))
    ends = np.frombuffer(data, _U32, count, 8).astype(np.int64)
    base = 8 + 4 * count
    starts = np.concatenate(([0], ends[:-1])) + base
    ends = ends + base
    wanted = np.arange(ch) if channels is None else channels
    out = np.empty((wanted.shape[0], k), dtype)
    size = dtype.itemsize
    blocks = wanted // per
    for b in np.unique(blocks).tolist():
        lo, hi = b * per, min(b * per + per, ch)
        raw = zlib.decompress(data[starts[b] : ends[b]], wbits=-15)
        vals = np.frombuffer(raw, np.uint8).reshape(size, -1).T.copy().view(dtype)
        vals = vals.reshape(hi - lo, k)
        sel = blocks == b
        out[sel] = vals[wanted[sel] - lo]
    return out


# --- layouts ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class Layout:
    """A staged group: its signal keys in channel order and its compaction window."""

    id: int
    group_key: str
    rate_hz: float
    window_ns: int
    signals: np.ndarray  # int64 signal keys


class Layouts:
    """The stage_layouts of one history, cached; rows are only ever added."""

    def __init__(self) -> None:
        self.by_id: dict[int, Layout] = {}
        self._of_signal: dict[int, list[tuple[int, int]]] = {}
        self._lock = threading.Lock()

    def refresh(self, h: History, cur: Any) -> None:
        """Load layouts added since the last call."""
        cur.execute(
            h.sql(
                "SELECT id, group_key, rate_hz, window_ns, signals FROM stage_layouts "
                "WHERE id > ? ORDER BY id"
            ),
            (max(self.by_id, default=0),),
        )
        rows = cur.fetchall()
        with self._lock:
            for lid, key, rate, win, sigs in rows:
                keys = np.frombuffer(bytes(sigs), "<i4").astype(np.int64)
                lay = Layout(int(lid), str(key), float(rate), int(win), keys)
                if lay.id in self.by_id:
                    continue
                self.by_id[lay.id] = lay
                for c, k in enumerate(keys.tolist()):
                    self._of_signal.setdefault(k, []).append((lay.id, c))

    def containing(self, keys: Iterable[int]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """{layout id: (channel indices, signal keys)} of the layouts holding any of
        ``keys``, channel indices sorted."""
        found: dict[int, list[tuple[int, int]]] = {}
        with self._lock:
            for k in keys:
                for lid, c in self._of_signal.get(int(k), ()):
                    found.setdefault(lid, []).append((c, int(k)))
        out = {}
        for lid, pairs in found.items():
            pairs.sort()
            out[lid] = (
                np.array([c for c, _ in pairs], np.int64),
                np.array([k for _, k in pairs], np.int64),
            )
        return out


_CACHE: weakref.WeakKeyDictionary[History, Layouts | None] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def layouts(h: History, cur: Any) -> Layouts | None:
    """The history's layouts, refreshed; None when it has no staging tables (a schema-2
    history opened read-only, which cannot have staged rows)."""
    with _CACHE_LOCK:
        known = h in _CACHE
        lays = _CACHE.get(h)
    if not known:
        if h.backend == "sqlite":
            cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'staged'")
            present = cur.fetchone() is not None
        else:
            cur.execute("SELECT to_regclass('staged') IS NOT NULL")
            present = bool(cur.fetchone()[0])
        lays = Layouts() if present else None
        with _CACHE_LOCK:
            lays = _CACHE.setdefault(h, lays)
    if lays is not None:
        lays.refresh(h, cur)
    return lays


def ensure_layout(h: History, group_key: str, rate_hz: float, keys: Iterable[int]) -> int:
    """The id of the layout of this group, rate and channel list, created if missing."""
    arr = np.asarray(list(keys), "<i4")
    blob = arr.tobytes()
    rate = float(rate_hz) if math.isfinite(rate_hz) and rate_hz > 0 else 0.0
    win = window_ns(rate)
    with h.raw("registering a staged group") as conn:
        cur = conn.cursor()
        h.begin_raw(conn)
        try:
            cur.execute(
                h.sql(
                    "SELECT id, signals FROM stage_layouts "
                    "WHERE group_key = ? AND rate_hz = ? AND window_ns = ?"
                ),
                (group_key, rate, win),
            )
            for lid, sigs in cur.fetchall():
                if bytes(sigs) == blob:
                    conn.commit()
                    return int(lid)
            cur.execute(
                h.sql(
                    "INSERT INTO stage_layouts (group_key, rate_hz, window_ns, signals) "
                    "VALUES (?, ?, ?, ?) RETURNING id"
                ),
                (group_key, rate, win, blob),
            )
            lid = int(cur.fetchone()[0])
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
    return lid
