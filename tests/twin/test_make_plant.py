"""scripts/make_plant.py --faults: developing faults as the plant's ground truth."""

from __future__ import annotations

from pathlib import Path

import pytest

from twin.plant.loader import load_plant, parse_plant
from twin.plant.model import FaultKind

from .test_fault_development import make_plant_script

MP = make_plant_script()
DEVELOPING = {
    FaultKind.BEARING_WEAR,
    FaultKind.COOLING_LOSS,
    FaultKind.OVERLOAD,
    FaultKind.SUPPLY_IMBALANCE,
    FaultKind.INSULATION_AGEING,
}


def test_faults_are_scheduled_at_distinct_motors_within_the_hours() -> None:
    plant = parse_plant(MP.plant_toml(200, faults=40, fault_hours=12, seed=5), "f.toml")
    faults = plant.faults
    assert len(faults) == 40 and plant.seed == 5
    assert len({f.asset_id for f in faults}) == 40
    assert all(plant.has_asset(f.asset_id) for f in faults)
    kinds = [f.kind for f in faults]
    assert set(kinds) == DEVELOPING
    assert all(kinds.count(k) == 8 for k in DEVELOPING)  # the kinds take turns
    assert all(0 <= f.at_s < 12 * 3600 for f in faults)
    assert all(f.develop_s is not None and 3600 <= f.develop_s <= 6 * 3600 for f in faults)
    assert [f.at_s for f in faults] == sorted(f.at_s for f in faults)
    # Spread over the window, not bunched at one end.
    assert min(f.at_s for f in faults) < 3 * 3600 and max(f.at_s for f in faults) > 9 * 3600


def test_the_same_seed_gives_the_same_faults_and_another_seed_others() -> None:
    one = MP.plant_toml(100, faults=10, seed=3)
    assert MP.plant_toml(100, faults=10, seed=3) == one
    f3 = parse_plant(one, "a.toml").faults
    f4 = parse_plant(MP.plant_toml(100, faults=10, seed=4), "b.toml").faults
    assert {(f.asset_id, f.at_s) for f in f3} != {(f.asset_id, f.at_s) for f in f4}


def test_without_faults_the_plant_is_as_before() -> None:
    text = MP.plant_toml(10)
    assert "[[faults]]" not in text and "seed = 1" in text
    assert parse_plant(text, "p.toml").faults == ()


def test_the_command_writes_the_faults_with_a_comment(tmp_path: Path) -> None:
    out = tmp_path / "faulty.toml"
    assert MP.main(["--motors", "30", "--faults", "5", "--seed", "9", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "# 5 developing faults (the ground truth)" in text
    assert "make_plant.py --seed 9" in text
    plant = load_plant(out)
    assert len(plant.faults) == 5 and plant.seed == 9


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--motors", "3", "--faults", "4"], "--faults 4 is more than --motors 3"),
        (["--faults", "-1"], "--faults and --seed must be >= 0"),
        (["--fault-hours", "0"], "--fault-hours positive"),
    ],
)
def test_bad_fault_options_are_refused(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        MP.main(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err
