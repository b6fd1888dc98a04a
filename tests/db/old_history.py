"""A history written by TwinDeck with history schema 2 (before staging and compaction),
kept in ``tests/db/data/`` so that every later TwinDeck is tested against the real old
bytes, and the samples it holds (computed here, deterministically).

    python -m tests.db.old_history   # regenerate: only ever with schema-2 code

The file was generated at commit f2b2a56 with per-second flushes as the writer made them:
a 1 kHz group (raw float32 in 1 s chunks), a 100 Hz group with NaNs (byte-shuffled and
deflated values), a 1 Hz group with a hole (one chunk per sample, all three pyramid levels
stored) and a jittered ~10 Hz signal (deflated int32 time deltas). ``old_overviews.npz``
holds what the schema-2 reader returned for a few overview reads of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tests.db.history_helpers import NS, T0, values_at
from twin.batch import Batch, ChannelGroup

DATA = Path(__file__).resolve().parent / "data"
OLD_FILE = DATA / "old_history_v2.twinhist"
OLD_OVERVIEWS = DATA / "old_overviews_v2.npz"

GROUPS = (
    ChannelGroup("fast", ("fast0.sig", "fast1.sig"), 1000.0),
    ChannelGroup("mid", ("mid0.sig", "mid1.sig", "mid2.sig"), 100.0),
    ChannelGroup("slow", ("slow0.sig", "slow1.sig"), 1.0),
    ChannelGroup("jit", ("jit0.sig",), 10.0),
)
SECONDS = {"fast": 3, "mid": 20, "slow": 300, "jit": 30}
# (signal, t0, t1, max_points) of the stored overview reads
OVERVIEWS = (
    ("fast1.sig", T0, T0 + 3 * NS, 50),
    ("mid0.sig", T0, T0 + 20 * NS, 7),
    ("slow1.sig", T0, T0 + 300 * NS, 20),
    ("slow0.sig", T0 + 10 * NS, T0 + 250 * NS, 400),
    ("jit0.sig", T0, T0 + 30 * NS, 10),
)


def group_samples(g: ChannelGroup) -> tuple[np.ndarray, np.ndarray]:
    """Every sample of a group as written: (t (k,), v (channels, k) float64)."""
    secs = SECONDS[g.key]
    step = round(NS / g.rate_hz)
    t = T0 + np.arange(round(secs * g.rate_hz), dtype=np.int64) * step
    if g.key == "jit":
        jitter = np.random.default_rng(7).integers(-20_000_000, 20_000_000, t.size)
        t = t + jitter
    if g.key == "slow":
        t = t[((t - T0) < 100 * NS) | ((t - T0) >= 130 * NS)]  # a 30 s hole
    v = values_at(t, g.channels)
    if g.key == "mid":
        v[1, 5::97] = np.nan
    return t, v


def expected(signal_id: str) -> tuple[np.ndarray, np.ndarray]:
    """(t int64, v float32) of one signal, as the old file holds it."""
    for g in GROUPS:
        if signal_id in g.signal_ids:
            t, v = group_samples(g)
            return t, v[g.signal_ids.index(signal_id)].astype(np.float32)
    raise KeyError(signal_id)


def batches_per_second(g: ChannelGroup) -> list[Batch]:
    t, v = group_samples(g)
    sec = (t - T0) // NS
    cuts = np.flatnonzero(np.diff(sec)) + 1
    return [
        Batch(g.key, tt, vv)
        for tt, vv in zip(np.split(t, cuts), np.split(v, cuts, axis=1), strict=True)
    ]


def generate() -> None:  # pragma: no cover - run by hand, with schema-2 code only
    from db import ChunkSink, HistoryReader, open_history, schema

    assert schema.SCHEMA_VERSION == 2, "the fixture must be written by schema-2 code"
    DATA.mkdir(exist_ok=True)
    OLD_FILE.unlink(missing_ok=True)
    with open_history(OLD_FILE) as h:
        sink = ChunkSink(h, GROUPS)
        per_group = {g.key: batches_per_second(g) for g in GROUPS}
        for second in range(max(SECONDS.values())):
            for g in GROUPS:
                bs = per_group[g.key]
                if second < len(bs):
                    sink.add(bs[second])
            sink.flush()  # once a second, as the writer does
        sink.flush(final=True)
    import sqlite3

    con = sqlite3.connect(OLD_FILE, isolation_level=None)
    con.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    con.close()
    with open_history(OLD_FILE, read_only=True) as h:
        r = HistoryReader(h)
        out: dict[str, Any] = {}
        for i, (sid, t0, t1, n) in enumerate(OVERVIEWS):
            for name, arr in zip(
                ("t", "min", "max"), r.read_decimated(sid, t0, t1, n), strict=True
            ):
                out[f"{i}_{name}"] = arr
    np.savez_compressed(OLD_OVERVIEWS, **out)


if __name__ == "__main__":  # pragma: no cover
    generate()
