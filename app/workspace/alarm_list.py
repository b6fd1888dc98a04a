"""The alarm list's part of a workspace: its filters (area, priority, states, text) and
its sort, read from the list's widgets and set back through them."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.alarms.model import Column
from app.alarms.table import QtAlarmTable
from app.workspace.model import AlarmListState


def capture_alarm_list(table: QtAlarmTable) -> AlarmListState:
    """The filters and sort the alarm list shows now."""
    bar = table.filters
    states = bar.state_choices[max(bar.state_combo.currentIndex(), 0)]
    header = table.view.horizontalHeader()
    section = header.sortIndicatorSection()
    column = Column(section).name if 0 <= section < len(Column) else None
    descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    return AlarmListState(
        area=bar.area_combo.currentData(),
        priority=bar.priority_combo.currentData(),
        states=None if states is None else tuple(sorted(s.name for s in states)),
        text=bar.search.text(),
        sort_column=column,
        sort_order="descending" if descending else "ascending",
    )


def apply_alarm_list(table: QtAlarmTable, state: AlarmListState) -> list[str]:
    """Set the list's filters and sort; a filter that does not apply here (an area this
    plant does not have, a state set the list does not offer) is left as it is and named
    in the problems returned."""
    bar, problems = table.filters, []
    for combo, value, field in (
        (bar.area_combo, state.area, "area"),
        (bar.priority_combo, state.priority, "priority"),
    ):
        index = combo.findData(value) if value is not None else 0
        if index < 0:
            problems.append(f"view.alarms.{field}: {value!r} is not offered here")
        else:
            combo.setCurrentIndex(index)
    wanted = None if state.states is None else set(state.states)
    choices = [None if c is None else {s.name for s in c} for c in bar.state_choices]
    if wanted in choices:
        bar.state_combo.setCurrentIndex(choices.index(wanted))
    else:
        problems.append(f"view.alarms.states: {sorted(wanted or [])} is not a filter offered here")
    bar.search.setText(state.text)
    if state.sort_column is not None:
        if state.sort_column in Column.__members__:
            order = (
                Qt.SortOrder.DescendingOrder
                if state.sort_order == "descending"
                else Qt.SortOrder.AscendingOrder
            )
            table.view.sortByColumn(Column[state.sort_column], order)
        else:
            problems.append(f"view.alarms.sort_column: no column {state.sort_column!r}")
    return problems
