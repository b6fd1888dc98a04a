"""Replay benchmark: seek + full redraw at plot spans from 10 s to 24 h, and frames drawn
per second while playing at 100x, on a recording of 100 signals at 1 kHz; and the values
at a cursor of a plant-size recording (60,000 signals at 1 Hz), read per signal as the
replay did before and as one block per channel group.

    xvfb-run -a python bench/replay.py [--hours 1] [--signals 100] [--rate 1000]
                                       [--recording PATH] [--values-signals 60000]
                                       [--only all|seek|values]

The values at the cursor are timed from the load's start to the values in hand (the
replay's values feeder's load of every signal around the cursor, then ``values_at``), at
a cursor in compacted chunks and one in staged rows; per signal: every signal read as its
own series, then each group checked for shared times signal by signal (the fallback the
loader keeps for groups that do not share their times).

A seek is timed from the clock's jump to the end of the redraw of every view (3D, plots
of one asset's 10 signals, values, alarms) with the data at the new cursor: the loads of
both replay feeders (values around the cursor, the plots' overview) and the frame.

The issue's recording is 24 h (8.6 G samples, ~36 GB on disk at 4 bytes/sample, ~10 min
to write): give --hours 24 on a machine with the disk for it, and --recording PATH to
keep it for later runs (an existing file there is reused as it is). Prints lines, then
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.compose.replay import Recording, compose_replay
from db import ChunkSink, HistoryReader, open_history
from db.read.loaders import RawLoader
from db.write.compactor import compact
from twin.batch import Batch, ChannelGroup
from twin.clock import PlaybackClock
from twin.plant.model import Area, Asset, Limits, Plant, Signal
from twin.timebase import NS_PER_S

T0 = 1_800_000_000 * NS_PER_S
SIGNALS_PER_ASSET = 10
SPANS_S = (10, 30, 120, 600, 3600, 8 * 3600, 24 * 3600)
PLAY_SPAN_S = 120  # the plots' default span
SEEKS = 15


def make_plant(signals: int, rate: float) -> Plant:
    assets = []
    for a in range(signals // SIGNALS_PER_ASSET):
        aid = f"V{a:02d}"
        sigs = tuple(
            Signal(
                f"{aid}.ch{c}",
                aid,
                f"ch{c}",
                f"Channel {c}",
                "mm/s",
                rate,
                (-5.0, 5.0),
                Limits(warn_high=4.0, alarm_high=6.0),
            )
            for c in range(SIGNALS_PER_ASSET)
        )
        assets.append(Asset(aid, aid, "motor", "bay", (a * 3.0, 0.0, 0.0), 0.0, sigs))
    return Plant("Replay bench", "", (Area("bay", "Bay"),), tuple(assets))


def record(path: Path, plant: Plant, hours: float, rate: float) -> float:
    """Write the recording through the history's own chunk path; returns seconds taken."""
    groups = [ChannelGroup(a.id, tuple(s.id for s in a.signals), rate) for a in plant.assets]
    started = time.perf_counter()
    rng = np.random.default_rng(1)
    step = round(NS_PER_S / rate)
    block = int(rate)  # 1 s per batch and flush, as the recorder writes
    with open_history(path) as history:
        sink = ChunkSink(history, groups, plant=plant)
        for n in range(int(hours * 3600)):
            t = T0 + (n * block + np.arange(block, dtype=np.int64)) * step
            for g in groups:
                v = np.sin(t[None, :] * 2e-9 + rng.random((g.channels, 1))) * 3
                sink.add(Batch(g.key, t, v.astype(np.float32)))
            sink.flush()
        sink.flush(final=True)
    return time.perf_counter() - started


def bench_seek(app: QApplication, plant: Plant, path: Path, hours: float) -> dict[str, float]:
    clock = PlaybackClock()
    end = T0 + int(hours * 3600 * NS_PER_S)
    live = compose_replay(Recording(str(path), plant, T0, end, T0), clock, size=(1600, 1000))
    live.window.show()
    live.window.selection.select(plant.assets[0].id)
    rng = random.Random(7)
    for _ in range(3):  # warm-up: first paints, first queries (not counted)
        clock.seek(rng.randrange(T0, end))
        live.draw_loaded_frame()
        app.processEvents()
    figures: dict[str, float] = {}
    every: list[float] = []
    for span in SPANS_S:
        live.window.plots.set_span_s(span)
        times = []
        for _ in range(SEEKS):
            t = rng.randrange(T0, end)
            started = time.perf_counter()
            clock.seek(t)
            live.draw_loaded_frame()
            app.processEvents()
            times.append((time.perf_counter() - started) * 1000)
            frame = live.scheduler.last_frame
            assert frame is not None and frame.cursor_ns == t, "the seek was not drawn"
        every.extend(times)
        figures[f"seek_redraw_ms_{span}s"] = statistics.median(times)
        print(f"seek at {span:>6} s span: median {figures[f'seek_redraw_ms_{span}s']:.1f} ms")
    # The figure: the median of every seek at every zoom level; and the worst zoom.
    figures["seek_redraw_ms"] = statistics.median(every)
    figures["seek_redraw_ms_worst_span"] = max(
        v for k, v in figures.items() if k.startswith("seek_redraw_ms_") and k.endswith("s")
    )
    live.window.plots.set_span_s(PLAY_SPAN_S)
    clock.seek(T0 + (end - T0) // 3)
    live.draw_loaded_frame()
    figures["play_100x_fps"] = play_fps(app, live, clock)
    live.stop()
    live.window.close()
    return figures


VALUES_GROUP = 10_000  # signals per channel group, as a 10,000-motor plant records a key
VALUES_S = 360  # 6 min: the first 5-minute window compacted, the last minute staged
VALUES_LOOKBACK_NS = 10 * NS_PER_S
VALUES_COMPACT_S = 302


class PerSignalReader(HistoryReader):
    """Reads as the replay did before blocks: every signal as its own series."""

    def read_blocks(self, groups, t0, t1):  # type: ignore[no-untyped-def]
        return [None] * len(groups)


def record_values(path: Path, signals: int) -> list[ChannelGroup]:
    """VALUES_S seconds of ``signals`` 1 Hz signals in groups of VALUES_GROUP, flushed
    every second as the recorder does, the first 5-minute window compacted."""
    groups = [
        ChannelGroup(f"k{g}", tuple(f"M{i:05d}.k{g}" for i in range(n)), 1.0)
        for g, n in enumerate(
            min(VALUES_GROUP, signals - a) for a in range(0, signals, VALUES_GROUP)
        )
    ]
    rng = np.random.default_rng(3)
    with open_history(path) as history:
        sink = ChunkSink(history, groups)
        for s in range(VALUES_S):
            t = np.array([T0 + s * NS_PER_S], np.int64)
            for g in groups:
                sink.add(Batch(g.key, t, rng.random((g.channels, 1), np.float32)))
            sink.flush()
            if s == VALUES_COMPACT_S:
                compact(history)  # the first window, closed; the rest stays staged
        sink.flush(final=True)
    return groups


def bench_values(path: Path, groups: list[ChannelGroup]) -> dict[str, float]:
    """Values at a cursor of every signal: per signal against one block per group."""
    ids = tuple(sid for g in groups for sid in g.signal_ids)
    loader = RawLoader(tuple(groups), (VALUES_LOOKBACK_NS,) * len(groups))
    figures: dict[str, float] = {}
    with open_history(path, read_only=True) as history:
        readers = {"per_signal": PerSignalReader(history), "batched": HistoryReader(history)}
        for where, cursor in (("chunks", T0 + 150 * NS_PER_S), ("staged", T0 + 330 * NS_PER_S)):
            got = {}
            for name, reader in readers.items():
                best = float("inf")
                for _ in range(3):
                    started = time.perf_counter()
                    store = loader.load(reader, cursor - loader.lookback, cursor, lambda: False)
                    assert store is not None
                    got[name] = store.values_at(ids, cursor)
                    best = min(best, time.perf_counter() - started)
                figures[f"values_at_{name}_ms_{where}"] = best * 1000
            for a, b in zip(got["per_signal"], got["batched"], strict=True):
                np.testing.assert_array_equal(a, b)
            ratio = (
                figures[f"values_at_per_signal_ms_{where}"]
                / figures[f"values_at_batched_ms_{where}"]
            )
            figures[f"values_at_ratio_{where}"] = ratio
            print(
                f"values at a cursor in {where}, {len(ids):,} signals: per signal "
                f"{figures[f'values_at_per_signal_ms_{where}']:.0f} ms, batched "
                f"{figures[f'values_at_batched_ms_{where}']:.0f} ms ({ratio:.1f}x)"
            )
    return figures


def play_fps(app: QApplication, live, clock: PlaybackClock, seconds: float = 5.0) -> float:  # type: ignore[no-untyped-def]
    """Frames drawn per second at 100x, with the app's own frame timer (30 fps) in its
    event loop, as a user sees it; a tick that finds data still loading draws nothing."""
    clock.set_rate(100.0)
    clock.play()
    frames_before = live.scheduler.frames
    started = time.perf_counter()
    live.scheduler.start()
    QTimer.singleShot(round(seconds * 1000), app.quit)
    app.exec()
    live.scheduler.stop()
    clock.pause()
    return (live.scheduler.frames - frames_before) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--signals", type=int, default=100)
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--recording", type=Path, help="keep (or reuse) the recording here")
    parser.add_argument("--values-signals", type=int, default=60_000)
    parser.add_argument("--only", choices=("all", "seek", "values"), default="all")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        if args.only in ("all", "values"):
            path = Path(folder) / "values.twinhist"
            started = time.perf_counter()
            groups = record_values(path, args.values_signals)
            print(
                f"recorded {args.values_signals:,} signals x {VALUES_S} s at 1 Hz in "
                f"{time.perf_counter() - started:.1f} s"
            )
            figures.update(bench_values(path, groups))
        if args.only in ("all", "seek"):
            app = QApplication.instance() or QApplication(sys.argv[:1])
            plant = make_plant(args.signals, args.rate)
            path = args.recording or Path(folder) / "replay.twinhist"
            if not path.exists():
                took = record(path, plant, args.hours, args.rate)
                samples = args.signals * args.rate * args.hours * 3600
                print(
                    f"recorded {samples / 1e6:,.0f} M samples ({args.hours:g} h) in "
                    f"{took:.1f} s, {path.stat().st_size / 1e6:,.0f} MB"
                )
            figures.update(bench_seek(app, plant, path, args.hours))
    for key, value in figures.items():
        print(f"{key:36s} {value:10.1f}")
    print(
        json.dumps(
            {
                "hours": args.hours,
                "signals": args.signals,
                "rate_hz": args.rate,
                "values_signals": args.values_signals,
                **{k: round(v, 2) for k, v in figures.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
