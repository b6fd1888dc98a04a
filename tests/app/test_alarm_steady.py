"""The alarm list under the operator's hand: rows that hold still while pointed at or
selected, acknowledgements that can be taken back, notes that outlive an acknowledgement,
one click to the asset, and columns wide enough to read — through clicks and keys on a
real engine and journal."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from app.alarms import QtAlarmTable
from app.alarms.columns import PADDING
from app.alarms.model import Column
from tests.app.alarm_rig import (
    LL,
    NS,
    SPEED,
    T0,
    H,
    Rig,
    S,
    cell,
    click_row,
    make_table,
    open_rig,
    state_of,
)
from tests.app.dialogs import answer_dialog
from twin.alarms import Action


@pytest.fixture
def rig(tmp_path) -> Iterator[Rig]:
    yield from open_rig(tmp_path)


def row_of(w: QtAlarmTable, aid: str) -> int:
    return w.proxy.visible_ids().index(aid)


def ctrl_k(qtbot: QtBot, w: QtAlarmTable) -> None:
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(w.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)


def test_a_new_alarm_does_not_take_the_clicked_row_before_ctrl_k(qtbot, rig) -> None:
    w = make_table(qtbot, rig)
    rig.feed(1.0, 120.0, m3=1600.0)  # H (medium) above SPEED (low)
    qtbot.waitUntil(lambda: w.model.rowCount() == 2)
    assert w.proxy.visible_ids() == [H, SPEED]
    click_row(qtbot, w, SPEED)
    clicked_at = w.view.visualRect(w.proxy.index(row_of(w, SPEED), 0)).center()
    rig.feed(2.0, 120.0, m2=350.0, m3=1600.0)  # a critical alarm arrives meanwhile
    qtbot.waitUntil(lambda: LL in w.proxy.visible_ids())
    assert w.proxy.visible_ids() == [H, SPEED, LL]  # at the end: nothing moved
    assert w.view.indexAt(clicked_at).data(Qt.ItemDataRole.UserRole) == SPEED
    assert "1 new alarm" in w.hold_label.text()
    ctrl_k(qtbot, w)
    qtbot.waitUntil(lambda: state_of(w, SPEED) is S.ACK_ACTIVE)
    assert state_of(w, LL) is S.UNACK_ACTIVE and state_of(w, H) is S.UNACK_ACTIVE
    assert rig.journal.flush()
    acks = rig.journal.read(T0, T0 + 60 * NS, actions=[Action.ACK])
    assert [e.alarm_id for e in acks] == [SPEED]


def test_the_order_holds_while_the_pointer_is_over_the_list(qtbot, rig) -> None:
    w = make_table(qtbot, rig)
    rig.feed(1.0, 120.0, m3=1600.0)
    qtbot.waitUntil(lambda: w.model.rowCount() == 2)
    viewport = w.view.viewport()
    qtbot.mouseMove(viewport, w.view.visualRect(w.proxy.index(1, 0)).center())
    qtbot.waitUntil(lambda: w.steady.held)
    rig.feed(2.0, 120.0, m2=350.0, m3=1600.0)  # critical: would sort to the top
    rig.table.acknowledge(H, "bob")
    rig.feed(3.0, 100.0, m2=350.0, m3=1600.0)  # H clears, acknowledged: back to NORMAL
    qtbot.waitUntil(lambda: LL in w.proxy.visible_ids() and H not in w.model.statuses)
    assert w.proxy.visible_ids() == [H, SPEED, LL]  # H stays, greyed, until let go
    assert cell(w, H, Column.STATE) == "Normal"
    qtbot.mouseMove(w.filters, QPoint(2, 2))  # the pointer leaves the list
    qtbot.waitUntil(lambda: not w.steady.held)
    qtbot.waitUntil(lambda: w.proxy.visible_ids() == [LL, SPEED])  # sorted again


def test_undo_acknowledge_within_the_grace_time_and_later_with_a_reason(qtbot, rig) -> None:
    w = make_table(qtbot, rig)
    rig.feed(1.0, 120.0)
    qtbot.waitUntil(lambda: w.model.rowCount() == 1)
    click_row(qtbot, w, H)
    assert not w.undo_button.isEnabled()  # nothing acknowledged yet
    ctrl_k(qtbot, w)
    qtbot.waitUntil(lambda: state_of(w, H) is S.ACK_ACTIVE and w.undo_button.isEnabled())
    rig.at(30.0)
    qtbot.mouseClick(w.undo_button, Qt.MouseButton.LeftButton)  # a slip: undone at once
    qtbot.waitUntil(lambda: state_of(w, H) is S.UNACK_ACTIVE)
    assert cell(w, H, Column.ACKED_BY) == ""
    ctrl_k(qtbot, w)
    qtbot.waitUntil(lambda: state_of(w, H) is S.ACK_ACTIVE)
    rig.at(30.0 + 600)  # ten minutes later a reason is needed
    answers = iter(["", "meant M02"])

    def reason(dialog: QInputDialog) -> None:
        dialog.setTextValue(next(answers))
        dialog.accept()

    answer_dialog(reason)
    qtbot.mouseClick(w.undo_button, Qt.MouseButton.LeftButton)
    assert state_of(w, H) is S.ACK_ACTIVE and "reason" in w.message.text()
    answer_dialog(reason)
    qtbot.mouseClick(w.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state_of(w, H) is S.UNACK_ACTIVE)
    assert rig.journal.flush()
    steps = rig.journal.read(T0, T0 + 3600 * NS, actions=[Action.ACK, Action.UNACK])
    assert [(e.action, e.user, e.comment) for e in steps] == [
        (Action.ACK, "ann", None),
        (Action.UNACK, "ann", "correction"),
        (Action.ACK, "ann", None),
        (Action.UNACK, "ann", "meant M02"),
    ]


def test_acknowledging_keeps_the_comment_in_the_list(qtbot, rig) -> None:
    w = make_table(qtbot, rig)
    rig.feed(1.0, 100.0, m2=350.0)
    qtbot.waitUntil(lambda: w.model.rowCount() == 1)
    click_row(qtbot, w, LL)

    def comment(dialog: QInputDialog) -> None:
        dialog.setTextValue("fuse checked")
        dialog.accept()

    answer_dialog(comment)
    qtbot.mouseClick(w.comment_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(w, LL, Column.COMMENT) == "fuse checked")
    ctrl_k(qtbot, w)
    qtbot.waitUntil(lambda: state_of(w, LL) is S.ACK_ACTIVE)
    assert cell(w, LL, Column.COMMENT) == "fuse checked"
    assert cell(w, LL, Column.ACKED_BY) == "ann"


def test_one_click_activates_the_asset(qtbot, rig) -> None:
    w = make_table(qtbot, rig)
    rig.feed(1.0, 120.0, m3=1600.0)
    qtbot.waitUntil(lambda: w.model.rowCount() == 2)
    with qtbot.waitSignal(w.asset_activated) as got:
        click_row(qtbot, w, SPEED)
    assert got.args == ["m3"]


def text_fits(w: QtAlarmTable, aid: str, column: Column) -> bool:
    text = str(cell(w, aid, column))
    needed = w.view.fontMetrics().horizontalAdvance(text) + PADDING // 2
    return bool(text) and needed <= w.view.columnWidth(column)


def test_columns_show_their_header_and_text_whole(qtbot, rig) -> None:
    w = make_table(qtbot, rig)
    w.operator = "Wang Xiaoming"
    rig.feed(1.0, 120.0, m2=350.0)
    qtbot.waitUntil(lambda: w.model.rowCount() == 2)
    click_row(qtbot, w, H)
    ctrl_k(qtbot, w)
    qtbot.waitUntil(lambda: state_of(w, H) is S.ACK_ACTIVE)
    w.shelve_selected(3600, comment="pump swap")  # ... after which it is shelved
    qtbot.waitUntil(lambda: state_of(w, H) is S.SHELVED)
    click_row(qtbot, w, LL)
    ctrl_k(qtbot, w)
    qtbot.waitUntil(lambda: state_of(w, LL) is S.ACK_ACTIVE)
    header = w.view.horizontalHeader()
    for column in Column:
        if column is not Column.COMMENT:  # the last column stretches
            title = str(w.model.headerData(column, Qt.Orientation.Horizontal))
            assert header.fontMetrics().horizontalAdvance(title) < header.sectionSize(column)
    for aid, column in ((H, Column.RAISED), (H, Column.SHELVED_UNTIL), (LL, Column.ACKED_BY)):
        assert text_fits(w, aid, column), (aid, column, cell(w, aid, column))
