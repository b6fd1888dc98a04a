"""The advisory list: early warnings of the health monitor standing at the cursor.

Advisories are not alarms: no horn, no acknowledgement; a row says which asset is going
wrong, why, since when and how far it is from its limit, worst first. The list is worked
out from the advisory events up to the cursor (live: the monitor's; in a replay: the
recording's journal), so a trainer sees an advisory appear hours before the trip.
"""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QTimeZone, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core_text import sentence, word
from app.frame.builder import Frame
from app.i18n import QT_TRANSLATE_NOOP
from twin.condition.advisories import RAISE, AdvisoryEvent
from twin.condition.snapshot import AdvisorySource
from twin.plant.model import Plant
from twin.timebase import NS_PER_S

LOOKBACK_NS = 24 * 3600 * NS_PER_S  # advisories raised longer ago than this are not looked for
REFRESH_NS = NS_PER_S  # the list is worked out again when the cursor moved this much
SEVERITY_COLOURS = ((0.7, "#ff5252"), (0.4, "#e8a317"), (0.0, "#c9b458"))


def standing(events: list[AdvisoryEvent]) -> list[tuple[AdvisoryEvent, int]]:
    """The advisories raised and not cleared after ``events`` (in time order): each one's
    latest raise event with the time it was first raised, worst first."""
    since: dict[tuple[str, str], int] = {}
    latest: dict[tuple[str, str], AdvisoryEvent] = {}
    for e in events:
        key = (e.asset_id, e.cause)
        if e.action == RAISE:
            since.setdefault(key, e.t_ns)
            latest[key] = e
        else:
            since.pop(key, None)
            latest.pop(key, None)
    rows = [(latest[k], since[k]) for k in latest]
    return sorted(rows, key=lambda r: (-r[0].severity, r[1]))


class QtAdvisoryPanel(QWidget):
    """The advisories standing at the cursor; a click selects the asset everywhere."""

    asset_activated = Signal(str)
    COLUMNS = (
        QT_TRANSLATE_NOOP("QtAdvisoryPanel", "Since"),
        QT_TRANSLATE_NOOP("QtAdvisoryPanel", "Asset"),
        QT_TRANSLATE_NOOP("QtAdvisoryPanel", "Cause"),
        QT_TRANSLATE_NOOP("QtAdvisoryPanel", "Severity"),
        QT_TRANSLATE_NOOP("QtAdvisoryPanel", "What the monitor sees"),
    )

    def __init__(self, plant: Plant, source: AdvisorySource, parent: QWidget | None = None):
        super().__init__(parent)
        self.plant = plant
        self.source = source
        self._shown_at: int | None = None
        self.rows: list[tuple[AdvisoryEvent, int]] = []
        self.count = QLabel()
        self.count.setToolTip(
            self.tr("Early warnings of the health monitor: no horn, nothing to acknowledge")
        )
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.cellClicked.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.count)
        layout.addWidget(self.table)
        self._show([])

    def update_frame(self, frame: Frame) -> None:
        t = frame.cursor_ns
        if self._shown_at is not None and abs(t - self._shown_at) < REFRESH_NS:
            return
        self._shown_at = t
        self._show(standing(self.source.advisory_events(t - LOOKBACK_NS, t + 1)))

    def select(self, asset_id: str | None) -> None:
        """Highlight the row of the asset selected elsewhere (if it has an advisory)."""
        self.table.blockSignals(True)
        self.table.clearSelection()
        for i, (event, _) in enumerate(self.rows):
            if event.asset_id == asset_id:
                self.table.selectRow(i)
                break
        self.table.blockSignals(False)

    def _show(self, rows: list[tuple[AdvisoryEvent, int]]) -> None:
        if [(e, s) for e, s in rows] == self.rows and self.table.rowCount() == len(rows):
            return
        self.rows = rows
        self.count.setText(
            self.tr("%n advisory(ies) standing", "", len(rows))
            if rows
            else self.tr("No advisories: every monitored asset looks healthy")
        )
        self.table.setRowCount(len(rows))
        for i, (event, since) in enumerate(rows):
            cells = (
                _time(since),
                self._asset_name(event.asset_id),
                word(event.cause),
                f"{event.severity:.2f}",
                sentence(event.summary),
            )
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(sentence(event.evidence or event.summary))
                if j == 3:
                    item.setForeground(QColor(_severity_colour(event.severity)))
                    bold = QFont(item.font())
                    bold.setBold(True)
                    item.setFont(bold)
                self.table.setItem(i, j, item)

    def _asset_name(self, asset_id: str) -> str:
        asset = self.plant.asset(asset_id) if self.plant.has_asset(asset_id) else None
        return asset_id if asset is None or asset.name == asset_id else f"{asset_id} {asset.name}"

    def _clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.rows):
            self.asset_activated.emit(self.rows[row][0].asset_id)


def _severity_colour(severity: float) -> str:
    return next(colour for at, colour in SEVERITY_COLOURS if severity >= at)


def _time(t_ns: int) -> str:
    when = QDateTime.fromMSecsSinceEpoch(t_ns // 1_000_000, QTimeZone.systemTimeZone())
    return when.toString("yyyy-MM-dd HH:mm")
