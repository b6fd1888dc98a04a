"""Alarm management in the window: the engine's events, the journal, and the widgets.

One object per window ties the Qt-free alarm core (engine on the ingest thread, journal
in the history) to the banner, the table, the sound, the 3D flashing and the dialogs.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from app.alarms import (
    AlarmBridge,
    AlarmSound,
    QtAlarmBanner,
    QtAlarmTable,
    QtHealthReport,
    QtJournalView,
    area_maps,
)
from db import HistoryReader
from db.journal import Journal
from twin.alarms.engine import AlarmEngine
from twin.alarms.model import Action
from twin.clock import PlaybackClock
from twin.plant.model import Plant
from twin.timebase import now_ns

STALE_CHECK_MS = 1000  # no-data alarms and shelf expiry are checked once a second


class AlarmWiring(QObject):
    """Engine (live) or journal (replay) → banner, table, sound, 3D flashing."""

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
        self.bridge = AlarmBridge(engine.table, self) if engine is not None else None
        self.table = QtAlarmTable(
            engine.table if engine is not None else None, bridge=self.bridge, journal=journal
        )
        self.table.set_areas(*area_maps(plant))
        self.sound = AlarmSound(self)
        if self.bridge is not None:
            self.bridge.events.connect(self.sound.on_events)
        self.banner = QtAlarmBanner(self.table.model, self.sound)
        self._flash = flash
        self.table.model.flash_toggled.connect(self._on_flash)
        self._ticker = QTimer(self)
        self._ticker.setInterval(STALE_CHECK_MS)
        self._ticker.timeout.connect(self._check_stale)

    def start(self) -> None:
        if self.engine is not None:
            self._ticker.start()

    def close(self) -> None:
        """Stop timers and listeners; the journal is closed by whoever opened it."""
        self._ticker.stop()
        self.table.close()
        if self.bridge is not None:
            self.bridge.close()

    def raise_times(self, t0: int, t1: int) -> list[int]:
        """When alarms were raised in [t0, t1): timeline markers and step marks."""
        if self.journal is None:
            return []
        return [e.t for e in self.journal.read(t0, t1, actions=[Action.RAISE])]

    def show_journal(self, parent: QWidget) -> None:
        self._dialog(parent, "Alarm journal", QtJournalView)

    def show_health(self, parent: QWidget) -> None:
        self._dialog(parent, "Alarm system health (EEMUA 191)", QtHealthReport)

    def _dialog(self, parent: QWidget, title: str, view_type: type) -> None:
        if self.journal is None:
            return
        recorded = HistoryReader(self.journal.history).time_range()
        if recorded is None:
            return
        dialog = QDialog(parent)
        dialog.setWindowTitle(self.tr(title))
        dialog.resize(900, 600)
        view = view_type(self.journal, recorded, dialog)
        QVBoxLayout(dialog).addWidget(view)
        try:
            dialog.exec()
        finally:
            view.close()

    def _check_stale(self) -> None:
        if self.engine is not None and self.clock.is_live:
            self.engine.check_stale(now_ns())

    def _on_flash(self, on: bool) -> None:
        self._flash(self.table.model.unacked_assets(), on)
