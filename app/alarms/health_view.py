"""Alarm-system health after EEMUA 191 / ISA-18.2 for a period of the journal: alarm
rates against the benchmarks, floods, chattering and standing alarms, the top ten."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.alarms.common import format_time
from app.alarms.journal_view import guarded, stop_job
from app.export.job import Progress, ProgressJob
from app.export.range_chooser import QtRangeChooser
from app.theme import PLOT_BACKGROUND, PLOT_FOREGROUND
from db.journal import Journal
from twin.alarms import Priority
from twin.alarms.health import FLOOD_ALARMS, HealthReport
from twin.timebase import NS_PER_S

# EEMUA 191: average alarms per 10 minutes in steady operation.
ACCEPTABLE_RATE = 1.0  # "very likely to be acceptable"
MANAGEABLE_RATE = 2.0  # "manageable"
OVER_DEMANDING_RATE = 10.0  # above: "very likely to be unacceptable"
# EEMUA 191: alarms in the 10 minutes after a major upset.
PEAK_MANAGEABLE = 10
PEAK_HARD = 100
GOOD, FAIR, BAD = "#6fbf73", "#e8a317", "#ff5252"
BAR_RGB = {GOOD: (90, 140, 170), FAIR: (232, 163, 23), BAD: (224, 40, 30)}


class QtHealthReport(QWidget):
    """The figures of one ``HealthReport``: a summary with the EEMUA verdicts, a bar per
    10-minute bucket, and tables of the top ten, chattering, standing alarms and floods.

    With a journal, a range chooser and "Compute" run ``Journal.health`` on a worker
    thread; ``set_report`` shows a report computed elsewhere.
    """

    def __init__(
        self,
        journal: Journal | None = None,
        recorded: tuple[int, int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.journal = journal
        self.report: HealthReport | None = None
        self.job: ProgressJob | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.range = QtRangeChooser(recorded or (0, 0))
        self.range.choose(None)
        self.compute_button = QPushButton(self.tr("Compute"))
        self.compute_button.clicked.connect(self._on_compute)
        bar = QHBoxLayout()
        bar.addWidget(self.range, 1)
        bar.addWidget(self.compute_button)
        layout.addLayout(bar)
        for w in (self.range, self.compute_button):
            w.setVisible(journal is not None)
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label in (
            ("period", self.tr("Period")),
            ("annunciated", self.tr("Alarms annunciated")),
            ("average", self.tr("Average per 10 min")),
            ("peak", self.tr("Peak in 10 min")),
            ("flood", self.tr("Time in flood")),
            ("chattering", self.tr("Chattering alarms")),
            ("standing", self.tr("Standing alarms")),
            ("priorities", self.tr("Priority mix")),
            ("actions", self.tr("Operator actions")),
        ):
            self.fields[key] = QLabel("—")
            form.addRow(label, self.fields[key])
        layout.addLayout(form)
        self.plot = pg.PlotWidget(
            background=PLOT_BACKGROUND, axisItems={"bottom": pg.DateAxisItem()}
        )
        self.plot.setLabel("left", self.tr("alarms per 10 min"), color=PLOT_FOREGROUND)
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.setMinimumHeight(160)
        self.bars: pg.BarGraphItem | None = None
        layout.addWidget(self.plot, 1)
        self.tabs = QTabWidget()
        self.top_table = self._table(self.tr("Top 10"), (self.tr("Alarm"), self.tr("Count"), "%"))
        self.chatter_table = self._table(
            self.tr("Chattering"),
            (self.tr("Alarm"), self.tr("Activations"), self.tr("Most in 1 min")),
        )
        self.standing_table = self._table(
            self.tr("Standing"), (self.tr("Alarm"), self.tr("Since"), self.tr("Hours"))
        )
        self.flood_table = self._table(
            self.tr("Floods"),
            (self.tr("Start"), self.tr("End"), self.tr("Alarms"), self.tr("Main contributors")),
        )
        layout.addWidget(self.tabs, 1)
        self.message = QLabel()
        layout.addWidget(self.message)

    def _table(self, title: str, headers: tuple[str, ...]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(list(headers))
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setStretchLastSection(True)
        self.tabs.addTab(table, title)
        return table

    # --- verdicts ------------------------------------------------------------------------

    def rate_verdict(self, per_10_min: float) -> tuple[str, str]:
        """EEMUA 191's words for an average rate, and a colour."""
        if per_10_min <= ACCEPTABLE_RATE:
            return self.tr("very likely acceptable"), GOOD
        if per_10_min <= MANAGEABLE_RATE:
            return self.tr("manageable"), GOOD
        if per_10_min <= OVER_DEMANDING_RATE:
            return self.tr("likely to be over-demanding"), FAIR
        return self.tr("very likely to be unacceptable"), BAD

    def peak_verdict(self, alarms: int) -> tuple[str, str]:
        if alarms <= PEAK_MANAGEABLE:
            return self.tr("manageable"), GOOD
        if alarms <= PEAK_HARD:
            return self.tr("hard to cope with"), FAIR
        return self.tr("excessive"), BAD

    # --- computing -----------------------------------------------------------------------

    def set_recorded(self, recorded: tuple[int, int]) -> None:
        self.range.recorded = recorded

    def _on_compute(self) -> None:
        self.compute(*self.range.range_ns())

    def compute(self, t0: int, t1: int) -> ProgressJob | None:
        """Compute the report of [t0, t1) from the journal in the background."""
        if self.journal is None or (self.job is not None and self.job.running):
            return None
        if t1 <= t0:
            self.message.setText(self.tr("The time range is empty."))
            return None
        journal, result = self.journal, []

        def work(progress: Progress) -> bool:
            result.append(journal.health(t0, t1))
            return True

        self.job = ProgressJob(guarded(work), Path(), self)
        self.job.finished.connect(lambda ok, msg: self._on_computed(ok, msg, result))
        self.compute_button.setEnabled(False)
        self.message.setText(self.tr("Computing…"))
        self.job.start()
        return self.job

    def _on_computed(self, ok: bool, message: str, result: list[HealthReport]) -> None:
        self.compute_button.setEnabled(True)
        if ok and result:
            self.message.setText("")
            self.set_report(result[0])
        else:
            self.message.setText(self.tr("Could not compute: %1").replace("%1", message))

    # --- showing -------------------------------------------------------------------------

    def set_report(self, r: HealthReport) -> None:
        """Show the figures of ``r``."""
        self.report = r
        per = 600.0 / r.bucket_s  # the report's buckets, scaled to 10 minutes
        f = self.fields
        f["period"].setText(f"{format_time(r.t0)} – {format_time(r.t1)}")
        f["annunciated"].setText(
            self.tr("%1 (%2 activations)")
            .replace("%1", str(r.annunciated))
            .replace("%2", str(r.activations))
        )
        average = r.average_per_bucket * per
        self._verdict(f["average"], f"{average:.2f}", self.rate_verdict(average))
        peak = r.peak_per_bucket
        self._verdict(f["peak"], str(peak), self.peak_verdict(peak))
        flood_colour = GOOD if not r.floods else (FAIR if r.percent_time_in_flood < 1 else BAD)
        flood_text = self.tr("%1 % (%n flood(s))", "", len(r.floods)).replace(
            "%1", f"{r.percent_time_in_flood:.1f}"
        )
        self._set(f["flood"], flood_text, flood_colour)
        self._set(f["chattering"], str(len(r.chattering)), BAD if r.chattering else GOOD)
        self._set(f["standing"], str(len(r.standing)), FAIR if r.standing else GOOD)
        mix = ", ".join(
            f"{p.label} {r.priority_percent[p.label]:.0f} %"
            for p in sorted(Priority, reverse=True)
            if p.label in r.priority_percent
        )
        f["priorities"].setText(mix or "—")
        acts = ", ".join(f"{a} {n}" for a, n in sorted(r.operator_actions.items()))
        f["actions"].setText(acts or "—")
        self._draw_bars(r)
        self._fill(self.top_table, [(a, str(n), f"{pct:.1f}") for a, n, pct in r.top])
        self._fill(
            self.chatter_table,
            [(c.alarm_id, str(c.activations), str(c.max_in_window)) for c in r.chattering],
        )
        self._fill(
            self.standing_table,
            [(s.alarm_id, format_time(s.since), f"{s.duration_s / 3600:.1f}") for s in r.standing],
        )
        self._fill(
            self.flood_table,
            [
                (
                    format_time(fl.start),
                    format_time(fl.end),
                    str(fl.alarms),
                    ", ".join(f"{a} ({n})" for a, n in fl.top),
                )
                for fl in r.floods
            ],
        )

    def _verdict(self, label: QLabel, value: str, verdict: tuple[str, str]) -> None:
        self._set(label, f"{value} — {verdict[0]}", verdict[1])

    @staticmethod
    def _set(label: QLabel, text: str, colour: str) -> None:
        label.setText(text)
        label.setStyleSheet(f"color: {colour}")

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
        table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                table.setItem(i, j, QTableWidgetItem(text))
        table.resizeColumnsToContents()

    def _draw_bars(self, r: HealthReport) -> None:
        self.plot.clear()
        width_s = r.bucket_s
        counts = r.per_bucket.astype(np.float64)
        x = r.t0 / NS_PER_S + (np.arange(counts.size) + 0.5) * width_s
        colours = np.where(
            counts > FLOOD_ALARMS, BAD, np.where(counts > MANAGEABLE_RATE, FAIR, GOOD)
        )
        brushes = [pg.mkBrush(*BAR_RGB[str(c)]) for c in colours]
        self.bars = pg.BarGraphItem(x=x, height=counts, width=width_s * 0.85, brushes=brushes)
        self.plot.addItem(self.bars)
        for level, colour in (
            (ACCEPTABLE_RATE, GOOD),
            (MANAGEABLE_RATE, FAIR),
            (FLOOD_ALARMS, BAD),
        ):
            pen = pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine)
            self.plot.addItem(pg.InfiniteLine(pos=level, angle=0, pen=pen))
        self.plot.setXRange(r.t0 / NS_PER_S, r.t1 / NS_PER_S, padding=0.02)
        self.plot.setYRange(0, max(float(counts.max(initial=0)), FLOOD_ALARMS) * 1.1, padding=0)

    def closeEvent(self, event: QCloseEvent) -> None:
        stop_job(self.job)
        super().closeEvent(event)
