"""What a shift report costs: one 8 h shift recorded, then summed up and written.

    python bench/shift_report.py [--machines 0] [--hours 8]

Records ``--hours`` of an early shift (from 06:00 UTC, fast-forwarded through the real
recorder into SQLite): the demo workshop's door-panel line, or with ``--machines N`` a
generated plant of N presses in lines of five (``bench/kpi.py``'s ``line_plant``, four
1 Hz signals each). Then times ``read_shift_summary`` (the samples read an hour at a time
and fed to the cycle tracker, the indicators, the journal and bookmarks) and the CSV and PDF
writers, and prints one JSON object: samples read, seconds to sum the shift up, samples per
second, and milliseconds for each file.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from kpi import kpi_plant, line_plant  # bench/kpi.py, beside this script
from PySide6.QtWidgets import QApplication

from app.shift.report import write_shift_report
from db.engine import open_history
from db.read.shift import read_shift_summary
from db.write.recorder import Recorder
from twin.kpi.shift import day_of, find_shift, shift_on
from twin.plant.loader import load_plant
from twin.plant.model import Plant
from twin.sources.sim import Simulator

NS = 1_000_000_000
ROOT = Path(__file__).resolve().parents[1]
MIDNIGHT = 20_600 * 86_400 * NS


def record(path: Path, plant: Plant, start: int, hours: float) -> int:
    """Simulate and record; returns the samples recorded."""
    sim = Simulator(plant, start)
    recorder = Recorder.open(path, sim.groups(), plant)
    samples = 0
    for _, batches in sim.fast_forward(start + round(hours * 3600 * NS), 600 * NS):
        for batch in batches:
            for _ in range(1000):  # the writer's queue may be full: let it drain
                if recorder.offer(batch):
                    break
                time.sleep(0.01)
            else:
                raise RuntimeError(f"the recorder takes no more batches: {recorder.state()}")
            samples += batch.v.size
    recorder.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--machines", type=int, default=0, help="0: the demo's line")
    parser.add_argument("--hours", type=float, default=8.0)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    if args.machines:
        plant = line_plant(args.machines)
        shift_id = "day"
    else:
        plant = kpi_plant(load_plant(ROOT / "assets" / "plants" / "demo_workshop.toml"))
        shift_id = "early"
    shift = find_shift(plant, shift_id)
    window = shift_on(shift, day_of(MIDNIGHT))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.twinhist"
        a = time.perf_counter()
        recorded = record(path, plant, window.start_ns, args.hours)
        record_s = time.perf_counter() - a
        with open_history(path, read_only=True) as history:
            a = time.perf_counter()
            summary = read_shift_summary(history, plant, window)
            summary_s = time.perf_counter() - a
        assert summary is not None
        times = {}
        for suffix in (".csv", ".pdf"):
            a = time.perf_counter()
            write_shift_report(summary, plant, Path(folder) / f"report{suffix}")
            times[suffix] = round((time.perf_counter() - a) * 1e3, 1)
    figures = {
        "machines": sum(len(line.machines) for line in plant.lines),
        "lines": len(plant.lines),
        "hours": args.hours,
        "samples": recorded,
        "record_wall_s": round(record_s, 1),
        "summary_s": round(summary_s, 3),
        "summary_msamples_per_s": round(recorded / summary_s / 1e6, 2),
        "csv_ms": times[".csv"],
        "pdf_ms": times[".pdf"],
        "parts": sum(line.parts for line in summary.lines),
    }
    print(json.dumps(figures))
    del app


if __name__ == "__main__":
    main()
