"""Screenshot of the Lines panel on the demo workshop's door-panel line, five hours into
a simulated early shift (06:00-14:00 UTC).

    xvfb-run -a python scripts/line_screenshot.py -o assets/screenshots/line_panel.png
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
NS = 1_000_000_000
DAY0 = 20_600 * 86_400 * NS  # a midnight (UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", default="line_panel.png")
    parser.add_argument("--hours", type=float, default=5.0)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    from app.frame.builder import Frame
    from app.line.panel import QtLinePanel
    from twin.kpi.replay import CursorIndicators
    from twin.plant.loader import load_plant
    from twin.sources.sim import Simulator
    from twin.store.series import EMPTY_STORE, LiveSeries
    from twin.store.signal_store import SignalStore

    spec = importlib.util.spec_from_file_location("kpi_bench", ROOT / "bench" / "kpi.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    plant = bench.kpi_plant(load_plant(ROOT / "assets" / "plants" / "demo_workshop.toml"))
    start = DAY0 + 6 * 3600 * NS
    end = start + round(args.hours * 3600 * NS)
    sim = Simulator(plant, start)
    store = SignalStore(sim.groups(), retention_s=args.hours * 3600 + 60)
    for _, batches in sim.fast_forward(end, 600 * NS):
        for batch in batches:
            store.append(batch)
    panel = QtLinePanel(CursorIndicators(plant, LiveSeries(store)))
    panel.resize(1100, 640)
    panel.show()
    none = np.empty(0)
    frame = Frame(
        end, EMPTY_STORE, none, none.astype(np.int64), none.astype(np.int8), none.astype(np.int8)
    )
    panel.update_frame(frame)
    app.processEvents()
    panel.grab().save(args.output)
    panel.close()


if __name__ == "__main__":
    main()
