"""Connection health at a glance: state, message rate, last data, last error, bad input."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

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
    """One row per connection, with the topics or nodes that sent bad data below it."""

    def __init__(self, sources: Sequence[HasHealth], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sources = list(sources)
        self.setHeaderLabels(
            [
                self.tr("Connection"),
                self.tr("State"),
                self.tr("Msg/s"),
                self.tr("Last data"),
                self.tr("Problems"),
            ]
        )
        self.setColumnWidth(0, 220)
        self.setRootIsDecorated(True)
        self.setToolTip(self.tr("Live connections to the plant and the data they deliver"))
        self._items = [QTreeWidgetItem(self, [src.name]) for src in self.sources]
        self._next_refresh = 0.0
        self.refresh()

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
        item.setText(0, f"{snap.connection_id} · {snap.protocol} {snap.endpoint}")
        item.setText(1, self.tr(snap.state.value))
        item.setForeground(1, QColor(STATE_COLOURS.get(snap.state, "#d6dade")))
        item.setText(2, f"{snap.msgs_per_s:,.0f}")
        item.setText(3, _clock(snap.last_data_ns))
        item.setText(4, snap.last_error or self._counts(snap))
        item.setToolTip(4, snap.last_error or "")
        self._show_details(item, snap.bad, snap.unknown)

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
        item.takeChildren()  # at most MAX_DETAILS rows, once a second: rebuilding is cheap
        for what, where, count in rows[:MAX_DETAILS]:
            child = QTreeWidgetItem(item)
            child.setText(0, where)
            child.setText(4, f"{what}: {count:,}")


def _clock(ns: int | None) -> str:
    if ns is None:
        return "—"
    when = QDateTime.fromMSecsSinceEpoch(ns // 1_000_000, QTimeZone.systemTimeZone())
    return when.toString("HH:mm:ss")
