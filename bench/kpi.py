"""Line indicators against the simulator's ground truth, and what they cost.

    python -m bench.kpi [--hours 24] [--machines 1000] [--step 60] [--mix]

Fast-forwards (``Simulator.fast_forward``, no pacing) two plants through ``--hours`` with
breakdowns, micro-stops and scrap: the demo workshop's lines (their machines and the
signals the line indicators read) and a generated plant of ``--machines`` presses in
lines of five (``line_plant``), or with ``--mix`` of presses, moulding cells, looms and
extruders (``bench/kpi_mix.py``; figures per kind too). Every batch goes through the
ingest path (an `Ingestor` storing into rings, the `CycleTracker` as its sink); the
indicators are computed from
those signals alone, refreshed once per simulated minute, and compared with the
cycles, parts, scrap and downtime the simulator drew (``CycleSchedule.truth``).

Prints figures per plant, then one JSON object: cycle_time_error_pct (median absolute
error of cycle durations, %), count_error (parts counted - parts made, whole plant),
oee_error_pts (largest absolute error of a line's OEE, percentage points) and
kpi_ms_per_s (the tracker's sink and the refreshes per simulated second, the generated
plant; the rings' own appends are not counted).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from twin.batch import Batch
from twin.ingest.ingestor import Ingestor, Sink
from twin.kpi.cycle_plant import cycle_signals_only as kpi_plant
from twin.kpi.detect import NO_TIME
from twin.kpi.indicators import Indicators, compute
from twin.kpi.tracker import Cycles, CycleTracker
from twin.plant.loader import load_plant, parse_plant
from twin.plant.model import Plant
from twin.sources.sim import Simulator
from twin.sources.sim.cycles import CycleSchedule, CycleTruth
from twin.store.signal_store import SignalStore

NS = 1_000_000_000
T0 = 1_750_000_000 * NS - (1_750_000_000 % 86_400) * NS  # a midnight (UTC)
ROOT = Path(__file__).resolve().parents[1]
PER_LINE = 5
_MODES = ("shear", "punch", "punch", "brake", "brake")
_CYCLE_S = (212.0, 220.0, 216.0, 230.0, 226.0)


def line_plant(machines: int, seed: int = 7) -> Plant:
    """``machines`` presses in lines of five, KPI signals at 1 Hz, one 24 h plan."""
    out = [
        f'[plant]\nname = "{machines} presses"\nseed = {seed}\n',
        '[[areas]]\nid = "hall"\n',
        '[[shifts]]\nid = "day"\nstart = "00:00"\nlength = "24h"\n',
        '[templates.press]\nkind = "press"\nsignals = [',
    ]
    for key, unit in (
        ("panel_count", "panels"),
        ("scrap_count", "panels"),
        ("state", ""),
        ("power", "kW"),
    ):
        out.append(f'  {{ key = "{key}", unit = "{unit}", rate_hz = 1, normal = [0, 1000] }},')
    out.append("]\n")
    lines = []
    for i in range(machines):
        line, pos = divmod(i, PER_LINE)
        ident = f"L{line:03d}M{pos}"
        cycle = _CYCLE_S[pos] * (1.0 + 0.02 * ((line * 7 + pos * 3) % 5 - 2))
        out.append(
            f'[[assets]]\nid = "{ident}"\ntemplate = "press"\narea = "hall"\n'
            f"position = [{pos * 6.0}, {line * 4.0}, 0.0]\n"
            f'params = {{ mode = "{_MODES[pos]}", cycle_s = {cycle:.1f} }}\n'
        )
        if pos == PER_LINE - 1 or i == machines - 1:
            members = ", ".join(f'"L{line:03d}M{p}"' for p in range(pos + 1))
            lines.append(
                f'[[lines]]\nid = "L{line:03d}"\nmachines = [{members}]\ntarget_cycle_s = 216\n'
                'cycle = { rule = "counter", signal = "panel_count", state = "state", '
                'power = "power", scrap = "scrap_count" }\nplan = { day = 380 }\n'
            )
    return parse_plant("\n".join(out + lines), f"<{machines} presses>")


def run(plant: Plant, hours: float, step_s: float) -> dict[str, object]:
    """Simulate, track through the ingest path, compute, compare with the truth."""
    sim = Simulator(plant, T0)
    tracker = CycleTracker(plant, sim.groups())
    ingestor = Ingestor(SignalStore(sim.groups(), retention_s=120.0))
    spent = [0.0]  # in the tracker's sink: the indicators' share of the ingest path

    seen: dict[str, tuple[int, int]] = {}  # each group's first and last sample times

    def consume(batch: Batch) -> None:
        a = time.perf_counter()
        tracker.consume(batch)
        spent[0] += time.perf_counter() - a
        if batch.t.size:
            first = seen.get(batch.group, (int(batch.t[0]), 0))[0]
            seen[batch.group] = (first, int(batch.t[-1]))

    ingestor.add_sink(Sink("kpi", consume))
    until = T0 + round(hours * 3600 * NS)
    compute_s = sim_s = ingest_s = 0.0
    clock = time.perf_counter()
    minute = T0 + 60 * NS
    for hi, batches in sim.fast_forward(until, round(step_s * NS)):
        a = time.perf_counter()
        sim_s += a - clock
        for batch in batches:
            ingestor.ingest(batch)  # stores, then the sinks: the tracker among them
        b = time.perf_counter()
        ingest_s += b - a
        while minute <= hi:  # the indicators refreshed once per simulated minute
            compute(tracker, T0, minute)
            minute += 60 * NS
        clock = time.perf_counter()
        compute_s += clock - b
    a = time.perf_counter()
    indicators = compute(tracker, T0, until)
    last_compute_ms = (time.perf_counter() - a) * 1e3
    kpi_s = spent[0] + compute_s + last_compute_ms / 1e3
    last = _sampled(plant, sim, seen)
    figures = compare(sim, tracker, indicators, hours, last)
    figures["by_kind"] = compare_by_kind(sim, tracker, indicators, hours, last)
    a = time.perf_counter()
    lines = len(compute(tracker, T0, until).lines)
    figures["all_lines_compute_ms"] = round((time.perf_counter() - a) * 1e3, 1)
    del lines
    seconds = hours * 3600.0
    figures |= {
        "machines": len(tracker.machines),
        "sim_wall_s": round(sim_s, 1),
        "ingest_wall_s": round(ingest_s, 1),
        "tracker_wall_s": round(spent[0], 2),
        "refresh_wall_s": round(compute_s, 2),
        "kpi_wall_s": round(kpi_s, 2),
        "kpi_ms_per_s": round(kpi_s * 1e3 / seconds, 3),
        "compute_ms_at_end": round(last_compute_ms, 1),
        "sink_errors": ingestor.sink_errors,
    }
    return figures


def _schedules(sim: Simulator) -> dict[str, tuple[CycleSchedule, int]]:
    out = {}
    for model in sim._models:  # the simulator's models keep the ground truth
        schedule = getattr(model, "schedule", None)
        if isinstance(schedule, CycleSchedule):
            for row, asset in enumerate(model.assets):
                out[asset.id] = (schedule, row)
    return out


def machine_kind(plant: Plant, asset_id: str) -> str:
    """The bench's name of a machine's kind: moulders and extruders share a model."""
    asset = plant.asset(asset_id)
    if asset.kind == "extruder":
        return "moulder" if asset.params.get("type") == "injection" else "extruder"
    return asset.kind


def _sampled(
    plant: Plant, sim: Simulator, seen: dict[str, tuple[int, int]]
) -> dict[str, tuple[float, float]]:
    """Per line machine, the first and last samples of its cycle signal (s since T0): a
    part made before the first or after the last cannot have been counted."""
    group_of = {sid: g.key for g in sim.groups() for sid in g.signal_ids}
    out = {}
    for line in plant.lines:
        for asset_id, rule in line.rules.items():
            signal = next(s for s in plant.asset(asset_id).signals if s.key == rule.signal)
            first, last = seen[group_of[signal.id]]
            out[asset_id] = ((first - T0) / NS, (last - T0) / NS)
    return out


def compare_by_kind(
    sim: Simulator,
    tracker: CycleTracker,
    ind: Indicators,
    hours: float,
    last: dict[str, tuple[float, float]],
) -> dict[str, dict[str, object]]:
    """``compare``'s four figures per kind of machine (a line's kind: its output's)."""
    plant = sim.plant
    kinds = sorted({machine_kind(plant, a) for a in ind.machines.asset_ids})
    out = {}
    for kind in kinds:
        figures = compare(
            sim, tracker, ind, hours, last, lambda a, k=kind: machine_kind(plant, a) == k
        )
        out[kind] = {
            key: figures[key]
            for key in ("parts_made", "count_error", "cycle_time_error_pct", "oee_error_pts")
        }
    return out


def compare(
    sim: Simulator,
    tracker: CycleTracker,
    ind: Indicators,
    hours: float,
    last: dict[str, tuple[float, float]],
    only: Callable[[str], bool] = lambda _: True,
) -> dict[str, object]:
    """Detected against true: cycle durations, parts, and each line's OEE (of the machines
    ``only`` keeps, and the lines whose output it keeps). ``last``: each machine's first
    and last samples of its cycle signal (s)."""
    seconds = hours * 3600.0
    # Parts made before a machine's first sample cannot be counted, nor after its last one.
    first_s = ((tracker.first_t or T0) - T0) / NS
    truth = {
        a: _after(s.truth(row, last[a][1]), last[a][0])
        for a, (s, row) in _schedules(sim).items()
        if a in last
    }
    seconds -= first_s
    mi = ind.machines
    cycles = tracker.cycles()
    errors: list[np.ndarray] = []
    count_error = 0.0
    made = 0
    for i, asset_id in enumerate(mi.asset_ids):
        if not only(asset_id):
            continue
        true = truth[asset_id]
        made += true.end.shape[0]
        count_error += float(mi.parts[i]) - true.end.shape[0]
        errors.append(_cycle_errors(cycles, i, true.end))
    oee_errors, availability_errors = [], []
    lines = [li for li in ind.lines if only(li.line.output)]
    for li in lines:
        true = truth[li.line.output]
        good = true.end.shape[0] - int(true.scrap.sum())
        true_oee = li.line.target_cycle_s * good / seconds
        down = float((true.down[:, 1] - true.down[:, 0]).sum()) if true.down.size else 0.0
        oee_errors.append(abs(float(li.oee.oee) - true_oee) * 100)
        availability_errors.append(abs(float(li.oee.availability) - (1 - down / seconds)) * 100)
    all_errors = np.concatenate(errors) if errors else np.empty(0)
    figures: dict[str, object] = {
        "parts_made": made,
        "count_error": int(count_error),
        "cycles_compared": int(all_errors.size),
        "cycle_time_error_pct": round(float(np.median(all_errors)), 4) if all_errors.size else None,
        "cycle_time_error_p99_pct": round(float(np.percentile(all_errors, 99)), 3)
        if all_errors.size
        else None,
        "oee_error_pts": round(max(oee_errors), 4) if oee_errors else None,
        "availability_error_pts": round(max(availability_errors), 4) if oee_errors else None,
    }
    if lines:
        best = max(lines, key=lambda li: float(li.oee.oee))
        figures["example_line"] = {
            "line": best.line.id,
            "oee_pct": round(float(best.oee.oee) * 100, 1),
            "availability_pct": round(float(best.oee.availability) * 100, 1),
            "performance_pct": round(float(best.oee.performance) * 100, 1),
            "quality_pct": round(float(best.oee.quality) * 100, 1),
            "bottleneck": best.bottleneck,
            "energy_per_part_kwh": round(best.energy_per_part_kwh, 3),
        }
    return figures


def _after(truth: CycleTruth, first_s: float) -> CycleTruth:
    keep = truth.end > first_s
    down = truth.down[truth.down[:, 1] > first_s] if truth.down.size else truth.down
    if down.size:
        down[:, 0] = np.maximum(down[:, 0], first_s)
    return CycleTruth(truth.start[keep], truth.work[keep], truth.end[keep], truth.scrap[keep], down)


def _cycle_errors(cycles: Cycles, machine: int, true_end_s: np.ndarray) -> np.ndarray:
    """|detected - true| / true (%) of each timed cycle of a machine, matched by the time
    its part was counted (the first sample at or after the true end)."""
    mine = (cycles.machine == machine) & (cycles.start > NO_TIME) & (cycles.parts == 1)
    end, dur = cycles.end[mine], (cycles.end[mine] - cycles.start[mine]) / NS
    if true_end_s.shape[0] < 2 or end.size == 0:
        return np.empty(0)
    true_end = T0 + np.round(true_end_s * NS).astype(np.int64)
    true_dur = np.diff(true_end_s)
    j = np.searchsorted(true_end, end, side="right") - 1  # the true end just before
    ok = j >= 1
    return np.abs(dur[ok] - true_dur[j[ok] - 1]) / true_dur[j[ok] - 1] * 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--machines", type=int, default=1000)
    parser.add_argument("--step", type=float, default=60.0, help="fast-forward step, s")
    parser.add_argument("--mix", action="store_true", help="every cyclic kind, not presses")
    args = parser.parse_args()
    demo = kpi_plant(load_plant(ROOT / "assets" / "plants" / "demo_workshop.toml"))
    if args.mix:
        from bench.kpi_mix import mixed_plant  # run as a module: python -m bench.kpi

        generated = mixed_plant(args.machines)
    else:
        generated = line_plant(args.machines)
    results = {}
    for label, plant in (("demo", demo), ("generated", generated)):
        figures = run(plant, args.hours, args.step)
        results[label] = figures
        print(f"{label}: " + ", ".join(f"{k}={v}" for k, v in figures.items()), flush=True)
    demo_f, big = results["demo"], results["generated"]
    print(
        json.dumps(
            {
                "hours": args.hours,
                "machines": args.machines,
                "mix": args.mix,
                "cycle_time_error_pct": max(
                    demo_f["cycle_time_error_pct"], big["cycle_time_error_pct"]
                ),
                "count_error": demo_f["count_error"] + big["count_error"],
                "oee_error_pts": max(demo_f["oee_error_pts"], big["oee_error_pts"]),
                "kpi_ms_per_s": big["kpi_ms_per_s"],
                "by_kind": big["by_kind"],
            }
        )
    )


if __name__ == "__main__":
    main()
