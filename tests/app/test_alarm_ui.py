"""The alarm user interface on a real alarm engine and a real journal in an SQLite history:
batches raise alarms that reach the table and the banner, operator clicks write the journal,
shelving, filters, flashing (in pixels), replay from the journal, the journal view with its
CSV export and the EEMUA 191 health report of a flood."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QInputDialog

import app.alarms.table as table_module
from app.alarms import (
    AlarmBridge,
    AlarmSound,
    AlarmTableModel,
    QtAlarmBanner,
    QtAlarmTable,
)
from app.alarms.common import PRIORITY_RGB, format_time
from app.alarms.model import Column
from app.alarms.shelve_dialog import QtShelveUntilDialog
from app.export.imaging import qimage_to_rgb
from tests.app.alarm_rig import (
    HH,
    LL,
    NS,
    SPEED,
    T0,
    H,
    Rig,
    S,
    cell,
    click_row,
    frame,
    make_table,
    open_rig,
    state_of,
)
from tests.app.dialogs import answer_dialog
from twin.alarms import (
    Action,
    AlarmEvent,
    Priority,
)


@pytest.fixture
def rig(tmp_path) -> Iterator[Rig]:
    yield from open_rig(tmp_path)


# --- live table, banner, actions -----------------------------------------------------------


def test_a_batch_over_a_limit_appears_in_the_table_and_the_banner(qtbot, rig) -> None:
    w = make_table(qtbot, rig)
    banner = QtAlarmBanner(w.model)
    qtbot.addWidget(banner)
    assert w.model.rowCount() == 0 and banner.chips[Priority.MEDIUM].text() == "Medium 0"
    ingest = threading.Thread(target=rig.feed, args=(1.0, 120.0))  # the ingest thread
    ingest.start()
    ingest.join()
    qtbot.waitUntil(lambda: state_of(w, H) is S.UNACK_ACTIVE)
    assert w.model.rowCount() == 1 and w.proxy.visible_ids() == [H]
    assert banner.counts()[Priority.MEDIUM] == 1
    assert banner.chips[Priority.MEDIUM].text() == "Medium 1"
    assert "m1.temp H 120.0" in banner.newest.text()
    assert cell(w, H, Column.VALUE) == "120.0"
    assert cell(w, H, Column.RAISED) == format_time(T0 + NS)
    rig.feed(2.0, 140.0)  # HH too: the newest, and high priority
    qtbot.waitUntil(lambda: w.model.rowCount() == 2)
    assert w.proxy.visible_ids() == [HH, H]  # most urgent first
    assert banner.counts()[Priority.HIGH] == 1 and "HH" in banner.newest.text()


def test_clicking_acknowledge_selected_writes_the_operator_to_the_journal(qtbot, rig) -> None:
    w = make_table(qtbot, rig)
    rig.feed(1.0, 120.0, m2=350.0)
    qtbot.waitUntil(lambda: w.model.rowCount() == 2)
    assert not w.ack_button.isEnabled()  # nothing selected yet
    click_row(qtbot, w, H)
    assert w.selected_ids() == [H] and w.ack_button.isEnabled()
    rig.at(20.0)
    qtbot.mouseClick(w.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state_of(w, H) is S.ACK_ACTIVE)
    assert state_of(w, LL) is S.UNACK_ACTIVE  # not selected, not acknowledged
    assert cell(w, H, Column.ACKED_BY) == "ann"
    assert rig.journal.flush()
    acks = rig.journal.read(T0, T0 + 3600 * NS, actions=[Action.ACK])
    assert [(e.alarm_id, e.user, e.t, e.to_state) for e in acks] == [
        (H, "ann", T0 + 20 * NS, S.ACK_ACTIVE)
    ]


def test_ctrl_k_acknowledges_the_selection_and_delete_does_nothing(qtbot, rig) -> None:
    w = make_table(qtbot, rig)
    rig.feed(1.0, 120.0)
    qtbot.waitUntil(lambda: w.model.rowCount() == 1)
    click_row(qtbot, w, H)
    w.activateWindow()
    qtbot.waitUntil(lambda: w.view.hasFocus())
    qtbot.keyClick(w.view, Qt.Key.Key_Delete)
    QApplication.processEvents()
    assert state_of(w, H) is S.UNACK_ACTIVE
    qtbot.keyClick(w.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: state_of(w, H) is S.ACK_ACTIVE)


def test_acknowledge_all_visible_respects_the_filters(qtbot, rig) -> None:
    w = make_table(qtbot, rig)
    rig.feed(1.0, 120.0, m2=350.0, m3=1600.0)
    qtbot.waitUntil(lambda: w.model.rowCount() == 3)
    w.area_combo.setCurrentIndex(w.area_combo.findText("Hall A"))
    assert sorted(w.proxy.visible_ids()) == sorted([H, LL])
    qtbot.mouseClick(w.ack_all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state_of(w, LL) is S.ACK_ACTIVE and state_of(w, H) is S.ACK_ACTIVE)
    assert state_of(w, SPEED) is S.UNACK_ACTIVE


def test_shelving_hides_an_alarm_from_the_unacknowledged_count_until_it_expires(qtbot, rig) -> None:
    w = make_table(qtbot, rig)
    banner = QtAlarmBanner(w.model)
    qtbot.addWidget(banner)
    rig.feed(1.0, 120.0)
    qtbot.waitUntil(lambda: banner.counts()[Priority.MEDIUM] == 1)
    click_row(qtbot, w, H)
    rig.at(10.0)
    refused: list[bool] = []

    def give_a_reason(dialog: QtShelveUntilDialog) -> None:
        refused.append(dialog.ok.isEnabled())  # no reason yet: OK is off
        qtbot.keyClicks(dialog.reason, "pump swap")
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    answer_dialog(give_a_reason, QtShelveUntilDialog)
    w.shelve_actions[15 * 60].trigger()  # "Shelve…" > 15 minutes…, then the reason
    assert refused == [False]
    qtbot.waitUntil(lambda: state_of(w, H) is S.SHELVED)
    until = T0 + (10 + 15 * 60) * NS
    assert w.model.statuses[H].shelved_until == until
    assert cell(w, H, Column.SHELVED_UNTIL) == format_time(until)
    assert banner.counts()[Priority.MEDIUM] == 0 and not w.model.flashing
    rig.feed(100.0, 125.0)  # still over the limit: nothing annunciated while shelved
    rig.engine.check_stale(until - NS)
    QApplication.processEvents()
    assert state_of(w, H) is S.SHELVED
    rig.engine.check_stale(until)  # the shelf expires: the active alarm comes back
    qtbot.waitUntil(lambda: state_of(w, H) is S.UNACK_ACTIVE)
    assert banner.counts()[Priority.MEDIUM] == 1 and w.model.flashing
    rig.journal.flush()
    events = rig.journal.read(T0, until + NS, alarm_ids=[H])
    assert [e.action for e in events] == [Action.RAISE, Action.SHELVE, Action.SHELVE_EXPIRED]
    assert (events[1].user, events[1].comment) == ("ann", "pump swap")


def test_filters_and_search(qtbot, rig) -> None:
    w = make_table(qtbot, rig)
    rig.feed(1.0, 140.0, m2=350.0, m3=1600.0)
    qtbot.waitUntil(lambda: w.model.rowCount() == 4)
    assert w.proxy.visible_ids() == [LL, HH, H, SPEED]  # by priority
    w.area_combo.setCurrentIndex(w.area_combo.findText("Hall B"))
    assert w.proxy.visible_ids() == [SPEED]
    w.area_combo.setCurrentIndex(0)
    w.priority_combo.setCurrentIndex(w.priority_combo.findText("Critical"))
    assert w.proxy.visible_ids() == [LL]
    w.priority_combo.setCurrentIndex(0)
    qtbot.keyClicks(w.search, "M2.VOLT")  # case-insensitive
    assert w.proxy.visible_ids() == [LL]
    w.search.clear()
    qtbot.keyClicks(w.search, "hall_b")  # the area is searched too
    assert w.proxy.visible_ids() == [SPEED]
    w.search.clear()
    click_row(qtbot, w, HH)
    w.shelve_selected(3600)
    qtbot.waitUntil(lambda: state_of(w, HH) is S.SHELVED)
    w.state_combo.setCurrentIndex(w.state_combo.findText("Shelved"))
    assert w.proxy.visible_ids() == [HH]
    w.state_combo.setCurrentIndex(w.state_combo.findText("Unacknowledged"))
    assert sorted(w.proxy.visible_ids()) == sorted([LL, H, SPEED])
    w.view.sortByColumn(Column.SIGNAL, Qt.SortOrder.AscendingOrder)
    assert w.proxy.visible_ids() == [H, LL, SPEED]


def test_comment_and_out_of_service_ask_and_journal_the_reason(qtbot, rig, monkeypatch) -> None:
    w = make_table(qtbot, rig)
    rig.feed(1.0, 100.0, m2=350.0)
    qtbot.waitUntil(lambda: w.model.rowCount() == 1)
    click_row(qtbot, w, LL)
    answers = iter([("fuse checked", True), ("sensor swap", True), ("fixed", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    qtbot.mouseClick(w.comment_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.model.statuses[LL].comment == "fuse checked")
    assert cell(w, LL, Column.COMMENT) == "fuse checked"
    qtbot.mouseClick(w.service_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state_of(w, LL) is S.OUT_OF_SERVICE)
    qtbot.mouseClick(w.service_button, Qt.MouseButton.LeftButton)  # and back
    qtbot.waitUntil(lambda: state_of(w, LL) is S.UNACK_ACTIVE)  # still low: re-annunciated
    rig.journal.flush()
    ops = rig.journal.read(T0, T0 + 3600 * NS, users=["ann"])
    assert [(e.action, e.comment) for e in ops] == [
        (Action.COMMENT, "fuse checked"),
        (Action.REMOVE, "sensor swap"),
        (Action.RETURN, "fixed"),
    ]


def test_double_click_activates_the_asset(qtbot, rig) -> None:
    w = make_table(qtbot, rig)
    rig.feed(1.0, 100.0, m3=1600.0)
    qtbot.waitUntil(lambda: w.model.rowCount() == 1)
    rect = w.view.visualRect(w.proxy.index(0, Column.ASSET))
    with qtbot.waitSignal(w.asset_activated) as got:  # press, release, double click
        qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert got.args == ["m3"]


# --- flashing ------------------------------------------------------------------------------


def row_pixels(w: QtAlarmTable, aid: str) -> np.ndarray:
    row = w.proxy.visible_ids().index(aid)
    top = w.view.visualRect(w.proxy.index(row, 0))
    pixels = qimage_to_rgb(w.view.viewport().grab().toImage())
    return pixels[top.top() + 2 : top.bottom() - 1, : w.view.viewport().width()]


def near(pixels: np.ndarray, rgb: tuple[int, int, int], tol: int = 12) -> int:
    return int((np.abs(pixels.astype(np.int32) - np.array(rgb)).max(axis=-1) <= tol).sum())


def test_unacknowledged_rows_flash_and_the_timer_runs_only_while_needed(qtbot, rig) -> None:
    w = make_table(qtbot, rig)
    assert not w.model.flashing
    rig.feed(1.0, 100.0, m2=350.0)
    qtbot.waitUntil(lambda: w.model.rowCount() == 1)
    assert w.model.flashing
    red = PRIORITY_RGB[Priority.CRITICAL]
    phases = {}
    for _ in range(2):
        with qtbot.waitSignal(w.model.flash_toggled, timeout=2000) as toggled:
            pass
        phases[toggled.args[0]] = near(row_pixels(w, LL), red)
    width = w.view.viewport().width()
    assert phases[True] > 10 * width  # the whole row painted in the priority colour
    assert phases[False] < phases[True] / 5  # only its text
    assert w.model.unacked_assets() == {"m2"}
    w.model.flash_phase = True  # acknowledged rows stay steady whatever the phase
    rig.table.acknowledge(LL, "ann")
    qtbot.waitUntil(lambda: not w.model.flashing)
    assert near(row_pixels(w, LL), red) < phases[True] / 5
    rig.feed(2.0, 120.0, m2=350.0)  # a new alarm: flashing again, until the window closes
    qtbot.waitUntil(lambda: w.model.flashing)
    w.close()
    assert not w.model.flashing


def test_a_shared_model_flashes_for_the_3d_scene_and_stops_on_close(qtbot, rig) -> None:
    model = AlarmTableModel()
    bridge = AlarmBridge(rig.table)
    bridge.events.connect(model.apply_events)
    rig.feed(1.0, 140.0)
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    assert model.unacked_assets() == {"m1"} and model.flashing
    model.close()
    bridge.close()
    assert not model.flashing


# --- replay --------------------------------------------------------------------------------


def test_replay_shows_the_states_and_who_acknowledged_at_the_cursor(
    qtbot, rig, monkeypatch
) -> None:
    monkeypatch.setattr(table_module, "REPLAY_REFRESH_S", 0.0)
    w = make_table(qtbot, rig)
    rig.feed(10.0, 120.0)
    rig.table.acknowledge(H, "bob", t=T0 + 20 * NS)
    rig.feed(30.0, 135.0)  # HH raised, H still acknowledged
    rig.feed(40.0, 100.0)  # both clear: H goes NORMAL, HH returns unacknowledged
    assert rig.journal.flush()
    qtbot.waitUntil(lambda: state_of(w, H) is None and state_of(w, HH) is S.UNACK_RTN)
    w.update_frame(frame(T0 + 5 * NS, live=False))
    assert w.read_only and not w.ack_all_button.isEnabled() and w.model.rowCount() == 0
    assert "Looking back" in w.mode_label.text()  # a live table shown at a past cursor
    w.update_frame(frame(T0 + 15 * NS, live=False))
    assert state_of(w, H) is S.UNACK_ACTIVE and w.model.statuses[H].acked_by is None
    w.show_at(T0 + 25 * NS)
    assert state_of(w, H) is S.ACK_ACTIVE
    assert cell(w, H, Column.ACKED_BY) == "bob"
    w.model.set_statuses(rig.journal.states_at(T0 + 35 * NS))
    assert (state_of(w, H), state_of(w, HH)) == (S.ACK_ACTIVE, S.UNACK_ACTIVE)
    rig.feed(50.0, 140.0)  # live events while replaying do not touch the replayed table
    click_row(qtbot, w, H)
    assert not w.ack_button.isEnabled()
    assert w.acknowledge_selected() == 0
    w.update_frame(frame(T0 + 45 * NS, live=False))
    assert state_of(w, H) is None and state_of(w, HH) is S.UNACK_RTN
    w.update_frame(frame(T0 + 50 * NS, live=True))  # back to live: the table as it is now
    assert not w.read_only and state_of(w, H) is S.UNACK_ACTIVE
    assert state_of(w, HH) is S.UNACK_ACTIVE


def test_a_replay_only_table_is_read_only(qtbot, rig) -> None:
    rig.feed(1.0, 120.0)
    rig.journal.flush()
    w = QtAlarmTable(journal=rig.journal)
    qtbot.addWidget(w)
    assert w.read_only and not w.ack_all_button.isEnabled()
    w.set_read_only(False)
    assert w.read_only
    w.show_at(T0 + 2 * NS)
    assert state_of(w, H) is S.UNACK_ACTIVE


# --- bridge and sound ----------------------------------------------------------------------


def test_the_bridge_delivers_on_the_gui_thread_in_one_list_and_close_unsubscribes(
    qtbot, rig
) -> None:
    bridge = AlarmBridge(rig.table)
    got: list[tuple[list[AlarmEvent], bool]] = []
    bridge.events.connect(
        lambda evs: got.append((evs, threading.current_thread() is threading.main_thread()))
    )
    workers = [
        threading.Thread(target=rig.feed, args=(s, v)) for s, v in ((1.0, 120.0), (2.0, 140.0))
    ]
    for t in workers:
        t.start()
        t.join()
    assert got == []  # nothing is delivered on the ingest thread
    qtbot.waitUntil(lambda: bool(got))
    QApplication.processEvents()
    assert len(got) == 1 and got[0][1]  # one delivery for both batches
    assert [(e.alarm_id, e.action) for e in got[0][0]] == [(H, Action.RAISE), (HH, Action.RAISE)]
    rig.feed(3.0, 135.0, m2=350.0)
    assert bridge.snapshot().keys() == {H, HH, LL}  # the snapshot takes the pending events
    QApplication.processEvents()
    assert len(got) == 1
    bridge.close()
    bridge.close()
    rig.feed(4.0, 100.0)
    QApplication.processEvents()
    assert len(got) == 1


def test_sound_announces_new_high_priority_alarms_unless_muted(qtbot, rig, monkeypatch) -> None:
    model = AlarmTableModel()
    sound = AlarmSound()
    banner = QtAlarmBanner(model, sound)
    qtbot.addWidget(banner)
    bridge = AlarmBridge(rig.table, banner)
    bridge.events.connect(sound.on_events)

    def no_audio() -> None:
        raise RuntimeError("no audio device")

    monkeypatch.setattr(QApplication, "beep", staticmethod(no_audio))
    rig.feed(1.0, 120.0)  # medium: silent
    QApplication.processEvents()
    assert sound.count == 0
    qtbot.mouseClick(banner.mute, Qt.MouseButton.LeftButton)
    assert sound.muted and banner.mute.isChecked()
    rig.feed(2.0, 140.0)  # high, but muted
    QApplication.processEvents()
    assert sound.count == 0
    qtbot.mouseClick(banner.mute, Qt.MouseButton.LeftButton)
    assert not sound.muted
    with qtbot.waitSignal(sound.played):
        rig.feed(3.0, 100.0, m2=350.0)  # critical: a tone, even without a sound card
    assert sound.count == 1
    bridge.close()


def test_clicking_the_banner_asks_for_the_table(qtbot) -> None:
    banner = QtAlarmBanner(AlarmTableModel())
    qtbot.addWidget(banner)
    banner.show()
    assert banner.newest.text() == "No unacknowledged alarms"
    with qtbot.waitSignal(banner.table_requested):
        qtbot.mouseClick(banner, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
