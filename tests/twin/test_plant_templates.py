"""Plant-file templates, per-asset overrides and scheduled faults."""

from __future__ import annotations

import pytest

from tests.twin.test_plant_loader import BASE, MERGE
from twin.plant.loader import parse_plant
from twin.plant.model import FaultKind

# --- templates and overrides ------------------------------------------------------------------


def test_assets_that_do_not_override_a_template_signal_get_it_under_their_own_id() -> None:
    text = MERGE + (
        '\n[[assets]]\nid = "M25"\ntemplate = "m"\narea = "bay"\nposition = [9, 0, 0]\n'
    )
    plant = parse_plant(text, "merge.toml")
    m24_speed, m25_speed = plant.signal("M24.speed"), plant.signal("M25.speed")
    assert (m25_speed.id, m25_speed.asset_id, m25_speed.key) == ("M25.speed", "M25", "speed")
    assert m25_speed.limits == m24_speed.limits and m25_speed.limits.warn_low == 1380.0
    assert (m25_speed.unit, m25_speed.rate_hz, m25_speed.normal) == ("rpm", 10.0, (1400, 1500))
    m25_current = plant.signal("M25.current")
    assert m25_current.limits.warn_high == 17.0  # M24's override is M24's alone
    assert dict(m25_current.source) == {}
    assert [s.id for s in plant.asset("M25").signals] == ["M25.current", "M25.speed"]


def test_template_signals_and_params_merge_with_overrides() -> None:
    plant = parse_plant(MERGE, "merge.toml")
    m24 = plant.asset("M24")
    assert m24.kind == "motor"
    assert m24.name == "M24 rewound motor"
    assert m24.position == (1.0, 2.0, 0.5)
    assert m24.yaw_deg == 90.0
    assert dict(m24.params) == {"rated_current_a": 16.5, "ambient_c": 30.0, "duty": "S1"}
    assert [s.key for s in m24.signals] == ["current", "speed", "oil_temp"]

    current = plant.signal("M24.current")
    assert current.limits.warn_high == 19.0  # overridden
    assert current.limits.alarm_high == 21.0  # from the template
    assert current.name == "Phase current"
    assert current.normal == (0.0, 15.0)
    assert current.source["topic"] == "bay/M24/current"
    assert current.source["scale"] == (1, 2)
    with pytest.raises(TypeError):
        current.source["topic"] = "elsewhere"  # type: ignore[index]

    speed = plant.signal("M24.speed")
    assert speed.name == "Speed"  # defaulted from the key
    assert speed.limits.warn_low == 1380.0 and speed.limits.alarm_low is None
    oil = plant.signal("M24.oil_temp")
    assert (oil.rate_hz, oil.unit, oil.asset_id) == (0.5, "°C", "M24")


def test_asset_without_template_and_defaults() -> None:
    plant = parse_plant(MERGE, "merge.toml")
    pump = plant.asset("P1")
    assert (pump.kind, pump.name, pump.yaw_deg, dict(pump.params)) == ("pump", "P1", 0.0, {})
    assert [s.id for s in pump.signals] == ["P1.flow"]
    assert plant.areas[0].name == "bay"
    assert plant.seed == 1 and plant.faults == ()


def test_template_is_not_changed_by_an_override() -> None:
    plant = parse_plant(BASE, "base.toml")
    assert plant.signal("M07.current").limits.warn_high == 18.0
    assert plant.signal("M01.current").limits.warn_high == 17.0


def test_faults_are_loaded() -> None:
    text = BASE + '\n[[faults]]\nasset = "M07"\nkind = "overload"\nat = 30\n'
    (fault,) = parse_plant(text, "f.toml").faults
    assert (fault.asset_id, fault.kind, fault.at_s) == ("M07", FaultKind.OVERLOAD, 30.0)
    assert fault.develop_s is None  # the kind's default development


@pytest.mark.parametrize(
    ("at", "develop", "expected"),
    [
        ("30", "7200", (30.0, 7200.0)),
        ('"10m"', '"2h"', (600.0, 7200.0)),
        ('"600s"', '"1.5h"', (600.0, 5400.0)),
        ("0", "0", (0.0, 0.0)),
    ],
)
def test_faults_take_a_development_time(
    at: str, develop: str, expected: tuple[float, float]
) -> None:
    text = BASE + f'\n[[faults]]\nasset = "M07"\nkind = "bearing_wear"\nat = {at}\n'
    (fault,) = parse_plant(text + f"develop = {develop}\n", "f.toml").faults
    assert (fault.kind, fault.at_s, fault.develop_s) == (FaultKind.BEARING_WEAR, *expected)
