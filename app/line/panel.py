"""The Line panel: each production line's indicators at the cursor, a chart of its cycle
times against the target, its output through the shift against the plan, and its
machines with the bottleneck marked. Live and in replay alike: it reads the frames'
series reader at the frame's cursor (``twin.kpi.replay.CursorIndicators``)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.frame.builder import Frame
from app.line import text
from app.theme import PLOT_BACKGROUND, PLOT_PENS
from twin.kpi.indicators import Indicators, LineIndicators
from twin.kpi.replay import CursorIndicators
from twin.plant.lines import Line
from twin.timebase import NS_PER_S

REFRESH_NS = NS_PER_S  # the indicators change with whole cycles: once a second is plenty
_TARGET_PEN = pg.mkPen("#ff5c8a", width=2, style=pg.QtCore.Qt.PenStyle.DashLine)


class QtLineView(QFrame):
    """One line: its figures, two charts, its machines."""

    def __init__(self, line: Line, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = line
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(f"<b>{line.name}</b>")
        self.oee = QLabel("–")
        self.oee.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.output = QLabel("–")
        self.cycle = QLabel("–")
        self.energy = QLabel("–")
        self.losses = QLabel("–")
        self.losses.setWordWrap(True)
        self.machines = QLabel("–")
        self.cycle_plot = _plot(QCoreApplication.translate("LineText", "cycle time (s)"))
        self.cycle_plot.addItem(pg.InfiniteLine(line.target_cycle_s, angle=0, pen=_TARGET_PEN))
        # Cycles around the target, not the hour a breakdown held one up.
        self.cycle_plot.setYRange(0.0, 2.0 * line.target_cycle_s)
        self.cycle_plot.getPlotItem().enableAutoRange(y=False)
        self.cycles = self.cycle_plot.plot(
            [], [], pen=None, symbol="o", symbolSize=5, symbolBrush=PLOT_PENS[0]
        )
        self.output_plot = _plot(QCoreApplication.translate("LineText", "parts"))
        self.counted = self.output_plot.plot(
            [], [], pen=pg.mkPen(PLOT_PENS[1], width=2), stepMode=None
        )
        self.planned = self.output_plot.plot([], [], pen=_TARGET_PEN)
        layout = QVBoxLayout(self)
        for label in (
            self.title,
            self.oee,
            self.output,
            self.cycle,
            self.energy,
            self.losses,
            self.machines,
        ):
            layout.addWidget(label)
        charts = QHBoxLayout()
        charts.addWidget(self.cycle_plot)
        charts.addWidget(self.output_plot)
        layout.addLayout(charts)

    def show_indicators(self, ind: Indicators, li: LineIndicators) -> None:
        mi = ind.machines
        self.oee.setText(text.oee_text(li))
        self.output.setText(text.output_text(li))
        self.cycle.setText(text.cycle_text(li))
        self.energy.setText(text.energy_text(li, float(mi.parts_per_hour[li.output_index])))
        self.losses.setText(text.losses_text(li))
        names = []
        for i in li.machine_indices:
            asset_id = mi.asset_ids[i]
            median = text.duration(float(mi.cycle_median_s[i]))
            bottleneck = QCoreApplication.translate("LineText", "bottleneck")
            mark = f" ◀ {bottleneck}" if asset_id == li.bottleneck else ""
            entry = f"{asset_id} {median}{mark}"
            names.append(f"<b>{entry}</b>" if mark else entry)
        self.machines.setText(" → ".join(names))
        hours = (li.cycle_end_ns - ind.t0) / 3.6e12
        self.cycles.setData(hours, li.cycle_s)
        done = (li.part_end_ns - ind.t0) / 3.6e12
        self.counted.setData(np.concatenate([[0.0], done]), np.arange(done.size + 1.0))
        if li.plan_parts is not None and li.plan_so_far is not None:
            now_h = (ind.t1 - ind.t0) / 3.6e12
            self.planned.setData([0.0, now_h], [0.0, li.plan_so_far])
        else:
            self.planned.setData([], [])


class _Chart(pg.PlotWidget):
    """A chart that asks for a modest height: the panel's scroll area lays a line out at
    its preferred height (its word-wrapped labels make it height-for-width), and
    pyqtgraph's default hint (480 px) pushed the charts' x axis below the fold."""

    def sizeHint(self) -> QSize:
        return QSize(360, 220)


def _plot(y_label: str) -> pg.PlotWidget:
    plot = _Chart(background=PLOT_BACKGROUND)
    plot.setLabel("left", y_label)
    plot.setLabel("bottom", QCoreApplication.translate("LineText", "hours into the shift"))
    plot.setMinimumHeight(140)
    plot.showGrid(x=True, y=True, alpha=0.2)
    return plot


class QtLinePanel(QScrollArea):
    """Every line of the plant, updated from the frames."""

    def __init__(self, source: CursorIndicators, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.views = {line.id: QtLineView(line) for line in source.plant.lines}
        body = QWidget()
        layout = QVBoxLayout(body)
        for view in self.views.values():
            layout.addWidget(view, 1)  # the lines share the height; their charts grow
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.shown_at: int | None = None
        self.indicators: Indicators | None = None

    def update_frame(self, frame: Frame) -> None:
        t = frame.cursor_ns
        if self.shown_at is not None and abs(t - self.shown_at) < REFRESH_NS:
            return
        ind = self.source.at(t)
        if ind is None:  # still loading: keep what is shown, try again next frame
            return
        self.shown_at, self.indicators = t, ind
        for line_id, view in self.views.items():
            view.show_indicators(ind, ind.line(line_id))
