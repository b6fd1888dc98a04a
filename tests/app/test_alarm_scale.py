"""The alarm list at plant scale (60,000 alarms: sorted by a header click, filtered by
typing and by the combos), suppressed alarms in the list, and the flood banner."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt

from app.alarms import AlarmTableModel, QtAlarmBanner, QtAlarmTable
from app.alarms.common import raised_time
from app.alarms.model import Column
from tests.twin.test_alarm_suppression import CONN1, ND1, Rig, _run_until_lost
from twin.alarms import AlarmKind, AlarmState, AlarmStatus, Priority

NS = 1_000_000_000
T0 = 1_750_000_000 * NS
KEYS = ("current", "voltage", "winding_temp", "bearing_temp", "vibration", "speed")
S = AlarmState


def statuses(n: int, seed: int = 3, spread_s: int = 3600) -> dict[str, AlarmStatus]:
    rng = np.random.default_rng(seed)
    states = [s for s in AlarmState if s is not S.NORMAL]
    kinds = [AlarmKind.HH, AlarmKind.H, AlarmKind.LL, AlarmKind.NO_DATA]
    out = {}
    for i in range(n):
        asset = f"M{i // 6:05d}"
        sid = f"{asset}.{KEYS[i % 6]}"
        kind = kinds[int(rng.integers(len(kinds)))]
        state = states[int(rng.integers(len(states)))]
        t = T0 + int(rng.integers(0, spread_s * NS))
        s = AlarmStatus(
            f"{sid}:{kind}", sid, asset, kind, Priority(int(rng.integers(1, 5))), state, t,
            state is not S.UNACK_RTN, value=float(rng.normal(80, 30)), raised_at=t,
        )  # fmt: skip
        out[s.alarm_id] = s
    return out


def area_of(asset: str) -> str:
    return f"hall{int(asset[1:]) % 10}"


def click_header(qtbot, w: QtAlarmTable, column: Column) -> None:
    header = w.view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def shown(w: QtAlarmTable, column: Column, rows: int = 50) -> list[str]:
    return [w.proxy.index(r, column).data() for r in range(min(rows, w.proxy.rowCount()))]


def test_60000_alarms_sort_by_a_header_click_and_filter_as_typed(qtbot) -> None:
    alarms = statuses(60_000)
    w = QtAlarmTable()
    qtbot.addWidget(w)
    w.resize(1200, 500)
    w.show()
    w.set_areas({s.asset_id: area_of(s.asset_id) for s in alarms.values()})
    w.model.set_statuses(alarms)
    assert w.proxy.rowCount() == 60_000

    click_header(qtbot, w, Column.ASSET)
    qtbot.waitUntil(lambda: w.proxy.sortColumn() == Column.ASSET)
    descending = w.proxy.sortOrder() is Qt.SortOrder.DescendingOrder
    want = sorted(alarms.values(), key=lambda s: (s.asset_id.lower(), s.priority, raised_time(s)))
    want = want[::-1] if descending else want
    assert w.proxy.visible_ids() == [s.alarm_id for s in want]
    assert shown(w, Column.ASSET) == [s.asset_id for s in want[:50]]

    click_header(qtbot, w, Column.VALUE)
    qtbot.waitUntil(lambda: w.proxy.sortColumn() == Column.VALUE)
    descending = w.proxy.sortOrder() is Qt.SortOrder.DescendingOrder
    by_value = sorted(alarms.values(), key=lambda s: (s.value, s.priority, raised_time(s)))
    by_value = by_value[::-1] if descending else by_value
    assert w.proxy.visible_ids() == [s.alarm_id for s in by_value]

    qtbot.keyClicks(w.search, "M0123")
    typed = [s.alarm_id for s in by_value if "m0123" in s.alarm_id.lower()]
    assert typed and w.proxy.visible_ids() == typed
    w.search.clear()
    w.priority_combo.setCurrentIndex(w.priority_combo.findText("Critical"))
    w.area_combo.setCurrentIndex(w.area_combo.findText("hall3"))
    w.state_combo.setCurrentIndex(w.state_combo.findText("Shelved"))
    picked = [
        s.alarm_id
        for s in by_value
        if s.priority is Priority.CRITICAL
        and area_of(s.asset_id) == "hall3"
        and s.state is S.SHELVED
    ]
    assert picked and w.proxy.visible_ids() == picked
    assert {w.proxy.index(r, Column.STATE).data() for r in range(w.proxy.rowCount())} == {"Shelved"}


def test_a_lost_connection_shows_one_alarm_and_its_suppressed_no_data_rows(qtbot) -> None:
    rig = Rig()
    w = QtAlarmTable(rig.engine.table)
    banner = QtAlarmBanner(w.model)
    for widget in (w, banner):
        qtbot.addWidget(widget)
    _run_until_lost(rig)
    qtbot.waitUntil(lambda: w.model.rowCount() == len(ND1) + 1)
    assert banner.counts()[Priority.HIGH] == 1 and sum(banner.counts().values()) == 1
    w.state_combo.setCurrentIndex(w.state_combo.findText("Suppressed"))
    assert sorted(w.proxy.visible_ids()) == sorted(ND1)
    assert {w.proxy.index(r, Column.STATE).data() for r in range(len(ND1))} == {"Suppressed"}
    assert all("plc1" in w.proxy.index(r, Column.COMMENT).data() for r in range(len(ND1)))
    w.state_combo.setCurrentIndex(0)
    rig.links["plc1"] = (False, "connected")
    rig.tick(15.0)
    rig.feed("plc1", 15.2)
    qtbot.waitUntil(lambda: w.proxy.visible_ids() == [CONN1])
    assert w.model.statuses[CONN1].state is S.UNACK_RTN  # cleared, to acknowledge
    w.close()


def test_the_banner_sums_a_flood_up_by_area_and_priority_and_returns_after_it(qtbot) -> None:
    model = AlarmTableModel()
    now = [T0 + 60 * NS]
    banner = QtAlarmBanner(model, clock=lambda: now[0])
    qtbot.addWidget(banner)
    banner.show()
    flood = {
        a: s
        for a, s in statuses(1_240, seed=5, spread_s=60).items()
        if s.state in (S.UNACK_ACTIVE, S.UNACK_RTN)
    }
    assets = {s.asset_id: area_of(s.asset_id) for s in flood.values()}
    banner.set_areas(assets, {f"hall{i}": f"Hall {i}" for i in range(10)})
    few = dict(list(flood.items())[:3])
    model.set_statuses(few)
    assert not banner.newest.text().startswith("Flood")
    model.set_statuses(flood)
    text = banner.newest.text()
    assert text.startswith(f"Flood: {len(flood):,} alarms")
    per_area: dict[str, int] = {}
    for s in flood.values():
        per_area[area_of(s.asset_id)] = per_area.get(area_of(s.asset_id), 0) + 1
    top = max(per_area, key=lambda a: (per_area[a], -int(a[4:])))
    high = sum(
        1 for s in flood.values() if area_of(s.asset_id) == top and s.priority is Priority.HIGH
    )
    assert f"Hall {top[4:]}: {per_area[top]:,} (" in text and f"high {high:,}" in text
    now[0] += 11 * 60 * NS  # ten minutes without a new alarm: the flood is over
    banner.refresh()
    assert not banner.newest.text().startswith("Flood")
    assert banner.flood is None
