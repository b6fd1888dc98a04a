"""The operator's alarm list: filters, a sortable table and the ISA-18.2 actions."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.alarms.bridge import AlarmBridge
from app.alarms.common import default_operator, format_time
from app.alarms.model import ALARM_ID_ROLE, AlarmFilterProxy, AlarmTableModel, Column
from app.alarms.shelve_dialog import QtShelveUntilDialog
from app.frame.builder import Frame
from db import HistoryError
from db.journal import Journal
from twin.alarms import AlarmEvent, AlarmState, AlarmTable, Priority
from twin.alarms.model import UNACKED_STATES
from twin.timebase import NS_PER_S

SHELVE_CHOICES_S = (15 * 60, 3600, 8 * 3600)
ACK_SHORTCUT = "Ctrl+K"
COLUMN_WIDTHS = {Column.PRIORITY: 80, Column.STATE: 170, Column.RAISED: 150, Column.KIND: 70}
REPLAY_REFRESH_S = 0.2  # while replaying, read the journal at most this often


class QtAlarmTable(QWidget):
    """The alarm list of one ``AlarmTable`` (live) or of a journal at a time (replay).

    Live, it starts from ``bridge.snapshot()`` and folds in ``bridge.events``; actions
    call the table's methods with ``operator`` as the user (the events come back through
    the bridge). ``set_read_only(True)`` is replay: actions are off, live events are
    ignored and ``show_at(t)`` / ``update_frame`` show ``journal.states_at(t)``.
    The widget feeds ``model`` (pass a shared one for the banner; nothing else should
    apply events to it). Double-clicking a row emits ``asset_activated(asset id)``. Call
    ``close()`` when the window closes: it stops the flash timer and unsubscribes.
    """

    asset_activated = Signal(str)

    def __init__(
        self,
        table: AlarmTable | None = None,
        *,
        bridge: AlarmBridge | None = None,
        journal: Journal | None = None,
        model: AlarmTableModel | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if bridge is None and table is not None:
            bridge, self._own_bridge = AlarmBridge(table, self), True
        else:
            self._own_bridge = False
        self.table = table if table is not None else (bridge.table if bridge else None)
        self.bridge = bridge
        self.journal = journal
        self.model = model if model is not None else AlarmTableModel(self)
        self.proxy = AlarmFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._operator = default_operator()
        self._read_only = self.table is None
        self._closed = False
        self._shown_at: int | None = None
        self._last_query = -1e9
        self._state_filters: list[frozenset[AlarmState] | None] = []
        self._build_filters()
        self._build_view()
        self._build_actions()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._filter_bar)
        layout.addWidget(self.view, 1)
        layout.addLayout(self._action_bar)
        if self.bridge is not None:
            self.bridge.events.connect(self._on_live_events)
            self.model.set_statuses(self.bridge.snapshot())
        self._update_enabled()

    # --- building ------------------------------------------------------------------------

    def _build_filters(self) -> None:
        self.area_combo = QComboBox()
        self.area_combo.addItem(self.tr("All areas"), None)
        self.area_combo.currentIndexChanged.connect(
            lambda: self.proxy.set_area(self.area_combo.currentData())
        )
        self.priority_combo = QComboBox()
        self.priority_combo.addItem(self.tr("All priorities"), None)
        for p in sorted(Priority, reverse=True):
            self.priority_combo.addItem(self.model.priority_names[p], int(p))
        self.priority_combo.currentIndexChanged.connect(self._on_priority)
        self.state_combo = QComboBox()
        S = AlarmState
        for label, states in (
            (self.tr("All states"), None),
            (self.tr("Unacknowledged"), frozenset(UNACKED_STATES)),
            (self.tr("Active"), frozenset({S.UNACK_ACTIVE, S.ACK_ACTIVE})),
            (self.tr("Shelved"), frozenset({S.SHELVED})),
            (self.tr("Out of service"), frozenset({S.OUT_OF_SERVICE})),
        ):
            self.state_combo.addItem(label)
            self._state_filters.append(states)
        self.state_combo.currentIndexChanged.connect(
            lambda i: self.proxy.set_states(self._state_filters[i])
        )
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search alarms"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        bar = QHBoxLayout()
        for w in (self.area_combo, self.priority_combo, self.state_combo):
            bar.addWidget(w)
        bar.addWidget(self.search, 1)
        self._filter_bar = bar

    def _build_view(self) -> None:
        view = QTableView()
        view.setModel(self.proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(Column.PRIORITY, Qt.SortOrder.DescendingOrder)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setStretchLastSection(True)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.setWordWrap(False)
        for column, width in COLUMN_WIDTHS.items():
            view.horizontalHeader().resizeSection(column, width)
        view.doubleClicked.connect(self._on_double_click)
        view.selectionModel().selectionChanged.connect(self._update_enabled)
        self.view = view

    def _build_actions(self) -> None:
        self.ack_button = QPushButton(self.tr("Acknowledge selected"))
        self.ack_button.setToolTip(
            self.tr("Acknowledge the selected alarms (%1)").replace("%1", ACK_SHORTCUT)
        )
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.ack_all_button = QPushButton(self.tr("Acknowledge all visible"))
        self.ack_all_button.clicked.connect(self.acknowledge_visible)
        self.shelve_menu = QMenu(self)
        self.shelve_actions: dict[object, QAction] = {}
        for seconds, label in zip(
            SHELVE_CHOICES_S,
            (self.tr("15 minutes"), self.tr("1 hour"), self.tr("8 hours")),
            strict=True,
        ):
            self._menu_action(seconds, label, self._shelve_for(seconds))
        self._menu_action("until", self.tr("Until…"), self._ask_shelve_until)
        self.shelve_menu.addSeparator()
        self._menu_action("unshelve", self.tr("Unshelve"), self.unshelve_selected)
        self.shelve_button = QPushButton(self.tr("Shelve…"))
        self.shelve_button.setMenu(self.shelve_menu)
        self.comment_button = QPushButton(self.tr("Comment…"))
        self.comment_button.clicked.connect(self._ask_comment)
        self.service_button = QPushButton(self.tr("Out of service / Return"))
        self.service_button.clicked.connect(self._ask_service)
        self.mode_label = QLabel()
        self.message = QLabel()
        self.message.setStyleSheet("color: #8c9196")
        bar = QHBoxLayout()
        for b in (self.ack_button, self.ack_all_button, self.shelve_button):
            bar.addWidget(b)
        bar.addWidget(self.comment_button)
        bar.addWidget(self.service_button)
        bar.addWidget(self.message, 1)
        bar.addWidget(self.mode_label)
        self._action_bar = bar
        self.ack_shortcut = QShortcut(QKeySequence(ACK_SHORTCUT), self)
        self.ack_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.ack_shortcut.activated.connect(self.acknowledge_selected)

    def _shelve_for(self, seconds: int) -> Callable[[], object]:
        return lambda: self.shelve_selected(seconds)

    def _menu_action(self, key: object, label: str, slot: Callable[[], object]) -> None:
        action = self.shelve_menu.addAction(label)
        action.triggered.connect(slot)
        self.shelve_actions[key] = action

    def _on_priority(self) -> None:
        data = self.priority_combo.currentData()
        self.proxy.set_priorities(None if data is None else [Priority(int(data))])

    # --- settings ------------------------------------------------------------------------

    @property
    def operator(self) -> str:
        """The name written with every action (default: the OS user name)."""
        return self._operator

    @operator.setter
    def operator(self, name: str) -> None:
        self._operator = name.strip() or default_operator()

    def set_areas(
        self, asset_area: Mapping[str, str], area_names: Mapping[str, str] | None = None
    ) -> None:
        """Area of each asset (asset id -> area id) and the areas' display names."""
        self.proxy.set_areas(asset_area)
        names = dict(area_names or {})
        self.area_combo.blockSignals(True)
        self.area_combo.clear()
        self.area_combo.addItem(self.tr("All areas"), None)
        for area in sorted(set(asset_area.values()), key=lambda a: names.get(a, a)):
            self.area_combo.addItem(names.get(area, area), area)
        self.area_combo.blockSignals(False)
        self.proxy.set_area(None)

    def set_read_only(self, read_only: bool) -> None:
        """Replay (True): no actions, live events ignored; live (False): back to the
        live table. Always read-only without an ``AlarmTable``."""
        read_only = read_only or self.table is None
        if read_only == self._read_only:
            return
        self._read_only = read_only
        if not read_only:
            self._shown_at = None
            self.mode_label.setText("")
            if self.bridge is not None:
                self.model.set_statuses(self.bridge.snapshot())
        self._update_enabled()

    @property
    def read_only(self) -> bool:
        return self._read_only

    # --- replay --------------------------------------------------------------------------

    def show_at(self, t_ns: int) -> None:
        """Replay: show the journal's alarm table as it stood at ``t_ns``."""
        self.set_read_only(True)
        self._shown_at, self._last_query = t_ns, time.monotonic()
        text = self.tr("Replay: alarms at %1").replace("%1", format_time(t_ns))
        if self.journal is not None:
            try:
                self.model.set_statuses(self.journal.states_at(t_ns))
            except HistoryError as exc:  # keep the last table; say why it is not current
                text = str(exc)
        self.mode_label.setText(text)

    def update_frame(self, frame: Frame) -> None:
        """Live frames keep the live table; replayed ones show the journal at the cursor
        (read at most every ``REPLAY_REFRESH_S``; a later frame catches up)."""
        if frame.live:
            self.set_read_only(False)
        elif (
            self.journal is not None
            and frame.cursor_ns != self._shown_at
            and time.monotonic() - self._last_query >= REPLAY_REFRESH_S
        ):
            self.show_at(frame.cursor_ns)

    def _on_live_events(self, events: list[AlarmEvent]) -> None:
        if not self._read_only:
            self.model.apply_events(events)

    # --- selection and actions -----------------------------------------------------------

    def selected_ids(self) -> list[str]:
        rows = self.view.selectionModel().selectedRows()
        return [self.proxy.data(i, ALARM_ID_ROLE) for i in sorted(rows, key=QModelIndex.row)]

    def _act(
        self, ids: list[str], do: Callable[[AlarmTable, str], object], done: Callable[[int], str]
    ) -> int:
        """Run ``do(table, alarm id)`` for each id; report how many changed."""
        if self._read_only or self.table is None or not ids:
            return 0
        changed = 0
        for aid in ids:
            try:
                changed += do(self.table, aid) is not None
            except (KeyError, ValueError) as exc:  # an alarm of a removed rule, a past shelf
                self.message.setText(str(exc))
                return changed
        self.message.setText(done(changed))
        return changed

    def acknowledge_selected(self) -> int:
        """Acknowledge the selected alarms; returns how many were acknowledged."""
        return self._act(
            self.selected_ids(),
            lambda t, a: t.acknowledge(a, self.operator),
            lambda n: self.tr("Acknowledged %n alarm(s)", "", n),
        )

    def acknowledge_visible(self) -> int:
        """Acknowledge every unacknowledged alarm that passes the filters."""
        ids = [
            a for a in self.proxy.visible_ids() if self.model.statuses[a].state in UNACKED_STATES
        ]
        return self._act(
            ids,
            lambda t, a: t.acknowledge(a, self.operator),
            lambda n: self.tr("Acknowledged %n alarm(s)", "", n),
        )

    def shelve_selected(
        self,
        duration_s: float | None = None,
        *,
        until_ns: int | None = None,
        comment: str | None = None,
    ) -> int:
        """Shelve the selected alarms for ``duration_s`` or until ``until_ns``."""
        if self.table is None:
            return 0
        if until_ns is None:
            until_ns = self.table.clock() + round((duration_s or SHELVE_CHOICES_S[0]) * NS_PER_S)
        until = until_ns
        return self._act(
            self.selected_ids(),
            lambda t, a: t.shelve(a, self.operator, until, comment),
            lambda n: self.tr("Shelved %n alarm(s)", "", n),
        )

    def unshelve_selected(self) -> int:
        return self._act(
            self.selected_ids(),
            lambda t, a: t.unshelve(a, self.operator),
            lambda n: self.tr("Unshelved %n alarm(s)", "", n),
        )

    def comment_selected(self, text: str) -> int:
        return self._act(
            self.selected_ids(),
            lambda t, a: t.comment(a, self.operator, text),
            lambda n: self.tr("Commented %n alarm(s)", "", n),
        )

    def toggle_service_selected(self, comment: str | None = None) -> int:
        """Return the selection to service when all of it is out of service; otherwise
        remove the selected alarms from service."""
        ids = self.selected_ids()
        states = [self.model.statuses[a].state for a in ids if a in self.model.statuses]
        if ids and all(s is AlarmState.OUT_OF_SERVICE for s in states):
            return self._act(
                ids,
                lambda t, a: t.return_to_service(a, self.operator, comment),
                lambda n: self.tr("Returned %n alarm(s) to service", "", n),
            )
        return self._act(
            ids,
            lambda t, a: t.remove_from_service(a, self.operator, comment),
            lambda n: self.tr("Took %n alarm(s) out of service", "", n),
        )

    # --- dialogs -------------------------------------------------------------------------

    def _ask_text(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label)
        return text if ok else None

    def _ask_shelve_until(self) -> None:
        if self.table is None or not self.selected_ids():
            return
        dialog = QtShelveUntilDialog(self.table.clock(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            reason = dialog.reason.text().strip() or None
            self.shelve_selected(until_ns=dialog.until_ns(), comment=reason)

    def _ask_comment(self) -> None:
        if not self.selected_ids():
            return
        text = self._ask_text(self.tr("Comment"), self.tr("Comment on the selected alarms:"))
        if text and text.strip():
            self.comment_selected(text.strip())

    def _ask_service(self) -> None:
        if not self.selected_ids():
            return
        reason = self._ask_text(self.tr("Out of service / Return"), self.tr("Reason:"))
        if reason is not None:
            self.toggle_service_selected(reason.strip() or None)

    # --- events --------------------------------------------------------------------------

    def _update_enabled(self) -> None:
        live = not self._read_only
        selected = live and self.view.selectionModel().hasSelection()
        for b in (self.ack_button, self.shelve_button, self.comment_button, self.service_button):
            b.setEnabled(selected)
        self.ack_all_button.setEnabled(live)
        self.ack_shortcut.setEnabled(live)

    def _on_double_click(self, index: QModelIndex) -> None:
        aid = self.proxy.data(index, ALARM_ID_ROLE)
        status = self.model.statuses.get(aid)
        if status is not None:
            self.asset_activated.emit(status.asset_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.model.close()
        if self.bridge is not None and not self._closed:
            self._closed = True
            self.bridge.events.disconnect(self._on_live_events)
            if self._own_bridge:
                self.bridge.close()
        super().closeEvent(event)
