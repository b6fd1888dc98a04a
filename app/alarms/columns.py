"""Column widths of the alarm list: wide enough for their header and their usual text
(times, state words, names seen so far), so that nothing readable is cut off."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from app.alarms.common import format_time, priority_names, state_names
from app.alarms.model import AlarmTableModel, Column

PADDING = 18  # cell margins and the grid line
SORT_ARROW = 22  # the header's sort indicator
MAX_GROWN = 280  # names longer than this are elided in the middle
MAX_MEASURED = 500  # rows measured per insertion: a flood need not be measured in full
GROWING = (Column.ASSET, Column.SIGNAL, Column.ACKED_BY)  # widths follow the names seen


def fit_columns(view: QTableView, model: AlarmTableModel) -> None:
    """Set every column but the last (the comment, which stretches) to its text."""
    fm, header = view.fontMetrics(), view.horizontalHeader()
    sample_time = format_time(1_764_763_200_000_000_000)  # a date with two-digit fields
    samples: dict[Column, list[str]] = {
        Column.PRIORITY: list(priority_names().values()),
        Column.STATE: list(state_names().values()),
        Column.RAISED: [sample_time],
        Column.ASSET: ["M00"],
        Column.SIGNAL: ["M00.current"],
        Column.KIND: ["NO_DATA"],
        Column.VALUE: ["-12,345.6"],
        Column.ACKED_BY: [],
        Column.SHELVED_UNTIL: [sample_time],
    }
    hfm = header.fontMetrics()
    for column, texts in samples.items():
        title = str(model.headerData(column, Qt.Orientation.Horizontal))
        width = hfm.horizontalAdvance(title) + PADDING + SORT_ARROW
        width = max([width, *(fm.horizontalAdvance(t) + PADDING for t in texts)])
        header.resizeSection(column, width)
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # ids keep both ends readable


def grow_columns(view: QTableView, model: AlarmTableModel, first: int, last: int) -> None:
    """Widen the name columns for rows ``first``..``last`` of ``model`` (never narrower,
    so a column does not jump while the operator reads it; at most ``MAX_GROWN``)."""
    fm, header = view.fontMetrics(), view.horizontalHeader()
    for column in GROWING:
        widest = max(
            (
                fm.horizontalAdvance(str(model.index(row, column, QModelIndex()).data() or ""))
                for row in range(first, min(last, first + MAX_MEASURED - 1) + 1)
            ),
            default=0,
        )
        wanted = min(widest + PADDING, MAX_GROWN)
        if wanted > header.sectionSize(column):
            header.resizeSection(column, wanted)
