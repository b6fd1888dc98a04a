"""A plant with one line of presses, for the line-indicator tests."""

from __future__ import annotations

from twin.plant.loader import parse_plant
from twin.plant.model import Plant

SIGNALS = """signals = [
  { key = "panel_count", rate_hz = 1, normal = [0, 1000] },
  { key = "scrap_count", rate_hz = 1, normal = [0, 1000] },
  { key = "state", rate_hz = 1, normal = [0, 1] },
  { key = "power", unit = "kW", rate_hz = 1, normal = [0, 30] },
  { key = "ram_position", unit = "mm", rate_hz = 10, normal = [0, 100] },
]"""


def line_toml(cycle: str, machines: int = 2, extra: str = "", params: str = "{}") -> str:
    """Plant text: ``machines`` presses P1.. in line "L" (target 216 s, plan early = 120)
    whose cycle rule is the inline table ``cycle``; ``extra`` goes into the line entry,
    ``params`` (an inline table) into each press."""
    parts = ['[plant]\nname = "Line test"\n', '[[areas]]\nid = "bay"\n']
    parts.append('[[shifts]]\nid = "early"\nstart = "06:00"\nlength = "8h"\n')
    for i in range(1, machines + 1):
        parts.append(
            f'[[assets]]\nid = "P{i}"\nkind = "press"\narea = "bay"\nposition = [{i}, 0, 0]\n'
            + f"params = {params}\n"
            + SIGNALS
            + "\n"
        )
    members = ", ".join(f'"P{i}"' for i in range(1, machines + 1))
    parts.append(
        f'[[lines]]\nid = "L"\nname = "Test line"\nmachines = [{members}]\n'
        f"target_cycle_s = 216\ncycle = {cycle}\nplan = {{ early = 120 }}\n{extra}"
    )
    return "\n".join(parts)


def line_plant(cycle: str, machines: int = 2, extra: str = "", params: str = "{}") -> Plant:
    return parse_plant(line_toml(cycle, machines, extra, params), "line.toml")


COUNTER = (
    '{ rule = "counter", signal = "panel_count", state = "state", power = "power", '
    'scrap = "scrap_count" }'
)
