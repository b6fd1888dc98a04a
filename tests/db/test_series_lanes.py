"""HistorySeries serves ranges of different signals side by side (the plots and a
spectrum read in the same frame): neither makes the other's loads stale."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from db import HistoryReader, open_history
from db.read.series import HistorySeries
from db.write.sink import ChunkSink
from tests.db.history_helpers import NS, T0, batches, wait_until
from tests.plants import asset, build_plant
from twin.batch import ChannelGroup
from twin.store.signal_store import SignalStore

ACCEL = {"key": "acceleration", "unit": "m/s²", "rate_hz": 1000, "normal": [-1, 1]}
SPEED = {"key": "speed", "unit": "rpm", "rate_hz": 10, "normal": [0, 1500]}
PLANT = build_plant(asset("M01", "motor", ACCEL, SPEED))
FAST = ChannelGroup("fast", ("M01.acceleration",), 1000.0)
SLOW = ChannelGroup("slow", ("M01.speed",), 10.0)


def test_ranges_of_different_signals_load_once_each_and_stay_loaded(tmp_path: Path) -> None:
    path = tmp_path / "run.twinhist"
    with open_history(path) as h:
        sink = ChunkSink(h, (FAST, SLOW))
        for b in [*batches(FAST, 60.0, 500), *batches(SLOW, 60.0, 50)]:
            sink.add(b)
        sink.flush(final=True)
    cursor = T0 + 50 * NS
    with open_history(path, read_only=True) as h:
        series = HistorySeries(h, PLANT)
        try:

            def both() -> tuple[SignalStore | None, SignalStore | None]:
                plots = series.range(["M01.speed"], cursor - 30 * NS, cursor, 2000)
                raw = series.range(["M01.acceleration"], cursor - 10 * NS, cursor, 20_000)
                return plots, raw

            assert wait_until(lambda: all(x is not None for x in both()))
            reads = [both() for _ in range(20)]  # in turn, as frames do: each stays loaded
            assert all(plots is not None and raw is not None for plots, raw in reads)
            raw = reads[-1][1]
            assert raw is not None
            t, v = raw.snapshot_window("M01.acceleration", cursor - 10 * NS, cursor)
            want_t, want_v = HistoryReader(h).read("M01.acceleration", cursor - 10 * NS, cursor + 1)
            np.testing.assert_array_equal(t, want_t)  # every raw sample, as recorded
            np.testing.assert_array_equal(v, want_v)
        finally:
            series.close()
