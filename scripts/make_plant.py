"""Write a plant file with N induction motors on a grid, for scale tests and benchmarks.

    python scripts/make_plant.py --motors 10000 -o /tmp/motors10k.toml
    python scripts/make_plant.py --motors 10000 --faults 40 --seed 3 -o /tmp/faulty.toml

Motors come in four ratings (4, 7.5, 15 and 55 kW) and stand in halls of up to
``--per-hall`` motors, rows ``--pitch`` metres apart; each has the six signals of the demo
plant's motors, at 1 Hz by default so that a simulated 10,000-motor plant stays light.

``--faults N`` schedules N developing faults (bearing wear, cooling loss, creeping overload,
supply imbalance, insulation ageing) on N different motors, each starting at a random time
within the first ``--fault-hours`` and developing over 1 to 6 hours; the plant's
``[[faults]]`` are the ground truth a condition monitor is scored against. ``--seed`` makes
the choice repeatable and is also the plant's simulator seed.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from pathlib import Path

DEVELOPING_KINDS = (
    "bearing_wear",
    "cooling_loss",
    "overload",
    "supply_imbalance",
    "insulation_ageing",
)
DEVELOP_HOURS = (1.0, 6.0)

# (template, description, rated current A, rated speed rpm)
RATINGS = (
    ("motor_4k0", "4 kW 4-pole", 8.2, 1445),
    ("motor_7k5", "7.5 kW 4-pole", 15.0, 1470),
    ("motor_15k", "15 kW 4-pole", 28.5, 1475),
    ("motor_55k", "55 kW 4-pole", 100.0, 1485),
)


def _template(name: str, description: str, amps: float, rpm: int, rate_hz: float) -> str:
    r = f"rate_hz = {rate_hz:g}"
    return f"""[templates.{name}]
kind = "motor"
description = "{description}"
params = {{ rated_current_a = {amps}, rated_speed_rpm = {rpm}, thermal_tau_s = 120, rated_temp_rise_k = 50, ambient_c = 30 }}
signals = [
  {{ key = "winding_temp", name = "Winding temperature", unit = "°C", {r}, normal = [20, 100], warn_high = 110, alarm_high = 130 }},
  {{ key = "bearing_temp", name = "Bearing temperature", unit = "°C", {r}, normal = [20, 75], warn_high = 85, alarm_high = 95 }},
  {{ key = "current", name = "Phase current", unit = "A", {r}, normal = [0, {amps}], warn_high = {amps * 1.15:.1f}, alarm_high = {amps * 1.4:.1f} }},
  {{ key = "voltage", name = "Line voltage", unit = "V", {r}, normal = [380, 420], alarm_low = 360, warn_low = 370, warn_high = 430, alarm_high = 440 }},
  {{ key = "vibration", name = "Vibration velocity", unit = "mm/s", {r}, normal = [0, 2.8], warn_high = 4.5, alarm_high = 7.1 }},
  {{ key = "speed", name = "Shaft speed", unit = "rpm", {r}, normal = [{rpm - 50}, {rpm + 25}], alarm_low = {rpm - 150}, warn_low = {rpm - 70}, warn_high = {rpm + 55}, alarm_high = {rpm + 85} }},
]
"""  # noqa: E501


def fault_tables(
    motors: int, count: int, hours: float, seed: int
) -> list[tuple[str, str, int, int]]:
    """``count`` faults as (motor id, kind, start s, develop s), in start order: distinct
    motors, kinds in turn from a shuffled cycle so that every kind appears, random times."""
    if count > motors:
        raise ValueError(f"--faults {count} needs at least as many motors, not {motors}")
    rng = random.Random(seed)
    chosen = rng.sample(range(motors), count)
    kinds = [DEVELOPING_KINDS[i % len(DEVELOPING_KINDS)] for i in range(count)]
    rng.shuffle(kinds)
    lo, hi = DEVELOP_HOURS
    out = [
        (
            f"M{m + 1:05d}",
            kind,
            int(rng.uniform(0, hours * 3600)),
            60 * round(rng.uniform(lo, hi) * 60),
        )
        for m, kind in zip(chosen, kinds, strict=True)
    ]
    return sorted(out, key=lambda f: (f[2], f[0]))


def _faults_toml(faults: list[tuple[str, str, int, int]], hours: float, seed: int) -> list[str]:
    out = [
        f"# {len(faults)} developing faults (the ground truth): each starts at a random time",
        f"# within the first {hours:g} h and develops over {DEVELOP_HOURS[0]:g} to "
        f"{DEVELOP_HOURS[1]:g} h (make_plant.py --seed {seed}).",
    ]
    for motor, kind, at, develop in faults:
        out.append(
            f'[[faults]]\nasset = "{motor}"\nkind = "{kind}"\nat = {at}  # {at / 3600:.2f} h\n'
            f"develop = {develop}  # {develop / 3600:.2f} h\n"
        )
    return out


def plant_toml(
    motors: int,
    per_hall: int = 1000,
    pitch: float = 3.0,
    rate_hz: float = 1.0,
    *,
    faults: int = 0,
    fault_hours: float = 24.0,
    seed: int = 1,
) -> str:
    """The plant file's text: ``motors`` motors in halls of ``per_hall``, each on a
    square-ish grid, the halls themselves laid out on a grid (as a site's buildings are),
    and ``faults`` developing faults starting within ``fault_hours`` (see the module)."""
    halls = max(1, math.ceil(motors / per_hall))
    cols = max(1, math.ceil(math.sqrt(min(motors, per_hall))))
    hall_cols = max(1, math.ceil(math.sqrt(halls)))
    hall_width = cols * pitch + 8.0  # an aisle between halls
    hall_depth = math.ceil(min(motors, per_hall) / cols) * pitch + 8.0
    out = [
        f"# Generated by scripts/make_plant.py: {motors} motors in {halls} hall(s).",
        "[plant]",
        f'name = "Motor plant ({motors} motors)"',
        f"seed = {seed}",
        "",
    ]
    for h in range(halls):
        out += ["[[areas]]", f'id = "hall{h + 1:02d}"', f'name = "Hall {h + 1}"', ""]
    out += [_template(*rating, rate_hz) for rating in RATINGS]
    for i in range(motors):
        hall, k = divmod(i, per_hall)
        row, col = divmod(k, cols)
        template = RATINGS[(i * 7 + hall) % len(RATINGS)][0]  # mixed ratings along each row
        hall_row, hall_col = divmod(hall, hall_cols)
        x, y = hall_col * hall_width + col * pitch, hall_row * hall_depth + row * pitch
        out.append(
            f'[[assets]]\nid = "M{i + 1:05d}"\ntemplate = "{template}"\n'
            f'area = "hall{hall + 1:02d}"\nposition = [{x:.1f}, {y:.1f}, 0.0]\n'
        )
    if faults:
        out += _faults_toml(fault_tables(motors, faults, fault_hours, seed), fault_hours, seed)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--motors", type=int, default=10_000, help="how many (default 10000)")
    parser.add_argument("--per-hall", type=int, default=1000, help="motors per area")
    parser.add_argument("--pitch", type=float, default=3.0, help="grid spacing in metres")
    parser.add_argument("--rate-hz", type=float, default=1.0, help="sample rate of each signal")
    parser.add_argument(
        "--faults", type=int, default=0, help="developing faults to schedule (default 0)"
    )
    parser.add_argument(
        "--fault-hours",
        type=float,
        default=24.0,
        help="faults start within this many hours (default 24)",
    )
    parser.add_argument("--seed", type=int, default=1, help="fault choice and plant seed")
    parser.add_argument("-o", "--output", type=Path, help="plant file to write (default stdout)")
    args = parser.parse_args(argv)
    if args.motors < 1 or args.per_hall < 1 or args.pitch <= 0 or args.rate_hz <= 0:
        parser.error("--motors, --per-hall, --pitch and --rate-hz must be positive")
    if args.faults < 0 or args.fault_hours <= 0 or args.seed < 0:
        parser.error("--faults and --seed must be >= 0, --fault-hours positive")
    if args.faults > args.motors:
        parser.error(f"--faults {args.faults} is more than --motors {args.motors}")
    text = plant_toml(
        args.motors,
        args.per_hall,
        args.pitch,
        args.rate_hz,
        faults=args.faults,
        fault_hours=args.fault_hours,
        seed=args.seed,
    )
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        extra = f", {args.faults} developing faults" if args.faults else ""
        print(f"wrote {args.output}: {args.motors} motors{extra}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
