"""A small alarm set-up the alarm UI tests share: four rules over three signals, a real
engine and a real journal in a temporary history."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt

from app.alarms import QtAlarmTable
from app.alarms.model import Column
from app.frame.builder import Frame
from db import open_history
from db.journal import Journal
from twin.alarms import AlarmEngine, AlarmKind, AlarmRule, AlarmState, Priority
from twin.batch import Batch, ChannelGroup

S = AlarmState
NS = 1_000_000_000
T0 = 1_750_000_000 * NS
RULES = [
    AlarmRule("m1.temp", "m1", AlarmKind.HH, Priority.HIGH, limit=130.0),
    AlarmRule("m1.temp", "m1", AlarmKind.H, Priority.MEDIUM, limit=110.0),
    AlarmRule("m2.volt", "m2", AlarmKind.LL, Priority.CRITICAL, limit=360.0),
    AlarmRule("m3.speed", "m3", AlarmKind.H, Priority.LOW, limit=1500.0),
]
HH, H, LL, SPEED = (r.alarm_id for r in RULES)
GROUP = ChannelGroup("g", ("m1.temp", "m2.volt", "m3.speed"), 1.0)
NORMAL_VALUES = (100.0, 400.0, 1000.0)
AREAS = {"m1": "hall_a", "m2": "hall_a", "m3": "hall_b"}
AREA_NAMES = {"hall_a": "Hall A", "hall_b": "Hall B"}


@dataclass
class Rig:
    engine: AlarmEngine
    journal: Journal
    now: list[int]

    @property
    def table(self):
        return self.engine.table

    def feed(self, second: float, m1: float, m2: float = 400.0, m3: float = 1000.0) -> None:
        """One sample of each signal at T0 + ``second``; the operator clock follows."""
        t = T0 + round(second * NS)
        self.now[0] = max(self.now[0], t)
        v = np.array([[m1], [m2], [m3]], dtype=np.float64)
        self.engine.on_batch(Batch("g", np.array([t], dtype=np.int64), v))

    def at(self, second: float) -> None:
        self.now[0] = T0 + round(second * NS)


def open_rig(tmp_path: Path) -> Iterator[Rig]:
    """An engine over RULES with a journal in a fresh history (each test's ``rig``)."""
    now = [T0]
    engine = AlarmEngine(RULES, [GROUP], clock=lambda: now[0], start_ns=T0)
    history = open_history(tmp_path / "alarms.twinhist")
    journal = Journal(history)
    engine.add_listener(journal.write)
    yield Rig(engine, journal, now)
    journal.close()
    history.close()


def make_table(qtbot, rig: Rig, **kw) -> QtAlarmTable:
    w = QtAlarmTable(rig.table, journal=rig.journal, **kw)
    w.operator = "ann"
    w.set_areas(AREAS, AREA_NAMES)
    w.resize(1100, 400)
    qtbot.addWidget(w)
    with qtbot.waitExposed(w):
        w.show()
    return w


def state_of(w: QtAlarmTable, aid: str) -> AlarmState | None:
    s = w.model.statuses.get(aid)
    return None if s is None else s.state


def cell(w: QtAlarmTable, aid: str, column: Column) -> object:
    """What the table model shows in ``column`` of alarm ``aid``'s row."""
    row = w.model.row_of(aid)
    assert row is not None, aid
    return w.model.index(row, column).data()


def click_row(qtbot, w: QtAlarmTable, aid: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    row = w.proxy.visible_ids().index(aid)
    rect = w.view.visualRect(w.proxy.index(row, Column.STATE))
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def frame(t: int, live: bool) -> Frame:
    empty = np.empty(0)
    return Frame(t, None, empty, empty, empty, empty, live=live)  # type: ignore[arg-type]
