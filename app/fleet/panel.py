"""The Fleet health panel: every monitored asset ranked worst first, filtered by area and
by cause, with a sparkline of each one's health; a click selects the asset everywhere."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core_text import word
from app.fleet.model import CAUSE, COLUMNS, TREND, QtFleetModel
from app.frame.builder import Frame
from app.theme import PLOT_PENS
from twin.condition.snapshot import CAUSES, HealthSource
from twin.plant.model import Plant

ROW_HEIGHT = 22
COLUMN_WIDTHS = (90, 80, 56, 150, 260, 70, 160)


class QtSparklineDelegate(QStyledItemDelegate):
    """Draws the trend column: the asset's health over the last day on a 0..100 scale."""

    def __init__(self, model: QtFleetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fleet = model

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        times, health = self.fleet.trend(index.row())
        known = ~np.isnan(health)
        times, health = times[known], health[known]
        if len(times) < 2:
            return
        rect = option.rect.adjusted(3, 3, -3, -3)
        span = max(int(times[-1] - times[0]), 1)
        xs = rect.left() + (times - times[0]) / span * rect.width()
        ys = rect.bottom() - np.clip(health, 0, 100) / 100.0 * rect.height()
        painter.save()
        painter.setPen(QPen(QColor(PLOT_PENS[0]), 1))
        painter.drawPolyline(QPolygonF([QPointF(x, y) for x, y in zip(xs, ys, strict=True)]))
        painter.restore()


class QtFleetPanel(QWidget):
    """Worst first, filtered; emits ``asset_activated`` when the user picks a row."""

    asset_activated = Signal(str)

    def __init__(
        self, plant: Plant, source: HealthSource | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.plant = plant
        self.model = QtFleetModel(plant, source, self)
        self._selected: str | None = None
        self.area_filter = QComboBox()
        self.area_filter.addItem(self.tr("All areas"), None)
        for i, area in enumerate(plant.areas):
            self.area_filter.addItem(area.name, i)
        self.cause_filter = QComboBox()
        self.cause_filter.addItem(self.tr("All causes"), None)
        for i, cause in enumerate(CAUSES[1:], start=1):
            self.cause_filter.addItem(word(cause), i)
        self.count = QLabel()
        self.table = self._build_table()
        self._build_layout()
        self.area_filter.currentIndexChanged.connect(self._filter)
        self.cause_filter.currentIndexChanged.connect(self._filter)
        self.table.clicked.connect(self._picked)
        self.table.activated.connect(self._picked)
        self._show_count()

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setItemDelegateForColumn(TREND, QtSparklineDelegate(self.model, table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        rows = table.verticalHeader()
        rows.hide()
        # Fixed heights: the view never measures 10,000 rows to lay them out.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        header = table.horizontalHeader()
        for column, width in enumerate(COLUMN_WIDTHS[: len(COLUMNS)]):
            table.setColumnWidth(column, width)
        # The cause takes the spare width: a sparkline stretched wide would flatten.
        header.setSectionResizeMode(CAUSE, QHeaderView.ResizeMode.Stretch)
        return table

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 4, 4, 0)
        bar.addWidget(self.area_filter)
        bar.addWidget(self.cause_filter)
        bar.addStretch(1)
        bar.addWidget(self.count)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(bar)
        column.addWidget(self.table)

    # -- frames and selection -------------------------------------------------------------
    def update_frame(self, frame: Frame) -> None:
        """Re-rank only when the frame carries a snapshot of another time."""
        if self.model.set_health(frame.health):
            self._after_reset()

    def select(self, asset_id: str | None) -> None:
        """Highlight ``asset_id``'s row (if shown) without emitting ``asset_activated``."""
        self._selected = asset_id
        self._show_selected(scroll=True)

    def _filter(self) -> None:
        self.model.set_filters(self.area_filter.currentData(), self.cause_filter.currentData())
        self._after_reset()

    def _after_reset(self) -> None:
        self._show_selected(scroll=False)
        self._show_count()

    def _show_selected(self, scroll: bool) -> None:
        row = self.model.row_of(self._selected)
        if row is None:
            self.table.clearSelection()
            return
        self.table.selectRow(row)
        if scroll:
            self.table.scrollTo(self.model.index(row, 0))

    def _show_count(self) -> None:
        total = len(self.model.health) if self.model.health is not None else 0
        self.count.setText(
            self.tr("%s of %s assets") % (f"{self.model.rowCount():,}", f"{total:,}")
        )

    def _picked(self, index: QModelIndex) -> None:
        if index.isValid():
            asset_id = self.model.asset_at(index.row())
            self._selected = asset_id
            self.asset_activated.emit(asset_id)
