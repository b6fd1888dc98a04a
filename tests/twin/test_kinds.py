"""The equipment-kind registry: every kind is simulated, names are unique, and a kind
registered through the registry alone is accepted by the plant loader and simulated."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import numpy as np
import pytest

from twin.kinds import (
    BUILTIN_KINDS,
    EquipmentKind,
    kind,
    kind_names,
    kinds,
    register_kind,
    registered_kind,
    unregister_kind,
)
from twin.plant.loader import PlantError, parse_plant
from twin.plant.model import Area, Asset, Plant, Signal
from twin.sources.sim import Simulator, supported_keys
from twin.sources.sim.base import DRIVE_SPECS, KeySpec, KindModel
from twin.sources.sim.motors import MotorModel
from twin.sources.sim.timegrid import Times

T0 = 1_750_000_000 * 1_000_000_000
S = 1_000_000_000


def _samples(plant: Plant, seconds: float) -> tuple[Simulator, dict[str, np.ndarray]]:
    """Simulate ``plant`` for ``seconds``; signal id -> its values."""
    sim = Simulator(plant, start_ns=T0)
    groups = {g.key: g for g in sim.groups()}
    out: dict[str, list[np.ndarray]] = {}
    for batch in sim.advance(T0 + round(seconds * S)):
        for row, signal_id in enumerate(groups[batch.group].signal_ids):
            out.setdefault(signal_id, []).append(batch.v[row])
    return sim, {sid: np.concatenate(parts) for sid, parts in out.items()}


# -- the registered kinds -----------------------------------------------------------------------


def test_the_builtin_kinds_are_registered_in_message_order() -> None:
    assert BUILTIN_KINDS == (
        "motor", "press", "extruder", "loom", "robot", "elevator", "conveyor", "pump",
    )  # fmt: skip
    assert kind_names()[: len(BUILTIN_KINDS)] == BUILTIN_KINDS


@pytest.mark.parametrize("name", BUILTIN_KINDS)
def test_each_kind_has_a_model_whose_every_key_produces_data(name: str) -> None:
    entry = kind(name)
    assert entry.model.kind == name and entry.description
    assert dict(entry.signals) == supported_keys(name)
    assert all(isinstance(unit, str) for unit in entry.signals.values())
    signals = tuple(
        Signal(f"X1.{key}", "X1", key, key, unit, 10.0, (0.0, 1.0))
        for key, unit in entry.signals.items()
    )
    asset = Asset("X1", "X1", name, "hall", (0.0, 0.0, 0.0), 0.0, signals)
    sim, values = _samples(Plant("t", "", (Area("hall", "Hall"),), (asset,)), 12.0)
    assert sim.unsupported_signals == ()
    assert set(values) == {s.id for s in signals}
    for signal_id, v in values.items():
        assert len(v) == 120, signal_id  # 12 s at 10 Hz
        assert np.isfinite(v).all(), signal_id


def test_every_registered_kind_agrees_with_its_model() -> None:
    for entry in kinds():
        assert entry.model.kind == entry.name
        assert set(entry.signals) == set(entry.model.specs)


def test_registering_a_taken_name_fails_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match=r'equipment kind "motor" is already registered'):
        register_kind(EquipmentKind("motor", "a second motor", MotorModel))
    assert kind("motor").model is MotorModel  # the first one stays


def test_a_kind_and_its_model_must_agree_on_the_name() -> None:
    with pytest.raises(ValueError, match=r'equipment kind "fan": its model .*MotorModel'):
        EquipmentKind("fan", "a fan", MotorModel)
    with pytest.raises(ValueError, match="lower-case"):
        EquipmentKind("Fan Unit", "a fan", MotorModel)
    with pytest.raises(KeyError, match='no equipment kind "fan"'):
        kind("fan")
    with pytest.raises(KeyError, match='equipment kind "fan" is not registered'):
        unregister_kind("fan")


# -- a kind registered through the registry alone -------------------------------------------------


class FanModel(KindModel):
    """A throwaway kind for the tests: an axial fan whose airflow follows its load."""

    kind = "test_fan"
    rated_current_a = 5.0
    warmup_window_s = 0.0
    specs: ClassVar = {**DRIVE_SPECS, "airflow": KeySpec("m³/h", rel=0.01, lo=0.0)}

    def load(self, t: np.ndarray) -> np.ndarray:
        return np.full((self.n, t.shape[0]), 0.7)

    def process_values(self, key: str, times: Times) -> np.ndarray:
        if key == "airflow":
            return 5000.0 * self.load_at(times)
        return super().process_values(key, times)


FAN_PLANT = """
[plant]
name = "fans"

[[areas]]
id = "roof"

[templates.fan]
kind = "test_fan"
signals = [
  { key = "airflow", unit = "m³/h", rate_hz = 5, normal = [3000, 4000] },
  { key = "motor_current", unit = "A", rate_hz = 5, normal = [0, 5] },
  { key = "winding_temp", unit = "°C", rate_hz = 1, normal = [20, 90] },
]

[[assets]]
id = "F1"
template = "fan"
area = "roof"
position = [0, 0, 4]

[[assets]]
id = "F2"
template = "fan"
area = "roof"
position = [3, 0, 4]
"""


@pytest.fixture
def fan_kind() -> Iterator[EquipmentKind]:
    with registered_kind(EquipmentKind("test_fan", "Roof fan (tests)", FanModel)) as entry:
        yield entry
    assert "test_fan" not in kind_names()


def test_an_unregistered_kind_is_refused_with_the_registered_ones_listed() -> None:
    with pytest.raises(PlantError, match=r'kind must be one of motor, press, .* got "test_fan"'):
        parse_plant(FAN_PLANT, "fans.toml")


def test_a_kind_registered_alone_is_loaded_and_simulated(fan_kind: EquipmentKind) -> None:
    assert fan_kind.name in kind_names()
    plant = parse_plant(FAN_PLANT, "fans.toml")
    assert {a.kind for a in plant.assets} == {"test_fan"}
    sim, values = _samples(plant, 10.0)
    assert sim.unsupported_signals == ()
    assert all(g.key.startswith("sim/test_fan/") for g in sim.groups())
    assert set(values) == {s.id for s in plant.signals}
    airflow = values["F1.airflow"]
    assert len(airflow) == 50 and np.allclose(airflow, 3500.0, rtol=0.06)
    assert len(values["F2.winding_temp"]) == 10
    assert np.all(values["F1.motor_current"] > 0)
