"""The values at a replay cursor read a whole channel group at once (``read_blocks``):
they must equal what one read per signal gives, wherever the samples are (compacted
chunks, staged rows, a compaction stopped half-way) and where a signal has no sample
before the cursor."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from db import HistoryReader, open_history
from db.engine import History
from db.read.loaders import RawLoader
from db.write.compactor import compact
from db.write.sink import ChunkSink
from tests.db.history_helpers import NS, T0, batches, make_group
from twin.batch import ChannelGroup
from twin.store.ring import NO_TIME

SLOW = make_group("slow", 40, 1.0)  # staged, then compacted into 5-minute chunks
FAST = make_group("fast", 3, 250.0)  # one chunk per signal and flush
LATE = make_group("late", 4, 0.2)  # starts 200 s into the recording
RUN_S = 700
LATE_S = 200
UNRECORDED = ChannelGroup("ghost", ("ghost0.sig", "ghost1.sig"), 1.0)
LOOKBACKS = (10 * NS, NS, 30 * NS, 10 * NS)


def record(path: Path, stop_compaction_after_slices: int | None = None) -> None:
    """RUN_S seconds of the three groups, flushed every second as the recorder does;
    the closed windows compacted (all of them, or only the first slices of channels)."""
    with open_history(path) as h:
        sink = ChunkSink(h, (SLOW, FAST, LATE))
        slow = batches(SLOW, RUN_S, 1)
        fast = batches(FAST, RUN_S, 250)
        late = batches(LATE, RUN_S - LATE_S, 1, start=T0 + LATE_S * NS)
        per_late = 5  # one LATE sample every 5 s
        for s in range(RUN_S):
            sink.add(slow[s])
            sink.add(fast[s])
            if s >= LATE_S and (s - LATE_S) % per_late == 0:
                sink.add(late[(s - LATE_S) // per_late])
            sink.flush()
        sink.flush(final=True)
        if stop_compaction_after_slices is None:
            compact(h)
            return
        stop = threading.Event()
        slices: list[object] = []

        def count(info: object) -> None:
            slices.append(info)
            if len(slices) >= stop_compaction_after_slices:
                stop.set()

        compact(h, slice_channels=8, stop=stop, on_slice=count)


@pytest.fixture(params=["compacted", "half-compacted"])
def recorded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[History]:
    path = tmp_path / "cursor.twinhist"
    record(path, None if request.param == "compacted" else 2)
    h = open_history(path, read_only=True)
    yield h
    h.close()


def per_signal_values(
    reader: HistoryReader, groups: tuple[ChannelGroup, ...], cursor: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each signal's last value at or before ``cursor`` within its group's lookback,
    one read per signal."""
    values, times = [], []
    for group, lookback in zip(groups, LOOKBACKS, strict=True):
        for sid in group.signal_ids:
            t, v = reader.read(sid, cursor - lookback, cursor + 1)
            values.append(float(v[-1]) if t.size else np.nan)
            times.append(int(t[-1]) if t.size else NO_TIME)
    return np.array(values), np.array(times, np.int64)


def test_batched_values_at_random_cursors_equal_per_signal_reads(recorded: History) -> None:
    groups = (SLOW, FAST, LATE, UNRECORDED)
    loader = RawLoader(groups, LOOKBACKS)
    reader = HistoryReader(recorded)
    ids = [sid for g in groups for sid in g.signal_ids]
    rng = np.random.default_rng(5)
    cursors = [T0, T0 + 150 * NS + 3, T0 + (LATE_S + 2) * NS, T0 + 299 * NS, T0 + 301 * NS]
    cursors += rng.integers(T0, T0 + (RUN_S + 5) * NS, 12).tolist()
    for cursor in cursors:
        store = loader.load(reader, cursor - loader.lookback, cursor + NS // 2, lambda: False)
        assert store is not None
        got_v, got_t = store.values_at(ids, cursor)
        want_v, want_t = per_signal_values(reader, groups, cursor)
        np.testing.assert_array_equal(got_t, want_t, err_msg=f"cursor {cursor - T0} ns")
        np.testing.assert_array_equal(got_v, want_v, err_msg=f"cursor {cursor - T0} ns")
    early = loader.load(reader, T0 + 100 * NS - loader.lookback, T0 + 100 * NS, lambda: False)
    assert early is not None
    _, times = early.values_at(LATE.signal_ids, T0 + 100 * NS)
    assert (times == NO_TIME).all()  # before the late group's first sample: no value


def test_read_blocks_equal_per_signal_reads_or_defer_to_them(recorded: History) -> None:
    reader = HistoryReader(recorded)
    groups = [SLOW.signal_ids, FAST.signal_ids, LATE.signal_ids, UNRECORDED.signal_ids]
    for t0, t1 in [(T0, T0 + 20 * NS), (T0 + 290 * NS, T0 + 320 * NS), (T0, T0 + RUN_S * NS)]:
        blocks = reader.read_blocks(groups, t0, t1)
        assert blocks[3] is None  # unrecorded signals: read per signal
        for ids, block in zip(groups[:3], blocks[:3], strict=True):
            if block is None:  # channels in different places (a compaction half-way)
                continue
            t, v = block
            assert v.shape == (len(ids), t.size)
            for row, sid in zip(v, ids, strict=True):
                want_t, want_v = reader.read(sid, t0, t1)
                np.testing.assert_array_equal(t, want_t)
                np.testing.assert_array_equal(row, want_v)


def test_every_group_of_a_finished_recording_reads_as_one_block(tmp_path: Path) -> None:
    path = tmp_path / "done.twinhist"
    record(path)
    with open_history(path, read_only=True) as h:
        reader = HistoryReader(h)
        for t0 in (T0, T0 + 298 * NS, T0 + (RUN_S - 3) * NS):  # chunks, both, staged rows
            blocks = reader.read_blocks([SLOW.signal_ids, FAST.signal_ids], t0, t0 + 4 * NS)
            assert all(b is not None and b[0].size for b in blocks)
