"""The 3D scene: equipment parts, motion from telemetry, overlays, interaction, scale and
export. Shape tests need no display; the rest render under Xvfb and check pixels."""

from __future__ import annotations

import importlib.util
import logging
import math
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import imageio.v3 as iio
import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QToolTip

from app.frame.builder import Frame
from app.scene import camera as cam
from app.scene.equipment import BUILDERS, LOD_LOW, ShapeLibrary, build_parts, instance_scale
from app.scene.instances import ShapeInstances
from app.scene.parts import ROLES
from app.scene.qt_scene_view import RENDER_SHARE, QtSceneView
from app.theme import FLOOR_RGB, STATE_RGB
from tests.app.pixels import alarm_mask, box, count, normal_mask
from twin.plant.loader import load_plant
from twin.plant.model import Area, Asset, Plant, Signal
from twin.status import State
from twin.timebase import NS_PER_S

ROOT = Path(__file__).resolve().parents[2]
T0 = 1_700_000_000 * NS_PER_S
EXPECTED_PARTS = {
    "motor": {"housing", "end_shields", "fan_cowl", "shaft", "feet", "terminal_box"},
    "press": {"frame", "ram", "bed", "sheet_blank"},
    "extruder": {"barrel", "die_head", "hopper", "heater_bands", "base"},
    "loom": {"frame", "warp_beam", "heddles", "cloth_roll"},
    "robot": {"base", "turret", "upper_arm", "forearm", "wrist", "flange"},
    "elevator": {"shaft", "car", "counterweight", "guide_rails"},
    "conveyor": {"belt", "rollers", "slats"},
    "pump": {"volute", "motor", "pipes", "base"},
}
MOTION_KEYS = {
    "motor": ("speed", "winding_temp"),
    "press": ("ram_position",),
    "robot": tuple(f"joint{j}" for j in range(1, 7)),
    "elevator": ("car_position",),
    "conveyor": ("belt_speed",),
}


# -- plants and frames ------------------------------------------------------------------------
def _asset(
    asset_id: str,
    kind: str,
    position: tuple[float, float, float] = (0.0, 0.0, 0.0),
    params: dict[str, float | str] | None = None,
    keys: Sequence[str] = ("current",),
) -> Asset:
    signals = tuple(
        Signal(f"{asset_id}.{k}", asset_id, k, k.replace("_", " ").capitalize(), "u", 10.0, (0, 1))
        for k in keys
    )
    return Asset(asset_id, f"{asset_id} {kind}", kind, "a", position, 0.0, signals, params or {})


def _plant(*assets: Asset, source: str = "/nonexistent/plant.toml") -> Plant:
    return Plant("test", source, (Area("a", "Area A"),), tuple(assets))


def _frame(
    plant: Plant, values: dict[str, float], state: State = State.NORMAL, t_ns: int = T0
) -> Frame:
    ids = [s.id for s in plant.signals]
    v = np.array([values.get(i, 0.0) for i in ids], dtype=np.float64)
    return Frame(
        cursor_ns=t_ns,
        plots=None,  # type: ignore[arg-type]  # the 3D view reads values and states only
        values=v,
        last_times=np.full(len(ids), t_ns, dtype=np.int64),
        signal_states=np.zeros(len(ids), dtype=np.int8),
        asset_states=np.full(len(plant.assets), state, dtype=np.int8),
    )


def _look_at(view: QtSceneView, asset_id: str, margin: float = 1.3) -> None:
    bounds = view.scene.asset_bounds(asset_id)
    view.apply_view(cam.fit_view(bounds, (0.6, -1.0, 0.7), margin=margin))


def _yellow(pixels: np.ndarray) -> np.ndarray:
    """The top of the heat scale (viridis yellow)."""
    p = pixels.astype(np.int32)
    return (p[..., 0] > 170) & (p[..., 1] > 160) & (p[..., 2] < 110)


def _centroid(mask: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(mask)
    assert len(xs) > 20, "too few pixels to locate"
    return np.array([xs.mean(), ys.mean()])


# -- shapes: no rendering ------------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_each_kind_is_made_of_named_parts_within_a_sensible_box(kind: str) -> None:
    parts = build_parts(kind, {})
    names = [p.name for p in parts]
    assert len(names) == len(set(names))
    assert EXPECTED_PARTS[kind] <= set(names)
    assert all(p.role in ROLES and p.poly.GetNumberOfCells() > 0 for p in parts)
    assert any(p.role == "body" for p in parts)  # something shows the state colour
    for p in parts:
        assert p.parent is None or p.parent in names[: names.index(p.name)]  # parents first
    bounds = np.array([p.poly.GetBounds() for p in parts])
    assert bounds[:, 4].min() >= -0.01  # stands on the floor
    assert 0.3 < bounds[:, 5].max() < 20.0
    assert max(bounds[:, 1].max() - bounds[:, 0].min(), bounds[:, 3].max() - bounds[:, 2].min()) < 8


def test_shapes_are_shared_and_motors_scale_with_their_rating(tmp_path: Path) -> None:
    library = ShapeLibrary(tmp_path)
    small = library.shape("motor", {"rated_current_a": 8.2})
    big = library.shape("motor", {"rated_current_a": 100.0})
    assert small is big  # one shape, drawn at two sizes
    assert instance_scale("motor", {"rated_current_a": 100.0}) > instance_scale(
        "motor", {"rated_current_a": 8.2}
    )
    assert library.shape("press", {"mode": "shear"}) is not library.shape(
        "press", {"mode": "punch"}
    )
    low = library.shape("motor", {}, lod=LOD_LOW)
    cells = sum(p.poly.GetNumberOfCells() for p in low.parts)
    assert cells < 0.2 * sum(p.poly.GetNumberOfCells() for p in small.parts)


def _instances(kind: str, keys: Sequence[str]) -> ShapeInstances:
    shape = ShapeLibrary(Path(".")).shape(kind, {})
    index = {k: np.array([i]) for i, k in enumerate(keys)}
    return ShapeInstances(shape, np.array([0]), np.zeros((1, 3)), np.zeros(1), np.ones(1), index)


def test_robot_joints_drive_a_kinematic_chain() -> None:
    keys = MOTION_KEYS["robot"]
    robot = _instances("robot", keys)
    flange = robot.groups["flange"]
    rest_tool_axis = flange.world_r[0] @ [1.0, 0.0, 0.0]
    assert np.allclose(rest_tool_axis, [1, 0, 0])
    # The simulator's home pose: joint2 + joint3 + joint5 = 90, so the tool points down.
    robot.apply(np.array([-65.0, -20.0, 40.0, 0.0, 70.0, 30.0]), 0.0)
    tool = flange.world_r[0] @ [1.0, 0.0, 0.0]
    assert tool[2] == pytest.approx(-1.0, abs=1e-6)
    # joint1 turns everything above the base about z; the base stays put.
    assert np.allclose(robot.groups["base"].world_r[0], np.eye(3))
    turret = robot.groups["turret"].world_r[0]
    assert math.degrees(math.atan2(turret[1, 0], turret[0, 0])) == pytest.approx(-65.0)
    # The forearm hangs off the upper arm: the elbow moved forward when joint2 tilted it.
    before = robot.groups["forearm"].world_t[0].copy()
    robot.apply(np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0]), 0.0)
    assert not np.allclose(before, robot.groups["forearm"].world_t[0])


def test_motor_shaft_angle_integrates_speed_over_cursor_time() -> None:
    motor = _instances("motor", ("speed",))
    shaft = motor.groups["shaft"]
    spin = shaft.part.motions[0]
    motor.apply(np.array([1470.0]), 0.5)
    expected = (spin.scale * 1470.0 * 0.5) % 360.0
    angle = math.degrees(math.atan2(shaft.world_r[0][2, 1], shaft.world_r[0][1, 1])) % 360.0
    assert angle == pytest.approx(expected, abs=1e-6)
    assert not motor.apply(np.array([np.nan]), 0.5)  # no data: the shaft stays where it was


def test_motion_of_parts_drawn_at_the_other_detail_waits_until_they_are_shown() -> None:
    motor, twin = _instances("motor", ("speed",)), _instances("motor", ("speed",))
    motor.show_only(np.array([False]))  # drawn low-poly elsewhere: the shaft is not drawn
    for _ in range(3):
        assert not motor.apply(np.array([1470.0]), 0.5)  # nothing drawn moved
        assert twin.apply(np.array([1470.0]), 0.5)
    assert motor.pending
    assert not np.allclose(motor.groups["shaft"].world_r, twin.groups["shaft"].world_r)
    motor.show_only(np.array([True]))  # shown again: posed where it has turned to meanwhile
    assert not motor.pending
    assert np.allclose(motor.groups["shaft"].world_r, twin.groups["shaft"].world_r)


# -- user models ---------------------------------------------------------------------------------
def _write_stl(path: Path, size: float = 1.0) -> None:
    """A closed tetrahedron as ASCII STL."""
    v = np.array([(0, 0, 0), (size, 0, 0), (0, size, 0), (0, 0, size)], dtype=float)
    faces = [(0, 2, 1), (0, 1, 3), (0, 3, 2), (1, 2, 3)]
    lines = ["solid t"]
    for a, b, c in faces:
        lines += ["facet normal 0 0 0", "outer loop"]
        lines += [f"vertex {x} {y} {z}" for x, y, z in v[[a, b, c]]]
        lines += ["endloop", "endfacet"]
    path.write_text("\n".join([*lines, "endsolid t"]) + "\n")


# -- rendering ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_each_kind_renders_at_a_known_camera(make_view, kind: str) -> None:
    plant = _plant(_asset("X1", kind, keys=MOTION_KEYS.get(kind, ("current",))))
    view = make_view(plant)
    view.update_frame(_frame(plant, {}))
    _look_at(view, "X1")
    pixels = view.frame_pixels()
    drawn = np.abs(pixels.astype(np.int32) - FLOOR_RGB).max(axis=2) > 40  # not floor or grid
    assert count(drawn) > 2500
    assert count(normal_mask(pixels)) > 150  # body parts in lit normal grey
    assert set(view.scene.part_names("X1")) >= EXPECTED_PARTS[kind]


def test_alarm_colour_lands_on_that_asset_only(make_view) -> None:
    plant = _plant(_asset("M1", "motor", (0, 0, 0)), _asset("M2", "motor", (3, 0, 0)))
    view = make_view(plant)
    frame = _frame(plant, {})
    frame.asset_states[1] = State.ALARM
    view.update_frame(frame)
    view.apply_view(cam.fit_view((-1, 4, -1, 1, 0, 1), (0.0, -1.0, 0.6), margin=0.9))
    pixels = view.frame_pixels()
    red = alarm_mask(pixels)
    m1 = view.display_position(view.scene.asset_centre("M1"))
    m2 = view.display_position(view.scene.asset_centre("M2"))
    assert count(box(red, m2, 60)) > 300
    assert count(box(red, m1, 60)) == 0
    assert count(red) == count(box(red, m2, 80))
    assert count(box(normal_mask(pixels), m1, 60)) > 300


def test_press_ram_pixels_follow_the_ram_position(make_view) -> None:
    plant = _plant(_asset("P1", "press", params={"stroke_mm": 100.0}, keys=["ram_position"]))
    view = make_view(plant)
    view.set_heat("P1", "ram", "P1.ram_position", -1000.0, -999.0)  # always the top colour
    _look_at(view, "P1")
    centres = []
    for ram_mm in (0.0, 100.0):
        view.update_frame(_frame(plant, {"P1.ram_position": ram_mm}))
        centres.append(_centroid(_yellow(view.frame_pixels())))
    dx, dy = centres[1] - centres[0]
    assert dy > 30 and abs(dx) < dy / 3  # a full stroke: the ram is drawn lower


def test_robot_forearm_pixels_follow_its_joints(make_view) -> None:
    keys = MOTION_KEYS["robot"]
    plant = _plant(_asset("R1", "robot", keys=keys))
    view = make_view(plant)
    view.set_heat("R1", "forearm", "R1.joint1", -1000.0, -999.0)
    view.apply_view(cam.fit_view((-1.5, 1.5, -1.5, 1.5, 0, 2.5), (0.2, -1.0, 0.3)))
    poses = ([0, 0, 0, 0, 0, 0], [0, 45, 0, 0, 0, 0])
    centres = []
    for pose in poses:
        view.update_frame(_frame(plant, {f"R1.{k}": a for k, a in zip(keys, pose, strict=True)}))
        centres.append(_centroid(_yellow(view.frame_pixels())))
    dx, dy = centres[1] - centres[0]
    assert dx > 15 and dy > 0  # the shoulder tilts forward: the forearm goes right and down


def test_heat_colours_a_part_by_its_signal_with_a_colour_bar(make_view) -> None:
    plant = _plant(_asset("M1", "motor", keys=["winding_temp", "speed"]))
    view = make_view(plant)
    view.set_heat("M1", "housing", "M1.winding_temp", 20.0, 130.0, "°C")
    assert view.scene.heat.bar.GetVisibility()
    assert "°C" in view.scene.heat.bar.GetTitle()
    _look_at(view, "M1")
    at = view.display_position(view.scene.asset_centre("M1"))
    view.update_frame(_frame(plant, {"M1.winding_temp": 130.0}))
    assert count(box(_yellow(view.frame_pixels()), at, 100)) > 300
    view.update_frame(_frame(plant, {"M1.winding_temp": 20.0}))
    assert count(box(_yellow(view.frame_pixels()), at, 100)) == 0
    view.clear_heat()
    view.update_frame(_frame(plant, {"M1.winding_temp": 20.0}))
    assert not view.scene.heat.bar.GetVisibility()
    assert count(normal_mask(view.frame_pixels())) > 1500


def test_no_data_assets_are_violet_with_corner_marks(make_view) -> None:
    plant = _plant(_asset("M1", "motor"))
    view = make_view(plant)
    _look_at(view, "M1", margin=1.6)
    view.update_frame(_frame(plant, {}, State.NO_DATA))
    pixels = view.frame_pixels().astype(np.int32)
    mark = np.array(STATE_RGB[State.NO_DATA])
    violet = (pixels[..., 2] > pixels[..., 1] + 30) & (pixels[..., 0] > pixels[..., 1] + 10)
    assert count(violet) > 500
    assert view.scene.no_data.actor.GetVisibility()  # the diamond over it
    view.update_frame(_frame(plant, {}, State.NORMAL))
    assert not view.scene.no_data.actor.GetVisibility()
    assert mark.shape == (3,)


def _hover(view: QtSceneView, pos: tuple[int, int]) -> None:
    local = QPointF(*pos)
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        local,
        QPointF(view.gl_widget.mapToGlobal(QPoint(*pos))),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.gl_widget, event)


def test_hovering_an_asset_shows_its_values(make_view, qtbot) -> None:
    plant = _plant(_asset("M1", "motor", keys=["winding_temp", "speed"]))
    view = make_view(plant)
    _look_at(view, "M1")
    view.update_frame(_frame(plant, {"M1.winding_temp": 87.25, "M1.speed": 1471.0}))
    view.draw()
    _hover(view, view.display_position(view.scene.asset_centre("M1")))
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    text = QToolTip.text()
    assert "M1 motor" in text and "87.2" in text and "1471 u" in text
    QToolTip.hideText()


def test_fly_to_centres_the_asset_and_stops_its_timer(make_view, qtbot) -> None:
    plant = _plant(_asset("M1", "motor", (0, 0, 0)), _asset("M2", "motor", (30, 20, 0)))
    view = make_view(plant)
    view.scene.reset_camera()
    view.fly_to("M2", duration_ms=120)
    assert view.flying
    qtbot.waitUntil(lambda: not view.flying, timeout=3000)
    x, y = view.display_position(view.scene.asset_centre("M2"))
    w, h = view.gl_widget.width(), view.gl_widget.height()
    assert abs(x - w / 2) <= 3 and abs(y - h / 2) <= 3
    assert not view.flying


def test_area_presets_and_saved_views(make_view) -> None:
    plant = _plant(_asset("M1", "motor"))
    view = make_view(plant)
    presets = view.area_views()
    assert [name for name, _ in presets] == ["Area A"]
    view.apply_view(presets[0][1])
    saved = view.save_view("bay")
    view.scene.reset_camera()
    view.apply_view(view.saved_views[0])
    assert view.camera_view("bay")["focal_point"] == pytest.approx(saved["focal_point"])
    view.apply_view({"position": "nonsense"})  # ignored
    assert view.camera_view()["position"] == pytest.approx(saved["position"])


def test_user_stl_renders_and_a_missing_model_is_a_placeholder(
    make_view, tmp_path: Path, caplog
) -> None:
    _write_stl(tmp_path / "tetra.stl", 1.5)
    plant = _plant(
        _asset("U1", "pump", (0, 0, 0), {"model": "tetra.stl"}),
        _asset("U2", "pump", (4, 0, 0), {"model": "missing.glb"}),
        source=str(tmp_path / "plant.toml"),
    )
    with caplog.at_level(logging.WARNING):
        view = make_view(plant)
    assert view.scene.part_names("U1") == ("model",)
    assert view.scene.part_names("U2") == ("placeholder",)
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "missing.glb" in warnings[0] and "U2" in warnings[0]
    view.update_frame(_frame(plant, {}))
    _look_at(view, "U1")
    pixels = view.frame_pixels()
    assert (
        count(box(normal_mask(pixels), view.display_position(view.scene.asset_centre("U1")), 80))
        > 500
    )


def test_screenshot_is_a_png_of_the_view(make_view, tmp_path: Path) -> None:
    plant = _plant(_asset("M1", "motor"))
    view = make_view(plant, size=(320, 240))
    assert view.save_screenshot(str(tmp_path / "shot.png"))
    image = iio.imread(tmp_path / "shot.png")
    assert image.shape[:2] == (view.gl_widget.height(), view.gl_widget.width())
    assert not view.save_screenshot(str(tmp_path / "no" / "such" / "dir.png"))


# -- scale ------------------------------------------------------------------------------------
def _make_plant_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_plant", ROOT / "scripts" / "make_plant.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_clicking_a_motor_in_a_10000_motor_plant_selects_it(make_view, qtbot, tmp_path) -> None:
    path = tmp_path / "motors.toml"
    path.write_text(_make_plant_script().plant_toml(10_000), encoding="utf-8")
    plant = load_plant(path)
    assert len(plant.assets) == 10_000
    view = make_view(plant, size=(1280, 800))
    assert view.renderer.GetActors().GetNumberOfItems() < 30  # instanced, not an actor each
    target = "M04321"

    def drawn_in_full() -> np.ndarray:
        return np.array([bool(g.shown[k]) for g, k in view.scene.parts_of(target)])

    view.draw()
    assert not drawn_in_full()[0]  # the overview: thousands of motors, all low-poly
    view.fly_to(target, duration_ms=1)
    qtbot.waitUntil(lambda: not view.flying, timeout=3000)
    assert drawn_in_full()[0] and not drawn_in_full()[-1]  # close up: fins and shaft
    frame = _frame(plant, {})
    frame.asset_states[view.scene.index_of(target)] = State.ALARM
    view.update_frame(frame)
    x, y = view.display_position(view.scene.asset_centre(target))
    with qtbot.waitSignal(view.asset_clicked, timeout=2000) as blocker:
        qtbot.mouseClick(view.gl_widget, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    assert blocker.args == [target]
    assert count(box(alarm_mask(view.frame_pixels()), (x, y), 40)) > 100


def test_the_overview_shows_every_hall_of_a_large_plant(make_view, tmp_path) -> None:
    path = tmp_path / "motors.toml"
    path.write_text(_make_plant_script().plant_toml(3_000, per_hall=500), encoding="utf-8")
    plant = load_plant(path)
    view = make_view(plant, size=(1000, 420))  # the 3D view's shape in a 1600x1000 window
    view.reset_camera()
    view.draw()
    points = np.array([view.display_position(view.scene.asset_centre(a.id)) for a in plant.assets])
    xs, ys = points[:, 0], points[:, 1]
    assert min(xs) >= 0 and max(xs) < 1000 and min(ys) >= 0 and max(ys) < 420  # all in view
    # Not edge-on: the floor fills a good part of the view both ways.
    assert max(xs) - min(xs) > 0.6 * 1000 and max(ys) - min(ys) > 0.4 * 420


@pytest.mark.slow
def test_motion_alone_takes_a_bounded_share_of_the_gui_thread_at_plant_scale(
    make_view, qtbot, tmp_path
) -> None:
    path = tmp_path / "motors.toml"
    path.write_text(_make_plant_script().plant_toml(10_000), encoding="utf-8")
    plant = load_plant(path)
    view = make_view(plant, size=(1280, 800))
    renders: list[float] = []  # how long each render took
    began: list[float] = []
    view.render_window.AddObserver("StartEvent", lambda *_: began.append(time.perf_counter()))
    view.render_window.AddObserver(
        "EndEvent", lambda *_: renders.append(time.perf_counter() - began[-1])
    )
    speeds = {s.id: 1450.0 for s in plant.signals if s.id.endswith(".speed")}
    frames = iter(range(10_000))

    def two_seconds() -> float:  # of frames at 30 fps: every shaft turns every frame
        started = time.perf_counter()
        for _ in range(60):
            k = next(frames)
            view.update_frame(_frame(plant, speeds, t_ns=T0 + k * NS_PER_S // 30))
        return time.perf_counter() - started

    two_seconds()
    # The overview draws every motor low-poly, without a shaft: turning shafts that no
    # pixel shows draw nothing.
    assert len(renders) == 1  # the first frame's
    view.fly_to("M04321", duration_ms=1)
    qtbot.waitUntil(lambda: not view.flying, timeout=3000)
    renders.clear()
    elapsed = two_seconds()
    assert len(renders) >= 2  # close up, the shafts in view turn, ...
    # ... within their share: each render waits RENDER_SHARE times the last one's time, so
    # only a render slower than the one before (a loaded machine) can overshoot, by itself.
    assert sum(renders) <= elapsed / RENDER_SHARE + 2 * max(renders)
