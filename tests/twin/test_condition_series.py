"""SnapshotSeries: the last snapshot at or before a time, and one asset's history."""

from __future__ import annotations

import numpy as np
import pytest

from twin.condition.plant_rows import PlantRows
from twin.condition.series import SnapshotSeries
from twin.condition.snapshot import FleetHealth
from twin.plant.model import Area, Asset, Plant

IDS = ("M1", "M2", "M3")


def _snapshot(t_ns: int, health: list[float], ids: tuple[str, ...] = IDS) -> FleetHealth:
    n = len(ids)
    return FleetHealth(
        t_ns,
        ids,
        np.array(health, dtype=np.float32),
        np.zeros(n, dtype=np.int8),
        np.zeros(n, dtype=np.int8),
        np.full(n, np.inf),
        ("",) * n,
        ("",) * n,
    )


def test_health_at_is_the_last_snapshot_at_or_before_the_time() -> None:
    a, b = _snapshot(100, [90, 80, 70]), _snapshot(200, [85, 60, 70])
    series = SnapshotSeries([a, b])
    assert series.health_at(99) is None
    assert series.health_at(100) is a
    assert series.health_at(199) is a
    assert series.health_at(200) is b
    assert series.health_at(10**12) is b


def test_history_of_one_asset_within_the_range() -> None:
    series = SnapshotSeries(_snapshot(t, [100 - t, 50, 0]) for t in range(0, 50, 10))
    times, health = series.health_history("M1", 10, 30)
    assert times.tolist() == [10, 20, 30]
    assert health.dtype == np.float32
    assert health.tolist() == [90, 80, 70]
    times, health = series.health_history("M9", 0, 100)
    assert len(times) == len(health) == 0


def test_history_follows_an_asset_whose_row_changes() -> None:
    series = SnapshotSeries([_snapshot(1, [10, 20, 30]), _snapshot(2, [25, 15], ("M2", "M1"))])
    assert series.health_history("M1", 0, 5)[1].tolist() == [10, 15]


def test_a_snapshot_older_than_the_last_is_refused_with_its_time() -> None:
    series = SnapshotSeries([_snapshot(500, [1, 2, 3])])
    with pytest.raises(ValueError, match=r"t_ns=400.*t_ns=500"):
        series.add(_snapshot(400, [1, 2, 3]))


def test_keep_drops_the_oldest() -> None:
    series = SnapshotSeries((_snapshot(t, [t, t, t]) for t in range(5)), keep=2)
    assert len(series) == 2
    assert series.health_at(2) is None
    assert series.health_history("M2", 0, 10)[0].tolist() == [3, 4]


def _plant() -> Plant:
    areas = (Area("h1", "Hall 1"), Area("h2", "Hall 2"))
    assets = tuple(
        Asset(a, a, "motor", area, (0.0, 0.0, 0.0), 0.0, ())
        for a, area in (("M1", "h1"), ("M2", "h2"), ("M3", "h2"), ("M4", "h1"))
    )
    return Plant("p", "/nonexistent/p.toml", areas, assets)


def test_plant_rows_map_a_snapshot_to_plant_order_and_areas() -> None:
    rows = PlantRows(_plant())
    snapshot = _snapshot(1, [30, 10, 20, 99], ("M3", "M1", "X9", "M2"))
    assert rows.plant_of_row(snapshot).tolist() == [2, 0, -1, 1]
    assert rows.area_of_row(snapshot).tolist() == [1, 0, -1, 1]
    in_plant = rows.health_in_plant_order(snapshot)
    assert in_plant[:3].tolist() == [10, 99, 30]
    assert np.isnan(in_plant[3])  # M4 is not monitored
