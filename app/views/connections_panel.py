"""Connection health at a glance: state, message rate, last data, last error, bad input."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from app.frame.builder import Frame
from twin.sources.connections.health import ConnState, HealthSnapshot

REFRESH_S = 1.0
STATE_COLOURS = {
    ConnState.CONNECTED: "#8c9196",  # fine: no colour, as for normal equipment
    ConnState.CONNECTING: "#e8a317",
    ConnState.RECONNECTING: "#e8a317",
    ConnState.FAILED: "#ff5252",
    ConnState.STOPPED: "#6b7178",
}
MAX_DETAILS = 5  # offending topics/nodes listed per connection; the rest are counted
PROBLEM_COLOUR = "#e8a317"  # wrong now
PAST_COLOUR = "#8c9196"  # over: for the record
COL_NAME, COL_STATE, COL_RATE, COL_LAST_DATA = range(4)


@runtime_checkable
class HasHealth(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def health(self) -> object: ...


def connected_sources(sources: Sequence[object]) -> list[HasHealth]:
    """The sources that report connection health (the connectors, not the simulator)."""
    return [src for src in sources if isinstance(src, HasHealth)]


class QtConnectionsPanel(QTreeWidget):
    """One row per connection (state, message rate, time of the last data), and below it
    one line for what is wrong now or, once it is over, the last error and its time, then
    the topics or nodes that sent bad data.

    The problem goes on a line of its own, as wide as the dock, because in the narrow
    right-hand dock a fifth column would be cut off; the full texts are in tooltips."""

    def __init__(self, sources: Sequence[HasHealth], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sources = list(sources)
        self.setHeaderLabels(
            [self.tr("Connection"), self.tr("State"), self.tr("Msg/s"), self.tr("Last data")]
        )
        self._fit_columns()
        self.setRootIsDecorated(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setToolTip(self.tr("Live connections to the plant and the data they deliver"))
        self._items = [QTreeWidgetItem(self, [src.name]) for src in self.sources]
        # Problems show at once, unfolded, unless the user folds a connection away.
        self._folded: set[int] = set()
        self.itemCollapsed.connect(lambda item: self._folded.add(self._row_of(item)))
        self.itemExpanded.connect(lambda item: self._folded.discard(self._row_of(item)))
        self._next_refresh = 0.0
        self.refresh()

    def _fit_columns(self) -> None:
        """The figures keep the width of their longest text; the name takes the rest."""
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        pad = 2 * metrics.averageCharWidth()
        for column, widest in (
            (COL_STATE, "reconnecting"),
            (COL_RATE, "9,999"),
            (COL_LAST_DATA, "00:00:00"),
        ):
            label = self.headerItem().text(column)
            width = max(metrics.horizontalAdvance(widest), metrics.horizontalAdvance(label))
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(column, width + pad)

    def update_frame(self, frame: Frame) -> None:
        """FrameView: refresh about once a second, however fast frames come."""
        now = time.monotonic()
        if now >= self._next_refresh:
            self._next_refresh = now + REFRESH_S
            self.refresh()

    def refresh(self) -> None:
        for item, source in zip(self._items, self.sources, strict=True):
            health = source.health
            if hasattr(health, "snapshot"):
                self._show(item, health.snapshot())

    def _show(self, item: QTreeWidgetItem, snap: HealthSnapshot) -> None:
        item.setText(COL_NAME, snap.connection_id)
        item.setToolTip(COL_NAME, f"{snap.connection_id} · {snap.protocol} {snap.endpoint}")
        item.setText(COL_STATE, self.tr(snap.state.value))
        item.setForeground(COL_STATE, QColor(STATE_COLOURS.get(snap.state, "#d6dade")))
        item.setText(COL_RATE, f"{snap.msgs_per_s:,.0f}")
        item.setText(COL_LAST_DATA, _clock(snap.last_data_ns))
        item.takeChildren()  # a few rows, once a second: rebuilding is cheap
        self._show_problem(item, snap)
        self._show_details(item, snap.bad, snap.unknown)
        if item.childCount() and self._row_of(item) not in self._folded:
            item.setExpanded(True)

    def _row_of(self, item: QTreeWidgetItem) -> int:
        return self.indexOfTopLevelItem(item)

    def _show_problem(self, item: QTreeWidgetItem, snap: HealthSnapshot) -> None:
        """The current problem, else the last error with its time, else the bad count."""
        last = ""
        if snap.last_error:
            last = self.tr("last error %s: %s") % (_clock(snap.last_error_ns), snap.last_error)
        if snap.problem:
            text, colour = snap.problem, PROBLEM_COLOUR
            tip = text if not last or snap.last_error == snap.problem else f"{text}\n{last}"
        elif last:
            text, colour, tip = last, PAST_COLOUR, last
        else:
            text = tip = self._counts(snap)  # bad and unbound apart
            if not text:
                return
            colour = PAST_COLOUR
        row = QTreeWidgetItem(item, [text])
        row.setFirstColumnSpanned(True)
        row.setForeground(COL_NAME, QColor(colour))
        row.setToolTip(COL_NAME, tip)

    def _counts(self, snap: HealthSnapshot) -> str:
        """Bad messages and messages on unbound topics, apart: a topic that a wildcard
        subscription brings and no signal is bound to is not an error."""
        parts = []
        if snap.bad_total:
            parts.append(self.tr("%n bad messages", "", snap.bad_total))
        unbound = sum(snap.unknown.values())
        if unbound:
            parts.append(self.tr("%n unbound", "", unbound))
        return " · ".join(parts)

    def _show_details(
        self, item: QTreeWidgetItem, bad: Mapping[str, int], unknown: Mapping[str, int]
    ) -> None:
        rows = [(self.tr("bad data"), k, n) for k, n in bad.items()]
        rows += [(self.tr("not bound"), k, n) for k, n in unknown.items()]
        rows.sort(key=lambda r: -r[2])
        for what, where, count in rows[:MAX_DETAILS]:
            child = QTreeWidgetItem(item)
            child.setText(COL_NAME, where)
            child.setToolTip(COL_NAME, f"{where}: {what}, {count:,}")
            child.setText(COL_STATE, f"{what}: {count:,}")


def _clock(ns: int | None) -> str:
    if ns is None:
        return "—"
    when = QDateTime.fromMSecsSinceEpoch(ns // 1_000_000, QTimeZone.systemTimeZone())
    return when.toString("HH:mm:ss")
