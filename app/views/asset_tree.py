"""Areas and their assets, with a state swatch per asset and a filter box."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.core_text import word
from app.frame.builder import Frame
from app.theme import state_qcolor
from twin.plant.model import Plant
from twin.status import State

ASSET_ROLE = Qt.ItemDataRole.UserRole
BULK_CHANGES = 64  # more state changes than this in one frame are applied in bulk


def _swatch(colour: QColor) -> QIcon:
    pix = QPixmap(12, 12)
    pix.fill(colour)
    return QIcon(pix)


class QtAssetTree(QWidget):
    """Emits ``asset_activated`` when the user selects an asset."""

    asset_activated = Signal(str)
    area_activated = Signal(str)  # an area's name: the user clicked the area itself

    def __init__(self, plant: Plant, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plant = plant
        self._icons = {state: _swatch(state_qcolor(state)) for state in State}
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter assets (Ctrl+F)"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Asset"), self.tr("Kind")])
        self.tree.itemSelectionChanged.connect(self._on_selection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        self._items: list[QTreeWidgetItem] = []
        self._wanted_width = 0
        self._states = np.full(len(plant.assets), -1, dtype=np.int8)
        self._build()

    def _build(self) -> None:
        areas = {area.id: QTreeWidgetItem(self.tree, [area.name, ""]) for area in self.plant.areas}
        for asset in self.plant.assets:
            item = QTreeWidgetItem(areas[asset.area_id], [asset.name, word(asset.kind)])
            item.setData(0, ASSET_ROLE, asset.id)
            item.setIcon(0, self._icons[State.NO_DATA])
            item.setToolTip(
                0,
                f"{asset.name}\n{asset.id} · " + self.tr("%n signal(s)", "", len(asset.signals)),
            )
            self._items.append(item)
        self.tree.expandAll()
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Columns as wide as their names and kinds (up to a limit), so nothing is cut.
        Qt measures at most ``resizeContentsPrecision`` rows (1,000), whatever the plant."""
        for column in (0, 1):
            self.tree.resizeColumnToContents(column)
        self.tree.setColumnWidth(0, min(self.tree.columnWidth(0) + 8, 360))
        self._wanted_width = min(self.tree.columnWidth(0) + self.tree.columnWidth(1) + 24, 440)

    def sizeHint(self) -> QSize:
        """As wide as the columns (the dock starts there; the user may narrow it)."""
        hint = super().sizeHint()
        return QSize(max(hint.width(), self._wanted_width), hint.height())

    def item_of(self, asset_id: str) -> QTreeWidgetItem | None:
        for item in self._items:
            if item.data(0, ASSET_ROLE) == asset_id:
                return item
        return None

    def select(self, asset_id: str | None) -> None:
        """Select ``asset_id`` in the tree without emitting ``asset_activated``."""
        item = self.item_of(asset_id) if asset_id else None
        self.tree.blockSignals(True)
        self.tree.clearSelection()
        if item is not None:
            item.setSelected(True)
            self.tree.scrollToItem(item)
        self.tree.blockSignals(False)

    def update_frame(self, frame: Frame) -> None:
        changed = np.flatnonzero(frame.asset_states != self._states)
        if changed.size == 0:
            return
        # Each setIcon tells the view on its own (~90 us each): 10,000 motors turning
        # from "no data" to normal at start took a second. Icons change no layout, so
        # many changes go in silently and the view repaints once.
        model = self.tree.model()
        quiet = changed.size > BULK_CHANGES
        blocked = model.blockSignals(True) if quiet else False
        try:
            for i in changed.tolist():
                self._items[i].setIcon(0, self._icons[State(int(frame.asset_states[i]))])
        finally:
            if quiet:
                model.blockSignals(blocked)
                self.tree.viewport().update()
        self._states = frame.asset_states.copy()

    def _on_selection(self) -> None:
        selected = self.tree.selectedItems()
        if not selected:
            return
        asset_id = selected[0].data(0, ASSET_ROLE)
        if asset_id:
            self.asset_activated.emit(asset_id)
        else:
            self.area_activated.emit(selected[0].text(0))

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for item in self._items:
            hay = f"{item.text(0)} {item.text(1)} {item.data(0, ASSET_ROLE)}".lower()
            item.setHidden(bool(needle) and needle not in hay)
