"""Trainee mode's replayed alarms: ``python -m bench.trainee_alarms``.

The replay lesson (assets/training/motor_overload.toml; its package is made first if it is
missing) fed through ``ReplayedAlarms`` as trainee mode feeds it: the samples up to the
furthest moment reached, in steps of scenario time. Each step's figure is the median and
the 99th percentile of the feeds of the whole lesson (a feed that reads the next block of
the history is among them); ``once`` is the whole lesson in one call. Target: a feed at
the rate trainee mode uses (a few a second while playing) in a few milliseconds, so that
the alarms cost the GUI thread a few per cent at most. The last line printed is one JSON
object with every figure.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.compose.trainee import prepare_trainee
from app.training.replayed_alarms import ReplayedAlarms
from db.engine import open_history
from twin.timebase import NS_PER_S

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "assets" / "training" / "motor_overload.toml"
PACKAGE = ROOT / "assets" / "training" / "motor_overload.twinpkg"
STEPS_S = (0.2, 1.0, 10.0)


def main() -> int:
    if not PACKAGE.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "make_lesson_package.py")], check=True
        )
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as cache:
        prepared = prepare_trainee(LESSON, Path(cache))
        assert prepared.recording is not None
        plant, t0, end_s = prepared.recording.plant, prepared.t0_ns, prepared.duration_s
        with open_history(prepared.recording.where, read_only=True, create=False) as history:
            started = time.perf_counter()
            alarms = ReplayedAlarms(plant, history, t0, lambda: t0)
            figures["setup_ms"] = (time.perf_counter() - started) * 1e3
            figures["groups"] = len(alarms.groups)
            for step in STEPS_S:
                alarms = ReplayedAlarms(plant, history, t0, lambda: t0)
                took = []
                for k in range(1, int(end_s / step) + 1):
                    started = time.perf_counter()
                    alarms.feed(t0 + round(k * step * NS_PER_S))
                    took.append((time.perf_counter() - started) * 1e3)
                took.sort()
                median, p99 = statistics.median(took), took[int(len(took) * 0.99)]
                figures[f"feed_{step:g}s_median_ms"] = median
                figures[f"feed_{step:g}s_p99_ms"] = p99
                print(
                    f"step {step:g} s: median {median:.1f} ms, p99 {p99:.1f} ms ({len(took)} feeds)"
                )
            alarms = ReplayedAlarms(plant, history, t0, lambda: t0)
            started = time.perf_counter()
            alarms.feed(t0 + round(end_s * NS_PER_S))
            figures["once_s"] = time.perf_counter() - started
            figures["lesson_s"] = end_s
        prepared.close()
    print(f"whole lesson ({end_s:.0f} s) in one feed: {figures['once_s']:.2f} s")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
