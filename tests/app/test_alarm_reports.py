"""The alarm journal view with its CSV export, the EEMUA 191 health report of a flood,
and a replay jump that replaces many rows of the alarm table."""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget

from app.alarms import (
    AlarmFilterProxy,
    AlarmTableModel,
    QtHealthReport,
    QtJournalView,
)
from app.alarms.model import Column
from app.export.imaging import qimage_to_rgb
from tests.app.alarm_rig import (
    LL,
    NS,
    T0,
    H,
    Rig,
    S,
    open_rig,
)
from tests.app.pixels import alarm_mask, count
from twin.alarms import (
    AlarmKind,
    AlarmState,
    AlarmStatus,
    Priority,
)


@pytest.fixture
def rig(tmp_path) -> Iterator[Rig]:
    yield from open_rig(tmp_path)


def text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item.text()


# --- journal view and health ---------------------------------------------------------------


def test_the_journal_view_lists_a_range_and_exports_csv(qtbot, rig, tmp_path) -> None:
    rig.feed(1.0, 120.0, m2=350.0)
    rig.table.acknowledge(LL, "ann", "on it", t=T0 + 5 * NS)
    rig.feed(10.0, 100.0, m2=400.0)
    rig.feed(70.0, 120.0)  # outside the chosen range
    rig.journal.flush()
    view = QtJournalView(rig.journal, (T0, T0 + 70 * NS))
    qtbot.addWidget(view)
    view.range.choose("custom")
    view.range.start.setDateTime(view.range.start.dateTime().fromMSecsSinceEpoch(T0 // 10**6))
    view.range.end.setDateTime(view.range.end.dateTime().fromMSecsSinceEpoch(T0 // 10**6 + 60_000))
    assert view.refresh() == 5  # 2 raises, 1 ack, 2 clears
    assert [view.proxy.index(r, 3).data() for r in range(5)] == [
        "Raised", "Raised", "Acknowledged", "Cleared", "Cleared",
    ]  # fmt: skip
    states = [view.proxy.index(r, 4).data() for r in range(5)]
    assert states[2] == "Unacknowledged → Acknowledged"  # the list's words, not UNACK_ACTIVE
    qtbot.keyClicks(view.search, "on it")
    assert view.proxy.rowCount() == 1 and view.proxy.index(0, 7).data() == "ann"
    view.search.clear()
    view.action_combo.setCurrentIndex(view.action_combo.findText("Operator actions"))
    assert view.refresh() == 1
    view.action_combo.setCurrentIndex(0)
    view.priority_combo.setCurrentIndex(view.priority_combo.findText("Critical"))
    out = tmp_path / "alarms.csv"
    job = view.export_to(out)
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=20_000) as done:
        pass
    assert done.args == [True, str(out)]
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["alarm_id"], r["action"], r["user"]) for r in rows] == [
        (LL, "raise", ""), (LL, "ack", "ann"), (LL, "clear", ""),
    ]  # fmt: skip
    assert "Exported 3 events" in view.message.text()


def test_the_health_report_of_a_synthetic_flood(qtbot, rig) -> None:
    for i in range(30):  # H chatters: 15 raises within 30 s, all in the first 10 minutes
        rig.feed(1.0 + i, 120.0 if i % 2 == 0 else 100.0)
    rig.feed(1200.0, 100.0, m2=350.0)  # one critical alarm 20 minutes later
    rig.journal.flush()
    view = QtHealthReport(rig.journal, (T0, T0 + 3600 * NS))
    view.resize(900, 700)
    qtbot.addWidget(view)
    with qtbot.waitExposed(view):
        view.show()
    job = view.compute(T0, T0 + 3600 * NS)
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    r = view.report
    assert r is not None and r.annunciated == 16 and r.peak_per_bucket == 15
    f = view.fields
    assert f["annunciated"].text() == "16 (16 activations)"
    assert f["average"].text() == "2.67 — likely to be over-demanding"  # 16 in 6 buckets
    assert f["peak"].text() == "15 — hard to cope with"
    assert f["flood"].text() == "16.7 % (1 flood(s))"
    assert f["chattering"].text() == "1" and f["standing"].text() == "0"
    assert text(view.top_table, 0, 0) == H and text(view.top_table, 0, 1) == "15"
    assert text(view.chatter_table, 0, 0) == H
    assert view.flood_table.rowCount() == 1
    assert view.bars is not None
    assert list(view.bars.opts["height"]) == [15, 0, 1, 0, 0, 0]
    pixels = qimage_to_rgb(view.plot.grab().toImage())
    assert count(alarm_mask(pixels)) > 200  # the flood bar is drawn in red
    view.set_report(r)  # showing a report again replaces the bars
    assert len([i for i in view.plot.getPlotItem().items if i is view.bars]) == 1


def test_a_replay_jump_replaces_many_rows_and_keeps_the_proxy_consistent(qtbot) -> None:
    def status(i: int, state: AlarmState) -> AlarmStatus:
        sid = f"a{i:03d}.x"
        return AlarmStatus(
            f"{sid}:H", sid, f"a{i:03d}", AlarmKind.H, Priority.LOW, state, T0 + i, True
        )

    model = AlarmTableModel()
    proxy = AlarmFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Column.RAISED, Qt.SortOrder.AscendingOrder)
    model.set_statuses({s.alarm_id: s for s in (status(i, S.UNACK_ACTIVE) for i in range(300))})
    assert proxy.rowCount() == 300 and model.flashing
    kept = {s.alarm_id: s for s in (status(i, S.ACK_ACTIVE) for i in range(250, 260))}
    model.set_statuses(kept)  # 290 rows go at once: one reset
    assert model.rowCount() == proxy.rowCount() == 10 and not model.flashing
    assert proxy.visible_ids() == sorted(kept)
    model.set_statuses({})
    assert proxy.rowCount() == 0
    model.close()
