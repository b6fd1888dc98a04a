"""The selected asset's current values, units and states. An int64 signal (a counter, an
energy meter) shows its exact integer, never a rounded float."""

from __future__ import annotations

import math

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.frame.builder import Frame
from app.i18n import QT_TRANSLATE_NOOP
from app.theme import state_qcolor
from twin.plant.model import Plant
from twin.status import State
from twin.values import exact_of, format_exact

STATE_NAMES = {
    State.NORMAL: QT_TRANSLATE_NOOP("QtValuesTable", "normal"),
    State.NO_DATA: QT_TRANSLATE_NOOP("QtValuesTable", "no data"),
    State.WARNING: QT_TRANSLATE_NOOP("QtValuesTable", "warning"),
    State.ALARM: QT_TRANSLATE_NOOP("QtValuesTable", "alarm"),
}


def format_value(value: float) -> str:
    """A reading with sensible precision for a control-room display."""
    if math.isnan(value):
        return "—"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.1f}"
    return f"{value:.2f}"


class QtValuesTable(QTableWidget):
    """Signal | value | unit | state, for the selected asset."""

    def __init__(self, plant: Plant, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.plant = plant
        self._index = {s.id: i for i, s in enumerate(plant.signals)}
        self._rows: list[int] = []  # plant signal index of each row
        self.setHorizontalHeaderLabels(
            [self.tr("Signal"), self.tr("Value"), self.tr("Unit"), self.tr("State")]
        )
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.setMinimumWidth(330)
        self.setToolTip(self.tr("Current values of the selected asset"))

    def set_asset(self, asset_id: str | None) -> None:
        signals = self.plant.asset(asset_id).signals if asset_id else ()
        self._rows = [self._index[s.id] for s in signals]
        self.setRowCount(len(signals))
        for row, signal in enumerate(signals):
            self.setItem(row, 0, QTableWidgetItem(signal.name))
            self.setItem(row, 1, QTableWidgetItem("—"))
            self.setItem(row, 2, QTableWidgetItem(signal.unit))
            self.setItem(row, 3, QTableWidgetItem(""))

    def update_frame(self, frame: Frame) -> None:
        for row, index in enumerate(self._rows):
            state = State(int(frame.signal_states[index]))
            value_item, state_item = self.item(row, 1), self.item(row, 3)
            if value_item is None or state_item is None:
                continue
            exact = exact_of(frame.values, index)
            if exact is not None:
                value_item.setText(format_exact(exact))
            else:
                value_item.setText(format_value(float(frame.values[index])))
            state_item.setText(self.tr(STATE_NAMES[state]))
            state_item.setForeground(state_qcolor(state))
