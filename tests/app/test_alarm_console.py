"""The alarm console in a live, recording window: new live alarms stay in the banner while
the operator looks back, the operator signs in from the status bar, one click on an alarm
selects its asset, the list is tall enough, the journal and health dialogs open filled,
and F1 lists Ctrl+K."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.alarms import QtHealthReport, QtJournalView
from app.alarms.operator import NAME_KEY, SHIFT_KEY, Operator, QtSignInDialog
from app.compose.live import compose_live
from app.compose.parts import RecordingStatus, Session
from db.write.recorder import Recorder
from tests.app.dialogs import answer_dialog
from tests.app.incident import MOTOR
from twin.alarms.model import Action, AlarmState, Priority
from twin.clock import PlaybackClock
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Fault, FaultKind, Plant
from twin.timebase import NS_PER_S, now_ns

ALARM = f"{MOTOR}.current:HH"  # a High alarm, raised some seconds after the overload
FAULT_S = 20.0
RUN_S = 60


@pytest.fixture
def console(qtbot, demo_plant: Plant, tmp_path: Path) -> Iterator[tuple[Session, int]]:
    """A live window recording a plant whose motor overloads ``FAULT_S`` into the run,
    which has not been simulated yet: yields (session, start ns)."""
    end = now_ns()
    start = end - RUN_S * NS_PER_S
    runtime = PlantRuntime.simulated(
        demo_plant, start, (Fault(MOTOR, FaultKind.OVERLOAD, FAULT_S),)
    )
    recorder = Recorder.open(tmp_path / "live.twinhist", runtime.store.groups, demo_plant)
    clock = PlaybackClock(wall=lambda: end)
    live = compose_live(
        demo_plant, runtime, clock, size=(1600, 1000), recording=RecordingStatus(recorder)
    )
    live.window.status.set_mode("● LIVE · simulator")
    qtbot.addWidget(live.window)
    live.window.show()
    qtbot.waitExposed(live.window)
    yield live, start
    live.stop()
    settings = QSettings()  # the sign-in must not follow other tests
    settings.remove(NAME_KEY)
    settings.remove(SHIFT_KEY)


def press(
    qtbot: QtBot,
    live: Session,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    window = live.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, key, modifier)


def click_alarm(qtbot: QtBot, live: Session, alarm_id: str) -> None:
    table = live.alarms.table
    row = table.proxy.visible_ids().index(alarm_id)
    rect = table.view.visualRect(table.proxy.index(row, 1))
    qtbot.mouseClick(table.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def raise_the_alarm(qtbot: QtBot, live: Session, start: int) -> None:
    live.live_runtime.fast_forward(start + RUN_S * NS_PER_S)
    model = live.alarms.table.live_model
    assert model is not None
    qtbot.waitUntil(lambda: ALARM in model.statuses)


def test_a_live_alarm_raised_while_looking_back_shows_in_the_banner(qtbot, console) -> None:
    live, start = console
    banner, status, table = live.alarms.banner, live.window.status, live.alarms.table
    live.live_runtime.fast_forward(start + 10 * NS_PER_S)  # before the overload
    live.scheduler.tick()
    assert not banner.looking_back and status.mode_label.text() == "● LIVE · simulator"
    live.window.replay.timeline.seek_requested.emit(start + 5 * NS_PER_S)  # a drag back
    assert not live.clock.is_live
    live.scheduler.tick()
    assert table.read_only and banner.looking_back
    assert "LIVE" not in status.mode_label.text().replace("back to live", "")
    assert "LOOKING BACK" in status.mode_label.text()
    assert live.window.replay.transport.mode_label.text() == "REPLAY"

    live.live_runtime.fast_forward(start + RUN_S * NS_PER_S)  # the overload, live

    def in_the_banner() -> bool:
        live.scheduler.tick()  # within a frame of the alarm
        return banner.counts()[Priority.HIGH] >= 1 and "M07.current HH" in banner.newest.text()

    qtbot.waitUntil(in_the_banner)
    assert banner.chips[Priority.HIGH].text() == "High 1"
    assert ALARM not in table.model.statuses  # the list still shows the cursor's past
    assert banner.back.isVisible()
    press(qtbot, live, Qt.Key.Key_End)  # back to live
    assert live.clock.is_live
    live.scheduler.tick()
    assert not banner.looking_back and not table.read_only
    assert status.mode_label.text() == "● LIVE · simulator"
    assert table.model.statuses[ALARM].state is AlarmState.UNACK_ACTIVE


def test_the_banner_button_returns_to_live(qtbot, console) -> None:
    live, start = console
    live.live_runtime.fast_forward(start + 10 * NS_PER_S)
    live.scheduler.tick()
    live.window.replay.timeline.seek_requested.emit(start + 5 * NS_PER_S)
    live.scheduler.tick()
    back = live.alarms.banner.back
    qtbot.waitUntil(back.isVisible)
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert live.clock.is_live
    live.scheduler.tick()
    assert not back.isVisible()
    assert live.window.replay.transport.mode_label.text() == "LIVE"


def test_the_operator_signs_in_from_the_status_bar_and_acts_under_that_name(qtbot, console) -> None:
    live, start = console
    status = live.window.status
    assert "not signed in" in status.operator_button.text()
    raise_the_alarm(qtbot, live, start)
    live.scheduler.tick()

    def sign_in(dialog: QtSignInDialog) -> None:
        assert not dialog.ok.isEnabled()  # a name is required
        qtbot.keyClicks(dialog.name, "Li Wei")
        dialog.shift.setCurrentIndex(1)
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    answer_dialog(sign_in, QtSignInDialog)
    qtbot.mouseClick(status.operator_button, Qt.MouseButton.LeftButton)
    assert status.operator_button.text() == "Operator: Li Wei · Late 14–22"
    assert Operator().name == "Li Wei"  # remembered for the next start
    click_alarm(qtbot, live, ALARM)
    press(qtbot, live, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    table = live.live_runtime.alarms.table
    assert table.state(ALARM) is AlarmState.ACK_ACTIVE
    journal = live.journal
    assert journal is not None and journal.flush()
    acks = journal.read(start, now_ns() + NS_PER_S, actions=[Action.ACK])
    assert [(e.alarm_id, e.user) for e in acks] == [(ALARM, "Li Wei")]


def test_one_click_on_an_alarm_selects_its_asset(qtbot, console) -> None:
    live, start = console
    raise_the_alarm(qtbot, live, start)
    live.scheduler.tick()
    live.window.selection.select(None)
    click_alarm(qtbot, live, ALARM)
    assert live.window.selection.asset_id == MOTOR


def test_the_alarm_list_shows_six_rows_at_1600_by_1000(qtbot, console) -> None:
    live, _ = console
    view = live.alarms.table.view
    qtbot.waitUntil(lambda: view.viewport().height() > 0)
    assert live.window.width() == 1600 and live.window.height() == 1000
    assert view.viewport().height() >= 6 * view.verticalHeader().defaultSectionSize()


def test_the_journal_and_health_dialogs_open_filled(qtbot, console) -> None:
    live, start = console
    raise_the_alarm(qtbot, live, start)
    recorder = live.recording.recorder
    assert recorder is not None
    qtbot.waitUntil(lambda: recorder.state().written_samples > 0, timeout=10_000)
    assert live.journal is not None and live.journal.flush()
    press(qtbot, live, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    journal = live.alarms.dialogs["journal"].findChild(QtJournalView)
    assert journal is not None
    assert journal.model.rowCount() >= 1  # without pressing Show
    raised = [e for e in journal.model.events if e.action is Action.RAISE]
    assert ALARM in {e.alarm_id for e in raised}
    health_action = next(
        a for a in live.window.findChildren(QAction) if a.text() == "Alarm system &health…"
    )
    health_action.trigger()
    health = live.alarms.dialogs["health"].findChild(QtHealthReport)
    assert health is not None
    qtbot.waitUntil(lambda: health.report is not None, timeout=20_000)  # without Compute
    assert health.report is not None and health.report.annunciated >= 1


def test_f1_lists_ctrl_k(qtbot, console) -> None:
    live, _ = console
    shown: list[str] = []

    def read(box: QMessageBox) -> None:
        shown.append(box.text())
        box.accept()

    answer_dialog(read, QMessageBox)
    press(qtbot, live, Qt.Key.Key_F1)
    assert "Ctrl+K" in shown[0] and "Acknowledge selected alarms" in shown[0]
