"""Alarm management in the window: the engine's events, the journal, and the widgets.

One object per window ties the Qt-free alarm core (engine on the ingest thread, journal
in the history) to the banner, the table, the sound, the 3D flashing, the operator on
shift and the dialogs.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from app.alarms import AlarmBridge, AlarmSound, QtAlarmBanner, QtAlarmTable, area_maps
from app.alarms.operator import Operator, ask_sign_in
from app.export.range_chooser import QtRangeChooser
from app.views.status_strip import QtStatusStrip
from db import HistoryReader
from db.journal import Journal
from twin.alarms.engine import AlarmEngine
from twin.alarms.model import Action
from twin.clock import PlaybackClock
from twin.plant.model import Plant
from twin.timebase import NS_PER_S, now_ns

STALE_CHECK_MS = 1000  # no-data alarms and shelf expiry are checked once a second
OPENING_SPAN_S = 8 * 3600  # the journal and health dialogs open on the last shift


class AlarmWiring(QObject):
    """Engine (live) or journal (replay) → banner, table, sound, 3D flashing.

    In a live session the banner follows the live alarms even while the views look
    back; its "back to live" button calls ``go_live`` (``connect_live`` hands over the
    transport's, which also refreshes the timeline).
    """

    def __init__(
        self,
        plant: Plant,
        engine: AlarmEngine | None,
        journal: Journal | None,
        clock: PlaybackClock,
        flash: Callable[[frozenset[str], bool], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine, self.journal, self.clock = engine, journal, clock
        # Carry the alarm table over from the last session first: the widgets start from it.
        if engine is not None and journal is not None:
            engine.restore(journal.states_at(now_ns()))
        self.operator = Operator(self)
        self.bridge = AlarmBridge(engine.table, self) if engine is not None else None
        self.table = QtAlarmTable(
            engine.table if engine is not None else None,
            bridge=self.bridge,
            journal=journal,
            identity=self.operator,
        )
        self.table.set_areas(*area_maps(plant))
        for model in (self.table.live_model, self.table.replay_model):
            if model is not None:
                model.asset_names = {a.id: a.name for a in plant.assets}
        self.sound = AlarmSound(self)
        if self.bridge is not None:
            self.bridge.events.connect(self.sound.on_events)
        # Live: the live alarms, whatever the cursor shows; replay: the journal's.
        self.banner = QtAlarmBanner(
            self.table.live_model or self.table.replay_model,
            self.sound,
            clock=now_ns if engine is not None else None,
        )
        self.banner.set_areas(*area_maps(plant))
        self.table.looking_back_changed.connect(self.banner.set_looking_back)
        self._go_live: Callable[[], None] = clock.go_live
        self.banner.live_requested.connect(self.go_live)
        self.table.flash.connect(flash)
        self.dialogs: dict[str, QDialog] = {}
        self._ticker = QTimer(self)
        self._ticker.setInterval(STALE_CHECK_MS)
        self._ticker.timeout.connect(self._check_stale)

    def connect_live(self, status: QtStatusStrip, go_live: Callable[[], None]) -> None:
        """A live session: the operator field of ``status`` (a click signs in) and the
        window's way back to live."""
        self._go_live = go_live
        status.operator_clicked.connect(self.sign_in)

        def show() -> None:
            status.set_operator(self.operator.label(), self.operator.signed_in)

        self.operator.changed.connect(show)
        show()

    def go_live(self) -> None:
        self._go_live()

    def sign_in(self) -> bool:
        """Ask who is on shift; True when the operator changed."""
        return ask_sign_in(self.operator, self.table.window())

    def start(self) -> None:
        if self.engine is not None:
            self._ticker.start()

    def close(self) -> None:
        """Stop timers, listeners and open dialogs; the journal is closed by whoever
        opened it."""
        self._ticker.stop()
        for dialog in list(self.dialogs.values()):
            dialog.close()
        self.table.close()
        if self.bridge is not None:
            self.bridge.close()

    def raise_times(self, t0: int, t1: int) -> list[int]:
        """When alarms were raised in [t0, t1): timeline markers and step marks."""
        if self.journal is None:
            return []
        return self.journal.times(t0, t1, [Action.RAISE]).tolist()

    def show_journal(self, parent: QWidget) -> QDialog | None:
        """The journal of the last shift (or the whole recording when shorter)."""
        from app.alarms.journal_view import QtJournalView

        dialog = self._dialog(parent, "journal", self.tr("Alarm journal"), QtJournalView)
        if dialog is not None and isinstance(view := self._view(dialog), QtJournalView):
            view.refresh()
            view.view.scrollToBottom()  # the newest events first in sight
        return dialog

    def show_health(self, parent: QWidget) -> QDialog | None:
        """EEMUA 191 figures of the last shift, computed as the dialog opens."""
        from app.alarms.health_view import QtHealthReport

        title = self.tr("Alarm system health (EEMUA 191)")
        dialog = self._dialog(parent, "health", title, QtHealthReport)
        if dialog is not None and isinstance(view := self._view(dialog), QtHealthReport):
            view.compute(*view.range.range_ns())
        return dialog

    def _dialog(self, parent: QWidget, key: str, title: str, view_type: type) -> QDialog | None:
        """A window of its own, not modal: the alarm list stays usable beside it."""
        if self.journal is None:
            return None
        if (shown := self.dialogs.get(key)) is not None:
            shown.raise_()
            shown.activateWindow()
            return None
        recorded = HistoryReader(self.journal.history).time_range()
        if recorded is None:
            return None
        if self.engine is not None:  # live: actions newer than the last flushed sample too
            recorded = (recorded[0], max(recorded[1], now_ns()))
        dialog = QDialog(parent)
        dialog.setWindowTitle(title)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.resize(1200, 650)  # the journal's columns in full
        view = view_type(self.journal, recorded, dialog)
        opening_range(view.range, recorded)
        QVBoxLayout(dialog).addWidget(view)
        dialog.finished.connect(lambda _result: self._closed(key, view))
        self.dialogs[key] = dialog
        dialog.show()
        return dialog

    @staticmethod
    def _view(dialog: QDialog) -> QWidget | None:
        from app.alarms.health_view import QtHealthReport
        from app.alarms.journal_view import QtJournalView

        return dialog.findChild(QtJournalView) or dialog.findChild(QtHealthReport)

    def _closed(self, key: str, view: QWidget) -> None:
        self.dialogs.pop(key, None)
        view.close()  # stops an export or a computation still running

    def _check_stale(self) -> None:
        if self.engine is not None and self.clock.is_live:
            self.engine.check_stale(now_ns())
        if self.banner.flood is not None:
            self.banner.refresh()  # a flood also ends by time passing


def opening_range(chooser: QtRangeChooser, recorded: tuple[int, int]) -> None:
    """The last ``OPENING_SPAN_S`` of the recording, or all of it when it is shorter."""
    first, last = recorded
    if last - first <= OPENING_SPAN_S * NS_PER_S:
        chooser.choose(None)
        return
    chooser.choose("custom")
    for edit, ns in ((chooser.start, last - OPENING_SPAN_S * NS_PER_S), (chooser.end, last + 1)):
        edit.setDateTime(edit.dateTime().fromMSecsSinceEpoch(-(-ns // 1_000_000)))
