"""The Connections dock on a real Modbus server: every figure visible in the default
layout, a unit that does not answer named plainly, and the last error kept with its time
once the connection is back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from app.compose.live import compose_live
from app.compose.parts import Session
from tests.twin.connectors.servers import LoopThread, ModbusServer
from twin.ingest.runtime import PlantRuntime
from twin.plant.loader import parse_plant
from twin.timebase import now_ns

PLANT = """
[plant]
name = "Press line"
[[areas]]
id = "bay"
[[connections]]
id = "press_line_plc"
protocol = "modbus"
host = "127.0.0.1"
port = {port}
poll_interval_ms = 100
timeout_s = 0.3
reconnect_min_s = 0.1
[[assets]]
id = "P01"
kind = "press"
area = "bay"
position = [0, 0, 0]
[[assets.signals]]
key = "force"
rate_hz = 10
normal = [0, 200]
source = {{ connection = "press_line_plc", register = 300 }}
{extra}
"""
SILENT_UNIT = """
[[assets.signals]]
key = "ram_temp"
rate_hz = 10
normal = [0, 200]
source = { connection = "press_line_plc", register = 5, unit_id = 7 }
"""


@pytest.fixture(scope="module")
def loop() -> Iterator[LoopThread]:
    thread = LoopThread("test-modbus-dock")
    yield thread
    thread.close()


@pytest.fixture
def gateway(loop: LoopThread) -> Iterator[ModbusServer]:
    """Unit 1 answers (register 300 = 99); any other unit id is left unanswered."""
    server = ModbusServer(loop, {300: 99}, inputs={0: 1}, silent_units=True)
    server.start()
    yield server
    server.stop()


def _session(qtbot, port: int, extra: str = "") -> Session:
    plant = parse_plant(PLANT.format(port=port, extra=extra), "press.toml")
    session = compose_live(plant, PlantRuntime.for_plant(plant, now_ns()))
    qtbot.addWidget(session.window)
    session.window.show()
    session.start()
    return session


def _dock(session: Session) -> QTreeWidget:
    dock = session.window.panels["connections"]
    assert isinstance(dock, QTreeWidget)
    return dock


def _top(dock: QTreeWidget) -> QTreeWidgetItem:
    """The connection's row."""
    item = dock.topLevelItem(0)
    assert item is not None
    return item


def _problem(dock: QTreeWidget) -> QTreeWidgetItem | None:
    """The spanned line under the connection: its problem or last error."""
    first = _top(dock).child(0)
    return first if first is not None and first.isFirstColumnSpanned() else None


def _shows_whole(dock: QTreeWidget, item: QTreeWidgetItem, column: int) -> bool:
    """``item``'s text in ``column`` is drawn whole (not elided) inside the viewport."""
    rect = dock.visualItemRect(item)
    left = dock.header().sectionViewportPosition(column)
    width = rect.right() - left if item.isFirstColumnSpanned() else dock.columnWidth(column)
    right = left + dock.columnWidth(column)
    inside = item.isFirstColumnSpanned() or right <= dock.viewport().width()
    return inside and dock.fontMetrics().horizontalAdvance(item.text(column)) < width


def test_a_silent_unit_is_named_and_every_figure_shows_in_the_default_layout(
    qtbot, gateway: ModbusServer
) -> None:
    session = _session(qtbot, gateway.port, SILENT_UNIT)
    try:
        dock = _dock(session)
        top = _top(dock)
        qtbot.waitUntil(
            lambda: (
                (row := _problem(dock)) is not None and row.text(0) == "unit 7 does not respond"
            ),
            timeout=10_000,
        )
        qtbot.waitUntil(lambda: top.text(3) not in ("", "—"), timeout=5_000)
        assert top.text(1) == "connected"
        # Unit 1 is polled on: the rate (over the last whole second) comes up.
        qtbot.waitUntil(lambda: float(top.text(2).replace(",", "") or 0) > 0, timeout=5_000)
        assert not dock.horizontalScrollBar().isVisible()
        for column in range(4):
            assert _shows_whole(dock, top, column), (column, top.text(column))
        row = _problem(dock)
        assert row is not None and _shows_whole(dock, row, 0)
        assert "modbus://127.0.0.1" in top.toolTip(0)
        # Folded away by the user, the connection stays folded through later refreshes.
        dock.setFocus()
        dock.setCurrentItem(top)
        qtbot.keyClick(dock.viewport(), Qt.Key.Key_Left)
        assert not top.isExpanded()
        shown = top.text(3)
        qtbot.waitUntil(lambda: top.text(3) != shown, timeout=5_000)  # refreshed since
        assert not top.isExpanded() and top.childCount() == 1
    finally:
        session.stop()


def test_after_recovery_the_last_error_shows_with_its_time_and_the_problem_is_gone(
    qtbot, gateway: ModbusServer
) -> None:
    session = _session(qtbot, gateway.port)
    try:
        dock = _dock(session)
        top = _top(dock)
        qtbot.waitUntil(lambda: top.text(1) == "connected", timeout=10_000)
        assert _problem(dock) is None
        gateway.stop()
        qtbot.waitUntil(lambda: top.text(1) == "reconnecting", timeout=10_000)
        qtbot.waitUntil(lambda: _problem(dock) is not None, timeout=5_000)
        now = _problem(dock)
        assert now is not None and now.text(0).startswith("modbus://127.0.0.1")
        wrong_now = now.foreground(0).color().name()
        gateway.start()
        qtbot.waitUntil(lambda: top.text(1) == "connected", timeout=15_000)
        qtbot.waitUntil(
            lambda: (row := _problem(dock)) is not None and row.text(0).startswith("last error"),
            timeout=5_000,
        )
        row = _problem(dock)
        assert row is not None
        stamp, _, text = row.text(0).removeprefix("last error ").partition(": ")
        assert len(stamp) == 8 and stamp.count(":") == 2  # HH:mm:ss
        assert text.startswith("modbus://127.0.0.1") and text in row.toolTip(0)
        assert row.foreground(0).color().name() != wrong_now  # no longer shown as a problem
        health = session.live_runtime.sources[0].health.snapshot()  # type: ignore[attr-defined]
        assert health.problem is None and health.last_error_ns is not None
    finally:
        session.stop()
