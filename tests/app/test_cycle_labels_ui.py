"""The cycle labels through the UI, on the demo workshop a few door panels into a run: a
label over each machine of the door-panel line and no other, saying the Lines panel's
figures at the same frame, apart from each other at the default camera, following the
cursor back, and shown or hidden by View > Cycle labels; none for a plant without lines."""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.compose.live import compose_live
from app.compose.parts import Session
from app.line import text as line_text
from app.line.panel import QtLinePanel
from app.scene.cycle_label_text import plant_labels
from app.scene.cycle_labels import REFRESH_HZ, QtCycleLabels, VtkCycleLabel
from app.scene.cycle_labels_install import ACTION, cycle_labels
from twin.clock import PlaybackClock
from twin.ingest.runtime import PlantRuntime
from twin.kpi.replay import CursorIndicators
from twin.plant.model import Plant
from twin.timebase import NS_PER_S

DAY0 = 20_600 * 86_400 * NS_PER_S  # a midnight (UTC)
BOX_RGB = (16, 19, 23)  # cycle_labels.BOX_RGBA: the label's background


@pytest.fixture(scope="module")
def slow_demo(demo_plant) -> Plant:
    """The demo without its waveform channels (kHz vibration: most of a run's cost)."""
    assets = tuple(
        dataclasses.replace(a, signals=tuple(s for s in a.signals if s.rate_hz <= 20.0))
        for a in demo_plant.assets
    )
    return dataclasses.replace(demo_plant, assets=assets)


@pytest.fixture
def shown(qtbot, slow_demo) -> Iterator[Session]:
    """The demo live for 1300 s (five or six door panels) up to 07:00 UTC, an hour into
    the early shift (so every cycle is in the shift's figures), its window shown."""
    end = DAY0 + 7 * 3600 * NS_PER_S
    runtime = PlantRuntime.simulated(slow_demo, end - 1300 * NS_PER_S)
    session = compose_live(slow_demo, runtime, PlaybackClock(wall=lambda: end), size=(1600, 1000))
    runtime.fast_forward(end)
    qtbot.addWidget(session.window)
    session.window.show()
    qtbot.waitExposed(session.window)
    yield session
    session.stop()
    session.window.close()


def _labels(session) -> QtCycleLabels:
    labels = cycle_labels(session.window)
    assert labels is not None
    return labels


def _settled(qtbot, session) -> QtCycleLabels:
    """Frames until the labels and the Lines panel say the same cursor's figures."""
    labels = _labels(session)
    panel = session.window.panels["lines"]
    assert isinstance(panel, QtLinePanel)

    def same() -> bool:
        session.scheduler.tick()
        frame = session.scheduler.last_frame
        return frame is not None and labels.shown_at == panel.shown_at == frame.cursor_ns

    qtbot.waitUntil(same, timeout=10_000)
    return labels


def _box_pixels(session, label: VtkCycleLabel) -> np.ndarray:
    """The rendered pixels of where ``label``'s box is (its display rect, y up)."""
    pixels = session.window.scene_view.frame_pixels()
    height = pixels.shape[0]
    x0, y0, x1, y1 = (round(v) for v in label.display_rect())
    return pixels[height - y1 + 2 : height - y0 - 2, x0 + 2 : x1 - 2]


def _near(pixels: np.ndarray, rgb: tuple[int, int, int]) -> float:
    """Share of ``pixels`` within a few levels of ``rgb``."""
    return float((np.abs(pixels.astype(int) - rgb).max(axis=-1) <= 3).mean())


def test_a_label_over_each_machine_of_the_line_with_the_panels_figures(qtbot, shown) -> None:
    labels = _settled(qtbot, shown)
    lines = shown.plant.lines  # the press line (S01, P01, P02, B01) and the moulding cell
    assert sorted(labels.labels.labels) == sorted(m for line in lines for m in line.machines)
    panel = shown.window.panels["lines"]
    ind = panel.indicators
    assert ind is not None
    for line in lines:
        _check_line_labels(labels, panel, ind, line)


def _check_line_labels(labels: Any, panel: Any, ind: Any, line: Any) -> None:
    """One line's labels say the Lines panel's figures for the same frame."""
    li = ind.line(line.id)
    mi = ind.machines
    assert li.parts > 0 and li.bottleneck in line.machines
    assert np.isfinite(mi.since_cycle_s[[mi.asset_ids.index(m) for m in line.machines]]).any()
    view = panel.views[line.id]
    target = line_text.duration(line.target_cycle_s)
    for asset_id in line.machines:
        label = labels.labels.labels[asset_id]
        i = mi.asset_ids.index(asset_id)
        said = label.label
        assert said is not None and label.title.GetInput() == asset_id
        last = line_text.duration(float(mi.cycle_last_s[i]))
        assert label.cycle.GetInput() == f"last {last} / {target}"
        since = float(mi.since_cycle_s[i])
        if said.state:
            assert label.figure.GetInput() == said.state
        elif np.isnan(since):  # no part made yet in the shift: the cycle under way is unknown
            assert label.figure.GetInput() == "–"
        else:
            assert label.figure.GetInput() == f"{100 * since / line.target_cycle_s:.0f} %"
        # The panel bolds the bottleneck; the label of that machine alone is tagged.
        is_bottleneck = f"<b>{asset_id} " in view.machines.text()
        assert (label.tag.GetInput() == "bottleneck") == is_bottleneck
    # The output machine's last cycle is the panel's.
    output = labels.labels.labels[line.output]
    assert f"cycle last {line_text.duration(float(mi.cycle_last_s[li.output_index]))}" in (
        view.cycle.text()
    )
    assert output.cycle.GetInput().startswith(f"last {view.cycle.text().split()[2]} /")


def test_labels_do_not_overlap_at_the_default_camera(qtbot, shown) -> None:
    labels = _settled(qtbot, shown)
    view = shown.window.scene_view
    view.reset_camera()
    view.frame_pixels()  # a render lays the labels out for this camera
    width, height = view.render_window.GetSize()
    # The press line's (the moulding cell's sit near the top edge of this small view).
    press = next(line for line in shown.plant.lines if line.id == "door_panels")
    rects = {a: labels.labels.labels[a].display_rect() for a in press.machines}
    for (a, r), (b, s) in itertools.combinations(rects.items(), 2):
        assert r[2] <= s[0] or s[2] <= r[0] or r[3] <= s[1] or s[3] <= r[1], (a, r, b, s)
    for a, (x0, y0, x1, y1) in rects.items():
        assert 0 <= x0 < x1 <= width, (a, rects[a])
        assert 0 <= y0 < y1 <= height, (a, rects[a])
        assert labels.labels.labels[a].visible


def test_text_changes_a_few_times_a_second_and_layout_only_with_the_camera(qtbot, shown) -> None:
    labels = _settled(qtbot, shown)
    end = labels.shown_at
    assert end is not None
    before, frames, started = labels.refreshes, [0], time.monotonic()

    def frame_a_second_back() -> bool:
        """Each frame at another cursor, as a replay at 30x would be."""
        frames[0] += 1
        shown.clock.seek(end - frames[0] * NS_PER_S)
        shown.scheduler.tick()
        return time.monotonic() - started > 1.6

    qtbot.waitUntil(frame_a_second_back, timeout=20_000)
    elapsed = time.monotonic() - started
    refreshed = labels.refreshes - before
    assert 2 <= refreshed <= elapsed * REFRESH_HZ + 1
    assert frames[0] > refreshed
    # A still camera lays the labels out once; a moved one, once again.
    view = shown.window.scene_view
    view.frame_pixels()
    layouts = labels.labels.layouts
    for _ in range(3):
        view.frame_pixels()
    assert labels.labels.layouts == layouts
    view.renderer.GetActiveCamera().Azimuth(10.0)
    view.frame_pixels()
    assert labels.labels.layouts == layouts + 1


def test_view_menu_hides_and_shows_the_labels(qtbot, shown) -> None:
    labels = _settled(qtbot, shown)
    window = shown.window
    action = window.findChild(QAction, ACTION)
    assert action is not None and action.isCheckable() and action.isChecked()
    menu = window.findChild(QMenu, "menu_view")
    assert menu is not None and action in menu.actions()
    label = labels.labels.labels["P01"]
    before = _box_pixels(shown, label)
    assert _near(before, BOX_RGB) > 0.5  # mostly the label's dark box
    action.trigger()
    assert not action.isChecked() and not labels.on
    hidden = _box_pixels(shown, label)
    assert _near(hidden, BOX_RGB) < 0.05  # the floor and the plant behind it
    changed = np.abs(hidden.astype(int) - before.astype(int)).max(axis=-1) > 20
    assert changed.mean() > 0.3
    refreshes = labels.refreshes
    shown.clock.seek(shown.clock() - 60 * NS_PER_S)
    for _ in range(3):
        shown.scheduler.tick()
    assert labels.refreshes == refreshes  # hidden: no figures worked out
    action.trigger()
    assert action.isChecked() and labels.on
    assert labels.refreshes == refreshes + 1  # shown again: the cursor's figures at once
    again = _box_pixels(shown, label)
    assert _near(again, BOX_RGB) > 0.5


def test_labels_follow_the_cursor_back(qtbot, shown) -> None:
    labels = _settled(qtbot, shown)
    end = labels.shown_at
    assert end is not None
    back = end - 500 * NS_PER_S  # a door panel or two earlier

    shown.clock.seek(back)
    qtbot.waitUntil(lambda: (shown.scheduler.tick(), labels.shown_at == back)[1], timeout=10_000)
    ind = CursorIndicators(shown.plant, shown.reader).at(back)
    assert ind is not None
    expected = plant_labels(ind)
    for asset_id, label in labels.labels.labels.items():
        assert label.label == expected[asset_id]
    later = plant_labels(CursorIndicators(shown.plant, shown.reader).at(end))  # type: ignore[arg-type]
    assert any(later[a] != expected[a] for a in expected)  # the figures did move


def test_a_plant_without_lines_has_no_labels_and_no_work(qtbot, make_live_app, demo_plant):
    plant = dataclasses.replace(demo_plant, lines=())
    session = make_live_app(plant, 5.0)
    window = session.window
    assert cycle_labels(window) is None
    assert not any(isinstance(v, QtCycleLabels) for v in session.scheduler.views)
    action = window.findChild(QAction, ACTION)
    assert action is not None and not action.isEnabled() and not action.isChecked()
    texts = [
        p.GetInput()
        for p in _props(window.scene_view.renderer)
        if p.IsA("vtkTextActor") and p.GetVisibility()
    ]
    assert not any(t.startswith("last ") for t in texts)


def _props(renderer) -> list:
    props = renderer.GetViewProps()
    props.InitTraversal()
    return [props.GetNextProp() for _ in range(props.GetNumberOfItems())]


def test_a_replay_labels_the_line_at_its_cursor(qtbot, replay_window) -> None:
    """The recorded incident (two minutes of the demo) opened as a replay: the same labels,
    saying the recording's figures wherever the cursor is put."""
    live, _, start = replay_window
    labels = _labels(live)
    machines = sorted(m for line in live.plant.lines for m in line.machines)
    assert sorted(labels.labels.labels) == machines
    for t in (start + 100 * NS_PER_S, start + 30 * NS_PER_S):
        live.clock.pause()
        live.clock.seek(t)
        qtbot.waitUntil(
            lambda t=t: (live.scheduler.tick(), labels.shown_at == t)[1], timeout=10_000
        )
        ind = CursorIndicators(live.plant, live.reader).at(t)
        assert ind is not None
        expected = plant_labels(ind)
        for asset_id, label in labels.labels.labels.items():
            assert label.label == expected[asset_id]
            assert label.visible
