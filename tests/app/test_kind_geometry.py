"""Equipment kinds and their 3D geometry agree, and a kind added in one module (this one:
simulator model, core registration, geometry) is simulated, drawn and plotted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from app.scene import camera as cam
from app.scene.equipment import LOD_LOW, ShapeLibrary, build_parts, instance_scale
from app.scene.geometry_registry import (
    geometry,
    kinds_without_geometry,
    register_geometry,
    registered_geometry,
)
from app.scene.parts import DETAIL, Motion, Params, Part
from app.scene.primitives import box, cylinder
from app.theme import FLOOR_RGB
from tests.app.pixels import box as around
from tests.app.pixels import count, normal_mask
from twin.kinds import BUILTIN_KINDS, EquipmentKind, kind_names, registered_kind
from twin.plant.loader import parse_plant
from twin.sources.sim.base import DRIVE_SPECS, KeySpec, KindModel
from twin.sources.sim.timegrid import Times

# -- the agreement check -------------------------------------------------------------------------


def test_every_core_kind_has_a_geometry() -> None:
    assert kinds_without_geometry() == ()
    for name in kind_names():
        entry = geometry(name)
        assert entry is not None and entry.kind == name
        assert build_parts(name, {})[0].name != "placeholder"


def test_the_check_reports_a_core_kind_without_geometry() -> None:
    with registered_kind(EquipmentKind("test_bare", "A kind with a model only", BareModel)):
        assert kinds_without_geometry() == ("test_bare",)
        assert [p.name for p in build_parts("test_bare", {})] == ["placeholder"]
    assert kinds_without_geometry() == ()


def test_a_kind_cannot_get_two_geometries() -> None:
    with pytest.raises(ValueError, match='equipment kind "motor" has a geometry already'):
        register_geometry("motor", mixer)


def test_builtin_geometry_options_came_across() -> None:
    assert set(BUILTIN_KINDS) <= set(kind_names())
    motor = geometry("motor")
    assert motor is not None and motor.low_builder is not None and motor.scale is not None
    assert instance_scale("motor", {"rated_current_a": 100.0}) > 1.0
    assert instance_scale("press", {"rated_current_a": 100.0}) == 1.0
    library = ShapeLibrary(Path("."))
    assert library.has_low_detail("motor", {}) and not library.has_low_detail("press", {})
    assert library.shape("press", {"mode": "shear"}) is not library.shape(
        "press", {"mode": "punch"}
    )


# -- a kind defined here, in both registries ---------------------------------------------------


class BareModel(KindModel):
    kind = "test_bare"
    specs: ClassVar = dict(DRIVE_SPECS)

    def load(self, t: np.ndarray) -> np.ndarray:
        return np.full((self.n, t.shape[0]), 0.5)


class MixerModel(KindModel):
    """A batch mixer: the rotor runs at a set speed, its load rising as the batch thickens."""

    kind = "test_mixer"
    rated_current_a = 15.0
    warmup_window_s = 0.0
    specs: ClassVar = {**DRIVE_SPECS, "rotor_speed": KeySpec("rpm", sd=0.5, lo=0.0)}

    def load(self, t: np.ndarray) -> np.ndarray:
        return np.broadcast_to(0.5 + 0.2 * np.sin(t / 30.0), (self.n, t.shape[0])).copy()

    def process_values(self, key: str, times: Times) -> np.ndarray:
        if key == "rotor_speed":
            return np.full((self.n, times.t.shape[0]), 120.0)
        return super().process_values(key, times)


def mixer(params: Params) -> list[Part]:
    """A vertical tank on legs with a paddle turned by the rotor speed."""
    spin = Motion("rotor_speed", axis=2, scale=0.1, rotate=True, rate=True, period=360.0)
    return [
        Part("tank", cylinder(0.8, 1.6, (0.0, 0.0, 1.3), "z", 24)),
        Part("legs", box((1.4, 1.4, 0.5), (0.0, 0.0, 0.25)), DETAIL),
        Part("paddle", box((1.2, 0.12, 0.1), (0.0, 0.0, 2.2)), DETAIL, motions=(spin,)),
    ]


MIXER_PLANT = """
[plant]
name = "mixing"

[[areas]]
id = "mixing"

[templates.mixer]
kind = "test_mixer"
signals = [
  { key = "rotor_speed", unit = "rpm", rate_hz = 10, normal = [100, 140] },
  { key = "motor_current", unit = "A", rate_hz = 10, normal = [0, 15] },
  { key = "winding_temp", unit = "°C", rate_hz = 2, normal = [20, 110] },
]

[[assets]]
id = "MX1"
template = "mixer"
area = "mixing"
position = [0, 0, 0]

[[assets]]
id = "M1"
kind = "motor"
area = "mixing"
position = [4, 0, 0]
signals = [{ key = "current", unit = "A", rate_hz = 10, normal = [0, 30] }]
"""


@pytest.fixture
def mixer_kind() -> Iterator[None]:
    with (
        registered_kind(EquipmentKind("test_mixer", "Batch mixer (tests)", MixerModel)),
        registered_geometry("test_mixer", mixer),
    ):
        yield
    assert "test_mixer" not in kind_names() and geometry("test_mixer") is None


def test_a_new_kind_is_simulated_drawn_and_plotted(qtbot, make_live_app, mixer_kind) -> None:
    assert kinds_without_geometry() == ()
    plant = parse_plant(MIXER_PLANT, "mixing.toml")
    live = make_live_app(plant, after_s=30)
    live.window.show()
    qtbot.waitExposed(live.window)
    live.window.selection.select("MX1")
    live.scheduler.tick()

    # Simulated: every signal of the mixer has a current value.
    frame = live.scheduler.last_frame
    ids = [s.id for s in plant.signals]
    for key in ("rotor_speed", "motor_current", "winding_temp"):
        assert np.isfinite(frame.values[ids.index(f"MX1.{key}")]), key
    assert abs(frame.values[ids.index("MX1.rotor_speed")] - 120.0) < 5.0

    # Drawn: its own parts, on screen, in the normal state colour.
    view = live.window.scene_view
    assert set(view.scene.part_names("MX1")) >= {"tank", "legs", "paddle"}
    view.apply_view(cam.fit_view(view.scene.asset_bounds("MX1"), (0.6, -1.0, 0.7), margin=1.3))
    pixels = view.frame_pixels()
    centre = view.display_position(view.scene.asset_centre("MX1"))
    near = around(pixels, centre, 80)
    drawn = np.abs(near.astype(np.int32) - FLOOR_RGB).max(axis=2) > 40  # not floor or grid
    assert count(drawn) > 0.3 * drawn.size
    assert count(normal_mask(near)) > 5000  # the tank takes the normal state colour
    assert [p.name for p in build_parts("test_mixer", {}, LOD_LOW)] == ["tank", "legs", "paddle"]

    # Plotted: one strip per signal, each curve full of samples at the simulated values.
    curves = live.window.plots.curves
    assert set(curves) == {"MX1.rotor_speed", "MX1.motor_current", "MX1.winding_temp"}
    xs, speeds = curves["MX1.rotor_speed"].getData()
    assert len(xs) > 100 and np.all(np.diff(xs) > 0)
    assert np.nanmedian(speeds) == pytest.approx(120.0, abs=2.0)
    assert len(curves["MX1.winding_temp"].getData()[0]) > 20
