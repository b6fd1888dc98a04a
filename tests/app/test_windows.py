"""Docks in windows of their own and second windows, all drawing the same frames as the
main window: replayed in lockstep, whatever window a view is in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QMenu

from app.alarms.model import ALARM_ID_ROLE
from app.compose.parts import Session
from app.compose.replay import Recording, compose_replay
from app.navigation.history import Place
from app.windows.detach import QtDetachedWindow
from db.journal import Journal
from db.write.recorder import Recorder
from tests.app.dialogs import answer_dialog
from tests.app.incident import FAULT_AT_S, MOTOR, RUN_S
from tests.app.pixels import alarm_mask, box, count
from twin.ingest.ingestor import Sink
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Fault, FaultKind, Plant
from twin.timebase import NS_PER_S, now_ns

AREA = "motor_bay"


def _record_with_alarms(path: Path, plant: Plant) -> int:
    """The shared incident (``tests.app.incident``) with its alarms journaled, as a live
    session records them; returns the start time (ns)."""
    end = now_ns()
    start = end - RUN_S * NS_PER_S
    runtime = PlantRuntime.simulated(plant, start, (Fault(MOTOR, FaultKind.OVERLOAD, FAULT_AT_S),))
    recorder = Recorder.open(path, runtime.store.groups, plant)
    journal = Journal(recorder.history)
    runtime.alarms.add_listener(journal.write)
    runtime.connect([runtime.alarm_sink(), Sink("history", recorder.offer)])
    runtime.fast_forward(end)
    journal.close()
    recorder.close()
    return start


@pytest.fixture(scope="module")
def journaled(tmp_path_factory, demo_plant) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("journaled") / "incident.twinhist"
    return path, _record_with_alarms(path, demo_plant)


@pytest.fixture
def replay_window(qtbot, demo_plant, journaled) -> Iterator[tuple[Session, Path, int]]:
    """A replay of the journaled incident, the motor selected."""
    path, start = journaled
    end = start + RUN_S * NS_PER_S
    live = compose_replay(Recording(str(path), demo_plant, start, end, start), size=(1400, 900))
    qtbot.addWidget(live.window)
    live.window.show()
    qtbot.waitExposed(live.window)
    live.window.selection.select(MOTOR)
    yield live, path, start
    live.stop()


def _seek(qtbot, live, t: int, *views_at) -> None:
    """Put the replay at ``t`` and tick until every view checked by ``views_at`` shows it."""
    live.clock.pause()
    live.clock.seek(t)

    def drawn() -> bool:
        live.scheduler.tick()
        frame = live.scheduler.last_frame
        return frame is not None and frame.cursor_ns == t and all(at() == t for at in views_at)

    qtbot.waitUntil(drawn, timeout=10_000)


def _alarm_assets(table) -> set[str]:
    proxy = table.proxy
    ids = (str(proxy.index(r, 0).data(ALARM_ID_ROLE)) for r in range(proxy.rowCount()))
    return {i.split(".")[0] for i in ids}


def _state(values, signal_name: str) -> str:
    rows = {values.item(r, 0).text(): values.item(r, 3).text() for r in range(values.rowCount())}
    return rows[signal_name]


def _plots_end(plots) -> float:
    return plots.graphics.getItem(0, 0).viewRange()[0][1]


def _menu_item(menu: QMenu, text: str):
    menu.aboutToShow.emit()  # the Windows menu is filled as it opens
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def test_the_detached_alarm_list_replays_in_lockstep_with_the_main_window(
    qtbot, replay_window
) -> None:
    live, _, start = replay_window
    window = live.window
    table = window.alarms.table
    _menu_item(window.windows.menu, "Detach Alarms into its own window").trigger()
    detached = window.windows.docks.detached["dock_alarms"]
    assert isinstance(detached, QtDetachedWindow)
    qtbot.waitExposed(detached)
    assert detached.isWindow() and table.window() is detached
    assert detached.windowFlags() & Qt.WindowType.WindowMinimizeButtonHint
    assert detached.windowFlags() & Qt.WindowType.WindowMaximizeButtonHint
    assert "Alarms" in detached.windowTitle()
    assert not window.findChild(type(window.windows.docks.docks()[0]), "dock_alarms").isVisible()
    current = live.plant.asset(MOTOR).signal("current").name

    def table_at() -> int | None:
        return table._shown_at

    after = start + 100 * NS_PER_S
    _seek(qtbot, live, after, table_at)
    assert MOTOR in _alarm_assets(table)
    assert _state(window.values, current) == "alarm"
    assert _plots_end(window.plots) == pytest.approx(after / NS_PER_S, abs=1e-3)

    before = start + 20 * NS_PER_S
    _seek(qtbot, live, before, table_at)
    assert MOTOR not in _alarm_assets(table)
    assert _state(window.values, current) == "normal"

    live.clock.set_rate(8.0)
    live.clock.play()

    def played_in_step() -> bool:
        live.scheduler.tick()
        frame = live.scheduler.last_frame
        return frame.cursor_ns > before + 2 * NS_PER_S and table_at() == frame.cursor_ns

    qtbot.waitUntil(played_in_step, timeout=10_000)
    frame = live.scheduler.last_frame
    assert _plots_end(window.plots) == pytest.approx(frame.cursor_ns / NS_PER_S, abs=1e-3)
    live.clock.pause()

    detached.showMinimized()  # a window of its own: the desktop minimises it alone
    qtbot.waitUntil(detached.isMinimized, timeout=3_000)
    assert window.isVisible() and not window.isMinimized()
    detached.close()  # its close button puts the list back in its dock
    dock = window.windows.docks.dock("alarms")
    assert dock is not None and dock.widget() is table and dock.isVisible()
    assert table.window() is window and not window.windows.docks.detached
    _seek(qtbot, live, after, table_at)  # and the dock's list goes on following the cursor
    assert MOTOR in _alarm_assets(table)


def test_a_right_click_on_a_dock_title_offers_to_detach_it(qtbot, replay_window) -> None:
    live, _, _ = replay_window
    window = live.window
    dock = window.windows.docks.dock("Values")
    assert dock is not None
    title = dock.mapTo(window, QPoint(dock.width() // 2, 4))  # the title bar, above the table
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, dock.mapFrom(window, title), dock.mapToGlobal(QPoint())
    )
    QApplication.sendEvent(dock, event)
    menus = [m for m in window.findChildren(QMenu) if m.isVisible()]
    assert len(menus) == 1
    menus[0].actions()[0].trigger()
    menus[0].close()
    assert window.windows.docks.is_detached(dock)
    assert window.values.window() is window.windows.docks.detached["dock_Values"]
    window.windows.docks.reattach(dock)
    assert window.values.window() is window


def test_a_new_window_on_an_area_shows_its_assets_and_follows_the_clock(
    qtbot, replay_window
) -> None:
    live, _, start = replay_window
    window, plant = live.window, live.plant
    area = plant.areas[0]
    views = live.scheduler.views  # the window's, and those installed beside it

    def choose_area(dialog: QInputDialog) -> None:
        dialog.setTextValue(area.name)
        dialog.accept()

    answer_dialog(choose_area)
    second = window.windows.ask_new_window()
    assert second is not None
    qtbot.waitExposed(second)
    assert second.isWindow() and second is not window
    assert second.listed_assets() == [a.id for a in plant.assets_in(area.id)]
    assert second.navigator.bar.names(second.navigator.place) == [plant.name, area.name]
    assert second.windowTitle().endswith(area.name)
    assert second in live.scheduler.views

    second.selection.select(MOTOR)  # its own selection: the main window's stays
    window.selection.select(plant.assets[-1].id)
    assert window.selection.asset_id != MOTOR
    view = second.scene_view
    qtbot.waitUntil(lambda: not view.flying, timeout=5_000)
    centre = view.scene.asset_centre(MOTOR)
    current = plant.asset(MOTOR).signal("current")

    def plotted_there() -> int:
        return round(_plots_end(second.plots) * NS_PER_S)

    after = start + 100 * NS_PER_S
    _seek(qtbot, live, after)
    qtbot.waitUntil(lambda: current.id in live.scheduler.last_frame.plots, timeout=5_000)
    _seek(qtbot, live, after)
    assert _plots_end(second.plots) == pytest.approx(after / NS_PER_S, abs=1e-3)
    xs, _ = second.plots.curves[current.id].getData()
    assert xs is not None and xs.size > 0 and xs[-1] <= after / NS_PER_S + 1e-6
    assert _state(second.values, current.name) == "alarm"
    near = box(view.frame_pixels(), view.display_position(centre), 25)
    assert count(alarm_mask(near)) > 15

    before = start + 20 * NS_PER_S
    _seek(qtbot, live, before)
    assert _state(second.values, current.name) == "normal"
    near = box(view.frame_pixels(), view.display_position(centre), 25)
    assert count(alarm_mask(near)) == 0
    assert plotted_there() == pytest.approx(before, abs=NS_PER_S // 1000)

    second.close()
    qtbot.waitUntil(lambda: not window.windows.seconds, timeout=3_000)
    assert live.scheduler.views == views
    assert live.scheduler.builder.plotted == window.plots.plotted  # its signals are no longer read
    assert current.id not in live.scheduler.builder.plotted
    _seek(qtbot, live, after)  # the session goes on without it
    assert window.isVisible()


def test_a_new_window_on_an_asset_selects_it_in_its_area(qtbot, replay_window) -> None:
    live, _, _ = replay_window
    second = live.window.windows.open_window(Place(AREA, MOTOR))
    qtbot.waitExposed(second)
    assert second.selection.asset_id == MOTOR
    assert MOTOR in second.listed_assets()
    assert second.plots.asset_id == MOTOR
    second.close()
