"""Fleet health follows the clock: moved in a replay, every fleet view shows the snapshot
as it was known at the cursor, and nothing before the first."""

from __future__ import annotations

import numpy as np

from app.compose.replay import Recording, compose_replay
from app.fleet.map import QtFleetMap
from app.fleet.model import ASSET
from app.fleet.panel import QtFleetPanel
from app.theme import health_rgb
from tests.app.fleet_data import Sick, fleet_health
from tests.app.incident import RUN_S
from twin.condition.series import SnapshotSeries
from twin.condition.snapshot import FleetHealth, Ne107
from twin.timebase import NS_PER_S


def test_fleet_views_follow_the_replay_clock(qtbot, demo_plant, recorded) -> None:
    path, start = recorded
    ids = [a.id for a in demo_plant.assets]
    early = fleet_health(ids, start + 20 * NS_PER_S, {"M03": Sick(30, Ne107.FAILURE, "supply")})
    late = fleet_health(ids, start + 80 * NS_PER_S, {"M07": Sick(10, Ne107.FAILURE, "overload")})
    recording = Recording(str(path), demo_plant, start, start + RUN_S * NS_PER_S, start)
    session = compose_replay(recording, size=(1600, 1000), health=SnapshotSeries([early, late]))
    window = session.window
    qtbot.addWidget(window)
    try:
        window.show()
        qtbot.waitExposed(window)
        panel, tiles = window.panels["fleet"], window.panels["fleet_map"]
        assert isinstance(panel, QtFleetPanel) and isinstance(tiles, QtFleetMap)
        window.colour_by_health.trigger()
        scene = window.scene_view.scene
        index = {a.id: i for i, a in enumerate(demo_plant.assets)}
        m03, m07 = index["M03"], index["M07"]

        def at(seconds: int) -> FleetHealth | None:
            session.clock.seek(start + seconds * NS_PER_S)
            session.draw_loaded_frame()
            tiles.repaint()
            frame = session.scheduler.last_frame
            assert frame is not None and frame.cursor_ns == start + seconds * NS_PER_S
            return frame.health

        def tile(asset_id: str) -> tuple[int, int, int]:
            colour = tiles.grab().toImage().pixelColor(tiles.tile_rect(asset_id).center())
            return colour.red(), colour.green(), colour.blue()

        def rgb(value: float) -> tuple[int, int, int]:
            return tuple(int(c) for c in health_rgb(np.array([value]))[0])  # type: ignore[return-value]

        assert at(10) is None  # before the first evaluation: nothing known
        assert panel.model.rowCount() == 0
        assert np.isnan(scene.health).all()
        assert tile("M03") == rgb(np.nan)

        assert at(50) is early
        assert panel.model.index(0, ASSET).data() == "M03"
        assert scene.health[m03] == 30 and scene.health[m07] > 80
        assert tile("M03") == rgb(30)

        assert at(100) is late
        assert panel.model.index(0, ASSET).data() == "M07"
        assert scene.health[m07] == 10 and scene.health[m03] > 80
        assert tile("M07") == rgb(10) and tile("M03") != rgb(30)

        at(30)  # back again: the earlier snapshot
        assert panel.model.index(0, ASSET).data() == "M03"
    finally:
        session.stop()


def test_a_replay_evaluates_health_from_the_recording_after_its_first_frame(
    qtbot, demo_plant, recorded
) -> None:
    """Without a health source given, the replay's own starts evaluating once the first
    frame is drawn (that frame does not wait for it) and then answers at the cursor."""
    path, start = recorded
    cursor = start + (RUN_S - 5) * NS_PER_S
    recording = Recording(str(path), demo_plant, start, start + RUN_S * NS_PER_S, cursor)
    session = compose_replay(recording, size=(1600, 1000))
    qtbot.addWidget(session.window)
    try:
        health = session.health
        assert health is not None
        with qtbot.waitSignal(session.scheduler.frame_drawn, timeout=30_000):
            session.draw_loaded_frame()
        qtbot.waitUntil(lambda: health.health_at(cursor) is not None, timeout=30_000)
        known = health.health_at(cursor)
        assert known is not None and known.t_ns <= cursor
        assert set(known.asset_ids) <= {a.id for a in demo_plant.assets}
    finally:
        session.stop()
