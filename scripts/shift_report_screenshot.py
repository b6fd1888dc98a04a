"""Picture of the first page of a shift report: the demo workshop's door-panel line
simulated through a whole early shift (05:50-14:10 UTC, fast-forwarded) and recorded, with
an alarm acknowledged by the operator and a bookmark written into the history as the
console would have; the report is laid out as its PDF is (A4 at 96 dpi).

    xvfb-run -a python scripts/shift_report_screenshot.py -o assets/screenshots/shift_report.png
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QColor, QImage, QPainter, QTextDocument
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from twin.plant.model import Plant

ROOT = Path(__file__).resolve().parents[1]
NS = 1_000_000_000
DAY0 = 20_600 * 86_400 * NS  # a midnight (UTC)
SHIFT_START = DAY0 + 6 * 3600 * NS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", default="shift_report.png")
    parser.add_argument("--height", type=int, default=880, help="pixels of the page shown")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        page = _report_page(Path(folder) / "line.twinhist")
    doc = QTextDocument()
    doc.setHtml(page)
    doc.setDocumentMargin(40)
    doc.setPageSize(QSizeF(794, 1e6))  # A4's width at 96 dpi, as the PDF lays it out
    image = QImage(794, args.height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    doc.drawContents(painter)
    painter.end()
    image.save(args.output)
    del app


def _report_page(path: Path) -> str:
    from app.shift.report import shift_report_html
    from db.engine import open_history
    from db.read.shift import read_shift_summary
    from twin.kpi.cycle_plant import cycle_signals_only
    from twin.kpi.shift import day_of, find_shift, shift_on
    from twin.plant.loader import load_plant

    plant = load_plant(ROOT / "assets" / "plants" / "demo_workshop.toml")
    _record(path, cycle_signals_only(plant))
    window = shift_on(find_shift(plant, "early"), day_of(SHIFT_START))
    with open_history(path, read_only=True) as history:
        summary = read_shift_summary(history, plant, window)
    assert summary is not None
    return shift_report_html(summary, plant)


def _record(path: Path, plant: Plant) -> None:
    from db.bookmarks import Bookmarks
    from db.engine import open_history
    from db.journal import Journal
    from db.write.recorder import Recorder
    from twin.alarms.model import Action, AlarmEvent, AlarmKind, AlarmState, Priority
    from twin.sources.sim import Simulator

    start = SHIFT_START - 600 * NS
    sim = Simulator(plant, start)
    recorder = Recorder.open(path, sim.groups(), plant)
    for _, batches in sim.fast_forward(SHIFT_START + (8 * 3600 + 600) * NS, 600 * NS):
        for batch in batches:
            recorder.offer(batch)
    recorder.close()
    raised = SHIFT_START + (3 * 3600 + 1220) * NS
    events = [
        AlarmEvent(raised, "P01.power:HH", "P01.power", "P01", AlarmKind.HH, Action.RAISE,
                   AlarmState.NORMAL, AlarmState.UNACK_ACTIVE, Priority.CRITICAL, True, 61.5),
        AlarmEvent(raised + 95 * NS, "P01.power:HH", "P01.power", "P01", AlarmKind.HH,
                   Action.ACK, AlarmState.UNACK_ACTIVE, AlarmState.ACK_ACTIVE,
                   Priority.CRITICAL, True, 61.5, "Li Wei"),
    ]  # fmt: skip
    with open_history(path) as history:
        journal = Journal(history)
        journal.write(events)
        journal.close()
        Bookmarks(history).add(raised + 600 * NS, "P01 tool worn: punch changed, first panels OK")


if __name__ == "__main__":
    main()
