"""The operator's alarm list: filters, a sortable table and the ISA-18.2 actions."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QInputDialog,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.alarms.action_bar import ACK_SHORTCUT, SHELVE_CHOICES_S, QtAlarmActionBar
from app.alarms.bridge import AlarmBridge
from app.alarms.columns import fit_columns, grow_columns
from app.alarms.common import format_time
from app.alarms.filter_bar import QtAlarmFilterBar
from app.alarms.model import ALARM_ID_ROLE, AlarmTableModel, Column
from app.alarms.operator import Operator
from app.alarms.proxy import AlarmFilterProxy
from app.alarms.shelve_dialog import QtShelveUntilDialog
from app.alarms.steady import SteadyRows
from app.frame.builder import Frame
from db import HistoryError
from db.journal import Journal
from twin.alarms import AlarmEvent, AlarmState, AlarmTable
from twin.alarms.model import UNACKED_STATES
from twin.timebase import NS_PER_S

REPLAY_REFRESH_S = 0.2  # while replaying, read the journal at most this often
MIN_ROWS = 6  # the list never shrinks below this many rows: alarms must stay in sight
UNDO_GRACE_S = 120  # an acknowledgement this recent is taken back without a reason


class QtAlarmTable(QWidget):
    """The alarm list of one ``AlarmTable`` (live) or of a journal at a time (replay).

    Two models: ``live_model`` starts from ``bridge.snapshot()`` and folds in every
    ``bridge.events``, whatever is shown, so the banner that follows it is always the
    live plant; ``replay_model`` holds ``journal.states_at(t)`` for ``show_at`` /
    ``update_frame`` while the cursor is away from live (read-only: no actions).
    ``model`` is the one on screen. Actions call the table's methods with the
    ``identity``'s name as the user. A click on a row emits ``asset_activated(asset
    id)``; ``looking_back_changed(bool)`` says whether a live session shows the past;
    ``flash(assets, on)`` is the blinking of the shown alarms, for the 3D scene. Call
    ``close()`` when the window closes: it stops the flash timers and unsubscribes.
    """

    asset_activated = Signal(str)
    looking_back_changed = Signal(bool)
    flash = Signal(frozenset, bool)

    def __init__(
        self,
        table: AlarmTable | None = None,
        *,
        bridge: AlarmBridge | None = None,
        journal: Journal | None = None,
        model: AlarmTableModel | None = None,
        identity: Operator | None = None,
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
        self.identity = identity if identity is not None else Operator(self)
        self.live_model: AlarmTableModel | None = None
        if self.table is not None:
            self.live_model = model if model is not None else AlarmTableModel(self)
        self.replay_model = AlarmTableModel(self)
        self._read_only = self.live_model is None
        self.proxy = AlarmFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._closed = False
        self._looking_back = False
        self._shown_at: int | None = None
        self._last_query = -1e9
        self.filters = QtAlarmFilterBar(self.proxy)
        self.area_combo, self.priority_combo = self.filters.area_combo, self.filters.priority_combo
        self.state_combo, self.search = self.filters.state_combo, self.filters.search
        self._build_view()
        self.steady = SteadyRows(self.view, self.proxy, self)
        self.steady.held_changed.connect(self._show_hold)
        self._build_actions()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.actions_bar)
        for m in (self.live_model, self.replay_model):
            if m is not None:
                m.flash_toggled.connect(lambda on, m=m: self._on_model_flash(m, on))
                m.rowsInserted.connect(lambda _p, a, b, m=m: grow_columns(self.view, m, a, b))
        if self.live_model is not None:
            self.live_model.changed.connect(self._update_enabled)  # e.g. Undo after an ack
        if self.bridge is not None and self.live_model is not None:
            self.bridge.events.connect(self._on_live_events)
            self.live_model.set_statuses(self.bridge.snapshot())
        self.steady.set_model(self.live_model if not self._read_only else None)
        self._update_enabled()

    @property
    def model(self) -> AlarmTableModel:
        """The model on screen: live, or the journal at the cursor."""
        if self._read_only or self.live_model is None:
            return self.replay_model
        return self.live_model

    # --- building ------------------------------------------------------------------------

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
        fit_columns(view, self.model)
        rows = view.verticalHeader().defaultSectionSize() * MIN_ROWS
        view.setMinimumHeight(rows + view.horizontalHeader().sizeHint().height() + 4)
        view.clicked.connect(self._on_click)
        view.activated.connect(self._on_click)  # Enter on a row, as a click
        view.selectionModel().selectionChanged.connect(self._update_enabled)
        self.view = view

    def _build_actions(self) -> None:
        # A window-level action, so that Ctrl+K works wherever the focus is in the window
        # and the keyboard-shortcut list shows it.
        self.ack_action = QAction(self.tr("Acknowledge selected alarms"), self)
        self.ack_action.setShortcut(QKeySequence(ACK_SHORTCUT))
        self.ack_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.ack_action.triggered.connect(self.acknowledge_selected)
        self.addAction(self.ack_action)
        bar = self.actions_bar = QtAlarmActionBar()
        bar.acknowledge.connect(self.acknowledge_selected)
        bar.acknowledge_visible.connect(self.acknowledge_visible)
        bar.undo.connect(self._ask_undo)
        bar.shelve_for.connect(self._ask_shelve)
        bar.shelve_until.connect(self._ask_shelve)
        bar.unshelve.connect(self.unshelve_selected)
        bar.comment.connect(self._ask_comment)
        bar.service.connect(self._ask_service)
        self.ack_button, self.ack_all_button = bar.ack_button, bar.ack_all_button
        self.undo_button, self.shelve_button = bar.undo_button, bar.shelve_button
        self.comment_button, self.service_button = bar.comment_button, bar.service_button
        self.shelve_menu, self.shelve_actions = bar.shelve_menu, bar.shelve_actions
        self.mode_label, self.message, self.hold_label = bar.mode_label, bar.message, bar.hold_label

    # --- settings ------------------------------------------------------------------------

    @property
    def operator(self) -> str:
        """The name written with every action: the signed-in operator, else the OS user."""
        return self.identity.name

    @operator.setter
    def operator(self, name: str) -> None:
        """Act as ``name`` in this session (not remembered; see ``Operator.sign_in``)."""
        self.identity.sign_in(name, remember=False)

    def set_areas(
        self, asset_area: Mapping[str, str], area_names: Mapping[str, str] | None = None
    ) -> None:
        """Area of each asset (asset id -> area id) and the areas' display names."""
        self.filters.set_areas(asset_area, area_names)

    def set_read_only(self, read_only: bool) -> None:
        """Replay (True): the journal's table, no actions; live (False): the live table
        again. Always read-only without an ``AlarmTable``."""
        read_only = read_only or self.live_model is None
        if read_only == self._read_only:
            return
        self._read_only = read_only
        if not read_only and self.bridge is not None:
            self.bridge.flush()
        self.steady.set_model(None if read_only else self.live_model)
        self.proxy.setSourceModel(self.model)
        if not read_only:
            self._shown_at = None
            self.mode_label.setText("")
            self.replay_model.set_statuses({})  # nothing to flash off screen
        self.flash.emit(self.model.unacked_assets(), True)
        self._update_enabled()

    @property
    def read_only(self) -> bool:
        return self._read_only

    # --- replay --------------------------------------------------------------------------

    def show_at(self, t_ns: int) -> None:
        """Replay: show the journal's alarm table as it stood at ``t_ns``."""
        self.set_read_only(True)
        self._shown_at, self._last_query = t_ns, time.monotonic()
        if self.live_model is not None:  # a live session looking back
            text = self.tr("Looking back: alarms at %1").replace("%1", format_time(t_ns))
        else:
            text = self.tr("Replay: alarms at %1").replace("%1", format_time(t_ns))
        if self.journal is not None:
            try:
                self.replay_model.set_statuses(self.journal.states_at(t_ns))
            except HistoryError as exc:  # keep the last table; say why it is not current
                text = str(exc)
        self.mode_label.setText(text)

    def update_frame(self, frame: Frame) -> None:
        """Live frames keep the live table; replayed ones show the journal at the cursor
        (read at most every ``REPLAY_REFRESH_S``; a later frame catches up)."""
        if self.live_model is not None and self._looking_back == frame.live:
            self._looking_back = not frame.live
            self.looking_back_changed.emit(self._looking_back)
        if frame.live:
            self.set_read_only(False)
        elif (
            self.journal is not None
            and frame.cursor_ns != self._shown_at
            and time.monotonic() - self._last_query >= REPLAY_REFRESH_S
        ):
            self.show_at(frame.cursor_ns)

    @property
    def looking_back(self) -> bool:
        """A live session whose cursor is away from live."""
        return self._looking_back

    def _on_live_events(self, events: list[AlarmEvent]) -> None:
        if self.live_model is not None:
            self.live_model.apply_events(events)

    def _on_model_flash(self, model: AlarmTableModel, on: bool) -> None:
        if model is self.model:
            self.flash.emit(model.unacked_assets(), on)

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
        statuses = self.model.statuses
        ids = [a for a in self.proxy.visible_ids() if a in statuses]
        return self._act(
            [a for a in ids if statuses[a].state in UNACKED_STATES],
            lambda t, a: t.acknowledge(a, self.operator),
            lambda n: self.tr("Acknowledged %n alarm(s)", "", n),
        )

    def _selected_acked(self) -> list[str]:
        statuses = self.model.statuses
        return [
            a
            for a in self.selected_ids()
            if a in statuses and statuses[a].state is AlarmState.ACK_ACTIVE
        ]

    def undo_acknowledge_selected(self, reason: str) -> int:
        """Make the selected acknowledged alarms unacknowledged again, journaled with
        ``reason`` as a correction by the operator."""
        return self._act(
            self._selected_acked(),
            lambda t, a: t.unacknowledge(a, self.operator, reason),
            lambda n: self.tr("Acknowledgement undone for %n alarm(s)", "", n),
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

    def _ask_shelve(self, duration_s: int = SHELVE_CHOICES_S[1]) -> None:
        """Until when (``duration_s`` from now unless changed) and why: ISA-18.2 wants
        every shelf to have a reason, so the dialog does not accept one without it."""
        if self.table is None or not self.selected_ids():
            return
        dialog = QtShelveUntilDialog(self.table.clock(), self, duration_s)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.reason_text():
            self.shelve_selected(until_ns=dialog.until_ns(), comment=dialog.reason_text())

    def _ask_undo(self) -> None:
        """A recent acknowledgement is taken back at once (a slip of the hand); an older
        one needs a reason, since others may have acted on it meanwhile."""
        ids = self._selected_acked()
        if self.table is None or not ids:
            return
        now = self.table.clock()
        acked = [self.model.statuses[a].acked_at for a in ids]
        if all(t is not None and now - t <= UNDO_GRACE_S * NS_PER_S for t in acked):
            self.undo_acknowledge_selected(self.tr("correction"))
            return
        reason = self._ask_text(
            self.tr("Undo acknowledge"),
            self.tr("Acknowledged more than %1 min ago. Why undo it?").replace(
                "%1", str(UNDO_GRACE_S // 60)
            ),
        )
        if reason is not None and reason.strip():
            self.undo_acknowledge_selected(reason.strip())
        elif reason is not None:
            self.message.setText(self.tr("Not undone: a reason is needed"))

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
        self.undo_button.setEnabled(selected and bool(self._selected_acked()))
        self.ack_all_button.setEnabled(live)
        self.ack_action.setEnabled(live)

    def _show_hold(self, held: bool) -> None:
        """Say so when alarms came in while the order was held: they are at the end."""
        added = self.steady.added if held else 0
        self.hold_label.setText(
            self.tr("Order held while you work: %n new alarm(s) at the end", "", added)
            if added
            else ""
        )

    def _on_click(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        if source.isValid():
            self.asset_activated.emit(self.model.status(source.row()).asset_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        for m in (self.live_model, self.replay_model):
            if m is not None:
                m.close()
        if self.bridge is not None and not self._closed:
            self._closed = True
            self.bridge.events.disconnect(self._on_live_events)
            if self._own_bridge:
                self.bridge.close()
        super().closeEvent(event)
