"""A generated plant of every cyclic kind the simulator has, in lines, for ``bench/kpi.py``.

Of every ten machines: three punch presses (lines of five), three in moulding cells
(moulder, insert-loading robot, moulder; the second moulder is the output), two and a half
looms and one and a half extruders (lines of five). Each kind's line-indicator signals are
sampled at a rate that resolves its cycle: 1 Hz for presses, looms and extruders, 5 Hz for
moulders, 10 Hz for robots.
"""

from __future__ import annotations

from dataclasses import dataclass

from twin.plant.loader import parse_plant
from twin.plant.model import Plant

PER_LINE = 5


@dataclass(frozen=True)
class KindSpec:
    """How one kind appears in the generated plant."""

    template: str
    kind: str
    counter: str
    rate_hz: float
    scrap: bool
    params: str  # inline-table body, {cycle} replaced by the machine's cycle time
    cycle_s: float  # nominal cycle (s)


KINDS = {
    "press": KindSpec("press", "press", "panel_count", 1, True, 'mode = "punch"', 216.0),
    "moulder": KindSpec("moulder", "extruder", "shot_count", 5, True, 'type = "injection"', 36.0),
    "robot": KindSpec("robot", "robot", "cycle_count", 10, False, "", 18.0),
    "loom": KindSpec("loom", "loom", "piece_count", 1, True, "rated_ppm = 700, piece_m = 20", 0.0),
    "extruder": KindSpec(
        "extruder", "extruder", "piece_count", 1, True, 'type = "extrusion"', 120.0
    ),
}
_LOOM_CYCLE_S = 20 * 100 * 30 / 700 * 60  # piece_m x 100 x picks_per_cm / ppm, in s


def _templates() -> list[str]:
    out = []
    for spec in KINDS.values():
        keys = [spec.counter, "state", "power"] + (["scrap_count"] if spec.scrap else [])
        signals = ", ".join(
            f'{{ key = "{k}", rate_hz = {spec.rate_hz}, normal = [0, 100000] }}' for k in keys
        )
        out.append(f'[templates.{spec.template}]\nkind = "{spec.kind}"\nsignals = [{signals}]\n')
    return out


def _asset(ident: str, kind: str, x: float, y: float, cycle_s: float) -> str:
    spec = KINDS[kind]
    params = ", ".join(p for p in (spec.params, f"cycle_s = {cycle_s:.1f}") if p)
    return (
        f'[[assets]]\nid = "{ident}"\ntemplate = "{spec.template}"\narea = "hall"\n'
        f"position = [{x}, {y}, 0.0]\nparams = {{ {params} }}\n"
    )


def _rule(kind: str) -> str:
    spec = KINDS[kind]
    scrap = ', scrap = "scrap_count"' if spec.scrap else ""
    signals = f'signal = "{spec.counter}", state = "state", power = "power"{scrap}'
    return f'{{ rule = "counter", {signals} }}'


def _line(ident: str, members: list[str], target_s: float, kind: str, extra: str = "") -> str:
    names = ", ".join(f'"{m}"' for m in members)
    plan = round(86400 / target_s * 0.85)
    return (
        f'[[lines]]\nid = "{ident}"\nmachines = [{names}]\ntarget_cycle_s = {target_s:.1f}\n'
        f"cycle = {_rule(kind)}\n{extra}plan = {{ day = {plan} }}\n"
    )


def _vary(i: int) -> float:
    """A machine's cycle relative to its kind's nominal one: within +/- 4 %."""
    return 1.0 + 0.02 * ((i * 7) % 5 - 2)


def mixed_plant(machines: int, seed: int = 7) -> Plant:
    """``machines`` machines of every cyclic kind in lines, one 24 h shift with a plan."""
    head = [
        f'[plant]\nname = "{machines} mixed machines"\nseed = {seed}\n',
        '[[areas]]\nid = "hall"\n',
        '[[shifts]]\nid = "day"\nstart = "00:00"\nlength = "24h"\n',
    ]
    assets: list[str] = []
    lines: list[str] = []
    counts = {
        "press": machines * 3 // 10,
        "cell": machines * 3 // 10 // 3,
        "loom": machines // 4,
    }
    counts["extruder"] = machines - counts["press"] - 3 * counts["cell"] - counts["loom"]
    row = 0
    for kind, cycle in (
        ("press", KINDS["press"].cycle_s),
        ("loom", _LOOM_CYCLE_S),
        ("extruder", KINDS["extruder"].cycle_s),
    ):
        for start in range(0, counts[kind], PER_LINE):
            members = [
                f"{kind[:2].upper()}{row:03d}M{p}"
                for p in range(min(PER_LINE, counts[kind] - start))
            ]
            for p, ident in enumerate(members):
                assets.append(_asset(ident, kind, p * 6.0, row * 4.0, cycle * _vary(row + p)))
            lines.append(_line(f"{kind[:2].upper()}{row:03d}", members, cycle, kind))
            row += 1
    for cell in range(counts["cell"]):
        moulder_s = KINDS["moulder"].cycle_s * _vary(cell)
        members = [f"IM{cell:03d}A", f"RB{cell:03d}", f"IM{cell:03d}B"]
        for p, (ident, kind) in enumerate(
            zip(members, ("moulder", "robot", "moulder"), strict=True)
        ):
            cycle = moulder_s * (0.9 if kind == "robot" else 1.0)
            assets.append(_asset(ident, kind, p * 6.0, row * 4.0, cycle))
        moulder = _rule("moulder")
        extra = f"cycles = {{ {members[0]} = {moulder}, {members[2]} = {moulder} }}\n"
        lines.append(_line(f"IC{cell:03d}", members, KINDS["moulder"].cycle_s, "robot", extra))
        row += 1
    return parse_plant("\n".join(head + _templates() + assets + lines), f"<{machines} mixed>")
