"""The alarm list's filter and sort: a proxy over ``AlarmTableModel`` that orders rows
with numpy over the model's precomputed keys (``app.alarms.rows``).

A header click or a keystroke in the search field is a few vectorised passes over 60,000
rows; Qt's own ``QSortFilterProxyModel`` would call back into Python for every
comparison. Rows the model adds arrive at the end and, while sorting is dynamic, the
list is sorted again; while the operator holds the list (``setDynamicSortFilter(False)``)
they stay at the end and nothing moves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from app.alarms.model import ALARM_ID_ROLE, AlarmTableModel, Column
from app.alarms.rows import STATE_RANK, RowKeys
from twin.alarms import AlarmState, Priority

_Index = QModelIndex | QPersistentModelIndex
_FLASH_ROLES = {int(Qt.ItemDataRole.BackgroundRole), int(Qt.ItemDataRole.ForegroundRole)}
# Column -> its key column in RowKeys; ties by priority, then the time raised.
_TEXT_KEY = {
    Column.ASSET: "asset",
    Column.SIGNAL: "signal",
    Column.KIND: "kind",
    Column.ACKED_BY: "acked",
    Column.COMMENT: "comment",
}
_NUM_KEY = {
    Column.STATE: "rank",
    Column.VALUE: "value",
    Column.SHELVED_UNTIL: "shelved",
}


def sort_order(keys: RowKeys, column: int, descending: bool) -> np.ndarray:
    """Model rows in the order of ``column`` (ties by priority, then time raised)."""
    prio, raised = keys.array("prio"), keys.array("raised")
    col = Column(column)
    if col is Column.PRIORITY:
        order = np.lexsort((raised, prio))
    elif col is Column.RAISED:
        order = np.lexsort((prio, raised))
    elif col in _TEXT_KEY:
        order = np.lexsort((raised, prio, keys.codes(_TEXT_KEY[col])))
    else:
        order = np.lexsort((raised, prio, keys.array(_NUM_KEY[col])))
    return order[::-1] if descending else order


class AlarmFilterProxy(QAbstractProxyModel):
    """Filters an ``AlarmTableModel`` by area (given a map asset id -> area), priority,
    state and a case-insensitive text found in the alarm id, asset, signal, kind, area,
    acknowledging user or comment; sorts by the column clicked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._areas: Mapping[str, str] = {}
        self._area: str | None = None
        self._priorities: frozenset[Priority] | None = None
        self._states: frozenset[AlarmState] | None = None
        self._text = ""
        self._column, self._order = -1, Qt.SortOrder.AscendingOrder
        self._dynamic = True
        self._perm = np.empty(0, np.intp)  # proxy row -> source row
        self._inv = np.empty(0, np.intp)  # source row -> proxy row, -1 when filtered out
        self._area_cache: tuple[int, np.ndarray] | None = None
        self._links: list[tuple[Any, Any]] = []  # (source signal, slot)

    # --- source --------------------------------------------------------------------------

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        assert isinstance(model, AlarmTableModel)
        self.beginResetModel()
        old = self.sourceModel()
        if old is not None:
            for signal, slot in self._links:
                signal.disconnect(slot)
        super().setSourceModel(model)
        self._links = [
            (model.rowsAboutToBeRemoved, self._on_removing),
            (model.rowsRemoved, self._on_removed),
            (model.rowsInserted, self._on_inserted),
            (model.dataChanged, self._on_data),
            (model.modelAboutToBeReset, self.beginResetModel),
            (model.modelReset, self._on_reset),
        ]
        for signal, slot in self._links:
            signal.connect(slot)
        self._area_cache = None
        self._perm = self._wanted_order()
        self._reinverse()
        self.endResetModel()

    def alarm_model(self) -> AlarmTableModel:
        model = self.sourceModel()
        assert isinstance(model, AlarmTableModel)
        return model

    # --- filters -------------------------------------------------------------------------

    def set_areas(self, asset_area: Mapping[str, str]) -> None:
        """Which area each asset is in (asset id -> area id)."""
        self._areas, self._area_cache = dict(asset_area), None
        self._relayout()

    def set_area(self, area: str | None) -> None:
        """Show only alarms of assets in ``area`` (None: every area)."""
        self._area = area
        self._relayout()

    def set_priorities(self, priorities: Iterable[Priority] | None) -> None:
        self._priorities = None if priorities is None else frozenset(priorities)
        self._relayout()

    def set_states(self, states: Iterable[AlarmState] | None) -> None:
        self._states = None if states is None else frozenset(states)
        self._relayout()

    def set_text(self, text: str) -> None:
        self._text = text.strip().lower()
        self._relayout()

    def refilter(self) -> None:
        """Filter and sort every row again (after a time without dynamic sorting)."""
        self._relayout()

    def setDynamicSortFilter(self, enable: bool) -> None:
        """False: rows keep their places as they change; new rows go to the end."""
        self._dynamic = enable

    def dynamicSortFilter(self) -> bool:
        return self._dynamic

    def visible_ids(self) -> list[str]:
        """The alarm ids that pass the filters, in view order."""
        ids: list[str] = self.alarm_model().keys.array("aid")[self._perm].tolist()
        return ids

    def _row_areas(self) -> np.ndarray:
        """The area of each model row (cached until the rows or the map change)."""
        keys = self.alarm_model().keys
        if self._area_cache is None or self._area_cache[0] != keys.rows:
            assets = keys.array("asset_id")
            if assets.size:
                unique, codes = np.unique(assets, return_inverse=True)
                areas = np.array([self._areas.get(a, "") for a in unique.tolist()], dtype=object)
                found = areas[codes]
            else:
                found = np.empty(0, object)
            self._area_cache = (keys.rows, found)
        return self._area_cache[1]

    def _accepted(self) -> np.ndarray:
        keys = self.alarm_model().keys
        ok = np.ones(len(keys), bool)
        if self._area is not None:
            ok &= self._row_areas() == self._area
        if self._priorities is not None:
            ok &= np.isin(keys.array("prio"), [int(p) for p in self._priorities])
        if self._states is not None:
            ok &= np.isin(keys.array("rank"), [STATE_RANK[s] for s in self._states])
        if self._text:
            text, hay = self._text, keys.array("hay")
            hit = np.char.find(hay, text) >= 0
            if self._area is None and self._areas:  # the area's id matches too
                named = [a for a in set(self._areas.values()) if text in a.lower()]
                if named:
                    hit |= np.isin(self._row_areas(), np.array(named, dtype=object))
            ok &= hit
        return ok

    def _wanted_order(self) -> np.ndarray:
        keys = self.alarm_model().keys
        ok = self._accepted()
        if self._column < 0:
            return np.flatnonzero(ok)
        order = sort_order(keys, self._column, self._order is Qt.SortOrder.DescendingOrder)
        return order[ok[order]]

    def _reinverse(self) -> None:
        self._inv = np.full(len(self.alarm_model().keys), -1, np.intp)
        self._inv[self._perm] = np.arange(self._perm.shape[0])

    # --- sorting -------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._column, self._order = column, order
        self._relayout()

    def sortColumn(self) -> int:
        return self._column

    def sortOrder(self) -> Qt.SortOrder:
        return self._order

    def _relayout(self, perm: np.ndarray | None = None) -> None:
        """Move to the wanted rows and order as one layout change; persistent indexes
        (the selection, the current row) follow their alarms."""
        if self.sourceModel() is None:
            return
        new = self._wanted_order() if perm is None else perm
        if np.array_equal(new, self._perm):
            return
        self.layoutAboutToBeChanged.emit()
        old_perm = self._perm
        self._perm = new
        self._reinverse()
        olds = self.persistentIndexList()
        news = []
        for i in olds:
            row = self._inv[old_perm[i.row()]] if 0 <= i.row() < old_perm.shape[0] else -1
            news.append(self.index(int(row), i.column()) if row >= 0 else QModelIndex())
        self.changePersistentIndexList(olds, news)
        self.layoutChanged.emit()

    # --- source changes ------------------------------------------------------------------

    def _on_reset(self) -> None:
        self._perm = self._wanted_order()
        self._reinverse()
        self.endResetModel()

    def _on_removing(self, _parent: QModelIndex, first: int, last: int) -> None:
        rows = self._inv[first : last + 1]
        for run in reversed(_runs(np.sort(rows[rows >= 0]))):
            self.beginRemoveRows(QModelIndex(), run[0], run[-1])
            self._perm = np.delete(self._perm, np.arange(run[0], run[-1] + 1))
            self.endRemoveRows()

    def _on_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        self._perm = self._perm - (last - first + 1) * (self._perm > last)
        self._reinverse()

    def _on_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        count = last - first + 1
        self._perm = self._perm + count * (self._perm >= first)
        self._reinverse()
        ok = self._accepted()[first : last + 1]
        added = np.flatnonzero(ok) + first
        if added.size:
            n = self._perm.shape[0]
            self.beginInsertRows(QModelIndex(), n, n + added.size - 1)
            self._perm = np.concatenate((self._perm, added))
            self._reinverse()
            self.endInsertRows()
        if self._dynamic:
            self._relayout()

    def _on_data(self, top: QModelIndex, bottom: QModelIndex, roles: Sequence[int] = ()) -> None:
        if self._dynamic and not (roles and set(roles) <= _FLASH_ROLES):
            self._relayout()
        rows = self._inv[top.row() : bottom.row() + 1]
        rows = rows[rows >= 0]
        if rows.size:
            first, last = int(rows.min()), int(rows.max())
            self.dataChanged.emit(
                self.index(first, top.column()), self.index(last, bottom.column()), roles
            )

    # --- the Qt proxy API ----------------------------------------------------------------

    def mapToSource(self, index: _Index) -> QModelIndex:
        if not index.isValid() or index.row() >= self._perm.shape[0]:
            return QModelIndex()
        return self.alarm_model().index(int(self._perm[index.row()]), index.column())

    def mapFromSource(self, index: _Index) -> QModelIndex:
        if not index.isValid() or index.row() >= self._inv.shape[0]:
            return QModelIndex()
        row = int(self._inv[index.row()])
        return self.index(row, index.column()) if row >= 0 else QModelIndex()

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < self._perm.shape[0] and 0 <= column < len(Column)):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: _Index | None = None) -> QModelIndex:  # type: ignore[override]
        return QModelIndex()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else int(self._perm.shape[0])

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == ALARM_ID_ROLE and index.isValid() and index.row() < self._perm.shape[0]:
            return self.alarm_model().keys.array("aid")[self._perm[index.row()]]
        return super().data(index, role)


def _runs(rows: np.ndarray) -> list[list[int]]:
    """Sorted row numbers as runs of consecutive rows."""
    out: list[list[int]] = []
    for r in rows.tolist():
        if out and r == out[-1][-1] + 1:
            out[-1].append(r)
        else:
            out.append([r])
    return out
