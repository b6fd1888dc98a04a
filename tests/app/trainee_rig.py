"""Driving a trainee's session in the tests: the lessons prepared once, a window on one
with a wall clock the test moves, and the trainee's clicks."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from app.alarms.model import ALARM_ID_ROLE
from app.compose.parts import Session
from app.compose.trainee import compose_trainee
from app.compose.training import Prepared
from app.training.controller import TraineeController
from app.training.lock import TrainingClock
from db.training import TrainingRecords
from twin.timebase import NS_PER_S
from twin.training.model import Scenario

ROOT = Path(__file__).resolve().parents[2]
TRAINING = ROOT / "assets" / "training"
PACKAGE = TRAINING / "motor_overload.twinpkg"
SPEED = 100.0
WALL_STEP_NS = 3 * NS_PER_S // 10  # each poll moves the wall clock this much: 30 s of scenario


def lesson_package() -> Path:
    """The replay lesson's incident package, as the set-up makes it."""
    if not PACKAGE.exists():
        script = ROOT / "scripts" / "make_lesson_package.py"
        subprocess.run([sys.executable, str(script), "-o", str(PACKAGE)], check=True, timeout=300)
    return PACKAGE


class Trainee:
    """A window on ``prepared`` whose clock runs on a wall the test moves; the trainee's
    clicks."""

    def __init__(self, qtbot, prepared: Prepared, name: str, records: Path) -> None:
        self.qtbot = qtbot
        self.wall = 1_000 * NS_PER_S
        self.clock = TrainingClock(lambda: self.wall)
        self.records = TrainingRecords(records)
        self.session: Session
        self.controller: TraineeController
        self.session, self.controller = compose_trainee(
            prepared, name, speed=SPEED, records=self.records, clock=self.clock
        )
        self.window = self.session.window
        qtbot.addWidget(self.window)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.session.start()
        QApplication.setActiveWindow(self.window)  # Xvfb has no window manager to do it

    @property
    def scenario(self) -> Scenario:
        return self.controller.training.scenario

    @property
    def panel(self):
        return self.controller.panel

    def close(self) -> None:
        self.session.stop()
        self.records.close()

    def run_until(self, done: Callable[[], bool], timeout: int = 15_000) -> None:
        """Let the scenario play (the wall moves on at each poll) until ``done()``."""

        def check() -> bool:
            if done():
                return True
            self.wall += WALL_STEP_NS
            return False

        self.qtbot.waitUntil(check, timeout=timeout)

    def wait_step(self, step_id: str) -> None:
        """Play on until ``step_id`` is open."""
        training = self.controller.training
        self.run_until(lambda: training.current is not None and training.current.id == step_id)

    def run_seconds(self, seconds: float) -> None:
        """Play on ``seconds`` of scenario time (the clock runs)."""
        reached = self.clock.reached_ns or 0
        target = reached + round(seconds * NS_PER_S)
        self.run_until(lambda: (self.clock.reached_ns or 0) >= target or self.clock.held)

    def click(self, widget: QWidget) -> None:
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def go_on(self) -> None:
        self.click(self.panel.continue_button)

    def choose(self, option: str) -> None:
        button = next(b for b in self.panel.choices if b.text() == option)
        self.click(button)

    def type_value(self, value: float) -> None:
        self.qtbot.keyClicks(self.panel.value_edit, f"{value:g}")
        self.click(self.panel.answer_button)

    def click_asset_in_tree(self, asset_id: str) -> None:
        tree = self.window.tree
        item = tree.item_of(asset_id)
        assert item is not None
        tree.tree.scrollToItem(item)
        rect = tree.tree.visualItemRect(item)
        pos = QPoint(min(rect.left() + 8, tree.tree.viewport().width() - 4), rect.center().y())
        self.qtbot.mouseClick(tree.tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)

    def alarm_row(self, alarm_id: str) -> QModelIndex:
        table = self.session.alarms.table
        self.qtbot.waitUntil(lambda: _row(table.proxy, alarm_id) is not None)
        index = _row(table.proxy, alarm_id)
        assert index is not None
        return index

    def click_alarm(self, alarm_id: str) -> None:
        view: QAbstractItemView = self.session.alarms.table.view
        index = self.alarm_row(alarm_id)
        view.scrollTo(index)
        pos = view.visualRect(index).center()
        self.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)

    def acknowledge(self, alarm_id: str) -> None:
        """Select the alarm's row, then the Acknowledge button."""
        self.click_alarm(alarm_id)
        table = self.session.alarms.table
        self.qtbot.waitUntil(lambda: table.ack_button.isEnabled())
        self.click(table.ack_button)


def _row(proxy, alarm_id: str) -> QModelIndex | None:
    for row in range(proxy.rowCount()):
        index = proxy.index(row, 0)
        if proxy.data(index, ALARM_ID_ROLE) == alarm_id:
            return index
    return None
