"""Advisory events journaled as events rows in a real SQLite history, and read back."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from db import open_history
from db.advisories import AdvisoryJournal
from db.journal import Journal
from tests.twin.condition import fleet
from twin.condition.advisories import CLEAR, RAISE, AdvisoryEvent
from twin.condition.monitor import HealthMonitor

NS = 1_000_000_000
T0 = 1_750_000_000 * NS


def ev(t: int, asset: str, cause: str, action: str = RAISE, health: float = 55.5) -> AdvisoryEvent:
    return AdvisoryEvent(
        T0 + t * NS, asset, cause, action, 0.45, health,
        f"{cause}: zone C, rising 0.4 mm/s per hour, alarm in ~6 h", "vibration 3.1 mm/s zone C",
    )  # fmt: skip


def test_round_trip_with_filters_and_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "h.twinhist"
    events = [ev(10, "M1", "bearing"), ev(20, "M2", "cooling", health=math.nan),
              ev(30, "M1", "bearing", CLEAR), ev(40, "M3", "supply")]  # fmt: skip
    with open_history(path) as h, AdvisoryJournal(h) as j:
        assert j.write(events[:2]) and j.write(events[2:])
        assert j.flush()
        assert j.written == 4
    with open_history(path) as h:
        j = AdvisoryJournal(h)
        back = j.read(T0, T0 + 100 * NS)
        assert back[0] == events[0] and back[2:] == events[2:]
        assert math.isnan(back[1].health) and back[1].summary == events[1].summary
        assert j.read(T0 + 20 * NS, T0 + 40 * NS) == [back[1], back[2]]
        assert j.read(T0, T0 + 100 * NS, asset_ids=["M1"]) == [events[0], events[2]]
        assert j.read(T0, T0 + 100 * NS, causes=["supply"]) == [events[3]]
        # Advisories are not alarms: the alarm journal does not see them.
        assert Journal(h).read(T0, T0 + 100 * NS) == []


def test_a_read_only_history_takes_no_advisories(tmp_path: Path) -> None:
    path = tmp_path / "h.twinhist"
    open_history(path).close()
    with open_history(path, read_only=True) as h:
        assert not AdvisoryJournal(h).write([ev(1, "M1", "bearing")])


def test_the_monitor_journals_what_it_raises(tmp_path: Path) -> None:
    rng = np.random.default_rng(6)
    plant = fleet.plant(2)
    shapes = [fleet.healthy(rng) for _ in range(2)]
    shapes[1]["current"] = lambda t: np.full(t.shape, 20.0)  # a frozen current reading
    monitor = HealthMonitor(plant, fleet.groups(plant))
    with open_history(tmp_path / "h.twinhist") as h, AdvisoryJournal(h) as journal:
        monitor.add_listener(journal.write)
        for b in fleet.batches(plant, shapes, 900):
            monitor.consume(b)
        assert journal.flush()
        (got,) = journal.read(fleet.T0, fleet.T0 + 900 * NS)
    (raised,) = monitor.events_since(0)[0]
    assert got == raised
    assert (got.asset_id, got.cause, got.action) == ("M002", "sensor", RAISE)
    assert got.summary == "sensor: current frozen" and "current 0.70 x rated" in got.evidence
