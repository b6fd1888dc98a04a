"""Make the incident package the replay lesson `assets/training/motor_overload.toml` is
built on: the demo workshop simulated for a few minutes with motor M07 overloading,
recorded with its alarm journal and exported as an incident package.

    python scripts/make_lesson_package.py [-o assets/training/motor_overload.twinpkg]

The package is generated (never committed): the set-up and the installers run this.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.journal import Journal  # noqa: E402
from db.package import export_package  # noqa: E402
from db.write.recorder import Recorder  # noqa: E402
from twin.ingest.runtime import PlantRuntime  # noqa: E402
from twin.plant.loader import load_plant  # noqa: E402
from twin.plant.model import Fault, FaultKind  # noqa: E402
from twin.timebase import NS_PER_S, now_ns  # noqa: E402

PLANT = ROOT / "assets" / "plants" / "demo_workshop.toml"
OUT = ROOT / "assets" / "training" / "motor_overload.twinpkg"
MOTOR, FAULT_AT_S, RUN_S = "M07", 60.0, 300


def make_package(out: Path, run_s: int = RUN_S) -> Path:
    """Simulate, record and export; returns ``out``."""
    plant = load_plant(PLANT)
    end = now_ns() // NS_PER_S * NS_PER_S
    start = end - run_s * NS_PER_S
    runtime = PlantRuntime.simulated(plant, start, (Fault(MOTOR, FaultKind.OVERLOAD, FAULT_AT_S),))
    with tempfile.TemporaryDirectory(prefix="twindeck-lesson-") as tmp:
        recorder = Recorder.open(Path(tmp) / "lesson.twinhist", runtime.store.groups, plant)
        journal = Journal(recorder.history)
        runtime.alarms.add_listener(journal.write)
        runtime.alarms.begin(start)
        runtime.ingestor.add_sink(recorder.offer)
        runtime.ingestor.add_sink(runtime.alarm_sink())
        runtime.fast_forward(end)
        journal.close()
        recorder.close()
        out.parent.mkdir(parents=True, exist_ok=True)
        export_package(
            Path(tmp) / "lesson.twinhist",
            PLANT.read_text(encoding="utf-8"),
            start,
            end,
            out,
            title="M07 chilled water pump overload",
            description="Motor M07 overloads 60 s into the recording.",
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", type=Path, default=OUT, help=f"default: {OUT}")
    parser.add_argument("--seconds", type=int, default=RUN_S, help="length of the recording")
    args = parser.parse_args(argv)
    print(make_package(args.out, args.seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
