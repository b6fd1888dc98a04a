"""Keep the alarm list still under the operator's hand.

A live alarm list sorted by priority reorders itself whenever an alarm arrives or
changes; if that happens between the operator's click and Ctrl+K, the row under the
pointer is another alarm. While the pointer is over the list or a row is selected, the
rows are held: the proxy stops sorting, new alarms are added at the end, and alarms
that go back to NORMAL stay as greyed rows. When the pointer leaves and nothing is
selected, the list is filtered and sorted again.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QTableView

from app.alarms.model import ALARM_ID_ROLE, AlarmTableModel
from app.alarms.proxy import AlarmFilterProxy

_INSIDE = (QEvent.Type.Enter, QEvent.Type.MouseMove, QEvent.Type.HoverMove)


class SteadyRows(QObject):
    """Holds the rows of ``view`` (over ``proxy``) while the operator points or selects.

    ``set_model`` names the live model to hold (None: a replayed table, never held).
    ``held_changed(bool)`` reports the hold; ``added`` counts alarms that came in while
    held (they are at the end of the list, not in priority order).
    """

    held_changed = Signal(bool)

    def __init__(self, view: QTableView, proxy: AlarmFilterProxy, parent: QObject) -> None:
        super().__init__(parent)
        self.view, self.proxy = view, proxy
        self._model: AlarmTableModel | None = None
        self._inside = False
        self._held = False
        self._chosen: set[str] = set()  # alarm ids the operator selected
        self._fixing = False
        self.added = 0
        # Letting go re-filters and re-sorts the proxy: never from inside one of its own
        # updates (a selection change while it filters), so it waits for the event loop.
        self._release = QTimer(self)
        self._release.setSingleShot(True)
        self._release.setInterval(0)
        self._release.timeout.connect(self._let_go)
        view.viewport().installEventFilter(self)
        view.selectionModel().selectionChanged.connect(self._on_selection)
        proxy.rowsInserted.connect(self._on_inserted)

    @property
    def held(self) -> bool:
        return self._held

    def set_model(self, model: AlarmTableModel | None) -> None:
        if model is self._model:
            return
        if self._held:
            self._unhold()
        self._model = model
        self._chosen.clear()
        self._update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _INSIDE and not self._inside:
            self._inside = True
            self._update()
        elif kind == QEvent.Type.Leave and self._inside:
            self._inside = False
            self._update()
        return False

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._fixing:
            return
        rows = self.view.selectionModel().selectedRows()
        self._chosen = {self.proxy.data(i, ALARM_ID_ROLE) for i in rows}
        self._update()

    def _on_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        """The selection follows the alarms the operator chose: a row inserted inside a
        selected range does not join the selection."""
        if self._held:
            self.added += last - first + 1
        selection = self.view.selectionModel()
        self._fixing = True
        try:
            for row in range(first, last + 1):
                index = self.proxy.index(row, 0)
                if selection.isRowSelected(row) and index.data(ALARM_ID_ROLE) not in self._chosen:
                    flags = (
                        QItemSelectionModel.SelectionFlag.Deselect
                        | QItemSelectionModel.SelectionFlag.Rows
                    )
                    selection.select(index, flags)
        finally:
            self._fixing = False
        if self._held:
            self.held_changed.emit(True)  # the count of added alarms changed

    def _wanted(self) -> bool:
        return self._model is not None and (self._inside or bool(self._chosen))

    def _update(self) -> None:
        """Hold at once; let go from the event loop."""
        wanted = self._wanted()
        if wanted and not self._held:
            self._hold()
        elif not wanted and self._held:
            self._release.start()

    def _let_go(self) -> None:
        if self._held and not self._wanted():
            self._unhold()

    def _hold(self) -> None:
        self._held = True
        self.added = 0
        self.proxy.setDynamicSortFilter(False)
        if self._model is not None:
            self._model.set_hold(True)
        self.held_changed.emit(True)

    def _unhold(self) -> None:
        self._held = False
        if self._model is not None:
            self._model.set_hold(False)
        self.proxy.refilter()
        self.proxy.setDynamicSortFilter(True)  # sorts again
        self.held_changed.emit(False)
