"""The fleet table's model: rows of a ``FleetHealth`` ranked worst first, filtered by area
and cause, straight from the snapshot's arrays.

Nothing happens per row per frame: the ranking and the filters are numpy over all rows,
redone only when a snapshot of another time arrives (or a filter changes); the text of a
cell is made when the view paints it, so only the visible rows cost Python work.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.core_text import duration, sentence, word
from app.fleet.text import health_words, status_words, time_to_limit_words
from app.i18n import QT_TRANSLATE_NOOP
from app.theme import HEALTH_PALETTE, NE107_RGB
from twin.condition.plant_rows import PlantRows
from twin.condition.snapshot import FleetHealth, HealthSource
from twin.plant.model import Plant
from twin.timebase import NS_PER_S

COLUMNS = (
    QT_TRANSLATE_NOOP("QtFleetModel", "Asset"),
    QT_TRANSLATE_NOOP("QtFleetModel", "Area"),
    QT_TRANSLATE_NOOP("QtFleetModel", "Health"),
    QT_TRANSLATE_NOOP("QtFleetModel", "NE 107 status"),
    QT_TRANSLATE_NOOP("QtFleetModel", "Cause"),
    QT_TRANSLATE_NOOP("QtFleetModel", "Limit in"),
    QT_TRANSLATE_NOOP("QtFleetModel", "Trend"),
)
ASSET, AREA, HEALTH, STATUS, CAUSE, LIMIT, TREND = range(len(COLUMNS))
TREND_SPAN_S = 24 * 3600  # the sparkline shows the last day of an asset's health
# Trends are read again once the cursor has moved this far (about a pixel of a sparkline),
# not for every snapshot: with one evaluation a second, re-reading them each time was most
# of the table's cost.
TREND_REFRESH_NS = TREND_SPAN_S * NS_PER_S // 200
AnyIndex = QModelIndex | QPersistentModelIndex


class QtFleetModel(QAbstractTableModel):
    """One row per monitored asset of the current snapshot, worst first."""

    def __init__(
        self, plant: Plant, source: HealthSource | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.plant = plant
        self.source = source
        self.rows = PlantRows(plant)
        self.health: FleetHealth | None = None
        self.area: int | None = None  # index into plant.areas; None: every area
        self.cause: int | None = None  # index into CAUSES; None: every cause
        self._order = np.zeros(0, dtype=np.int64)  # shown snapshot rows, worst first
        self._area_of_row = np.zeros(0, dtype=np.int64)
        self._area_names = [a.name for a in plant.areas]
        self._trends: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._trends_t = 0  # the snapshot time the cached trends were read at

    # -- what the panel sets --------------------------------------------------------------
    def set_health(self, health: FleetHealth | None) -> bool:
        """Show ``health``; True if the rows changed (a snapshot of another time)."""
        old = self.health
        if health is old or (health is not None and old is not None and health.t_ns == old.t_ns):
            return False
        self.health = health
        t = health.t_ns if health is not None else 0
        if not 0 <= t - self._trends_t < TREND_REFRESH_NS:
            self._trends.clear()
            self._trends_t = t
        self._refilter()
        return True

    def set_filters(self, area: int | None, cause: int | None) -> None:
        """Show only the assets of one area and/or with one leading cause."""
        self.area, self.cause = area, cause
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        health = self.health
        if health is None:
            self._order = np.zeros(0, dtype=np.int64)
        else:
            self._area_of_row = self.rows.area_of_row(health)
            keep = np.ones(len(health), dtype=bool)
            if self.area is not None:
                keep &= self._area_of_row == self.area
            if self.cause is not None:
                keep &= health.cause == self.cause
            order = health.worst_first()
            self._order = order[keep[order]]
        self.endResetModel()

    # -- what the panel asks ------------------------------------------------------------
    def asset_at(self, row: int) -> str:
        assert self.health is not None
        return self.health.asset_ids[int(self._order[row])]

    def row_of(self, asset_id: str | None) -> int | None:
        """The table row showing ``asset_id``; None when it is filtered out or absent."""
        if asset_id is None or self.health is None:
            return None
        r = self.health.row_of(asset_id)
        if r is None:
            return None
        found = np.flatnonzero(self._order == r)
        return int(found[0]) if len(found) else None

    def trend(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """(times ns, health) of the asset on ``row`` over the TREND_SPAN_S before the
        cursor, read from the source only for the rows painted, again once the cursor has
        moved by TREND_REFRESH_NS or back."""
        asset_id = self.asset_at(row)
        cached = self._trends.get(asset_id)
        if cached is None:
            empty = (np.zeros(0, np.int64), np.zeros(0, np.float32))
            t1 = self._trends_t
            src = self.source
            cached = (
                src.health_history(asset_id, t1 - TREND_SPAN_S * NS_PER_S, t1) if src else empty
            )
            self._trends[asset_id] = cached
        return cached

    # -- QAbstractTableModel --------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        health = self.health
        if health is None or not index.isValid():
            return None
        r, column = int(self._order[index.row()]), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(health, r, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            return QColor(*NE107_RGB[int(health.status[r])])
        if role == Qt.ItemDataRole.DecorationRole and column == HEALTH:
            value = float(health.health[r])
            r_, g, b = HEALTH_PALETTE[101 if math.isnan(value) else round(min(max(value, 0), 100))]
            return QColor(int(r_), int(g), int(b))
        if role == Qt.ItemDataRole.ToolTipRole and column == CAUSE:
            return sentence(health.evidence[r]) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (HEALTH, LIMIT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, health: FleetHealth, r: int, column: int) -> str:
        if column == ASSET:
            return health.asset_ids[r]
        if column == AREA:
            area = int(self._area_of_row[r])
            return self._area_names[area] if 0 <= area < len(self._area_names) else ""
        if column == HEALTH:
            return word(health_words(float(health.health[r])))
        if column == STATUS:
            return word(status_words(health.status[r]))
        if column == CAUSE:
            return sentence(health.summary[r])
        if column == LIMIT:
            ttl = float(health.time_to_limit_s[r])
            return duration(time_to_limit_words(ttl)) if math.isfinite(ttl) else "—"
        return ""
