"""Small plant files for tests: one area "bay", its connections and assets, as TOML text.

``plant_toml()`` is a plant of one motor, M01, at the origin; ``asset()`` describes other
assets. Signals are TOML inline tables, given as mappings or as TOML text::

    plant_toml(
        asset("P01", "press", {"key": "force", "rate_hz": 20, "normal": [0, 1]}),
        connections=[{"id": "plc", "protocol": "modbus", "host": "127.0.0.1"}],
    )

Deliberately broken plant files stay beside the test about that breakage.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from twin.plant.loader import parse_plant
from twin.plant.model import Plant

type Fields = Mapping[str, object]
type SignalRow = str | Fields


def toml_value(value: object) -> str:
    """``value`` written as a TOML value: a string, number, boolean, array or inline table."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return repr(float(value))  # nan and inf are TOML too
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON escapes are TOML's escapes
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, Sequence):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML value for {value!r}")


def asset(
    asset_id: str = "M01",
    kind: str = "motor",
    *signals: SignalRow,
    position: Sequence[float] = (0, 0, 0),
    **fields: object,
) -> dict[str, object]:
    """An asset in the bay at ``position`` carrying ``signals``; ``fields`` are more keys."""
    return {
        "id": asset_id,
        "kind": kind,
        "area": "bay",
        "position": list(position),
        **fields,
        "signals": list(signals),
    }


def _table(header: str, fields: Fields) -> list[str]:
    lines = [header]
    for key, value in fields.items():
        if key == "signals":
            if value:
                assert isinstance(value, list)
                rows = [row if isinstance(row, str) else toml_value(row) for row in value]
                lines += ["signals = [", *(f"  {row}," for row in rows), "]"]
        else:
            lines.append(f"{key} = {toml_value(value)}")
    return lines


def plant_toml(
    *assets: Fields, connections: Sequence[Fields] = (), name: str = "Test plant"
) -> str:
    """The plant file: ``[plant]``, the bay, ``connections`` and ``assets`` (by default one
    motor M01 at the origin without signals, which may still be appended as
    ``[[assets.signals]]`` tables)."""
    lines = ["[plant]", f"name = {toml_value(name)}", "", "[[areas]]", 'id = "bay"']
    for conn in connections:
        lines += ["", *_table("[[connections]]", conn)]
    for a in assets or (asset(),):
        lines += ["", *_table("[[assets]]", a)]
    return "\n".join(lines) + "\n"


def build_plant(
    *assets: Fields,
    connections: Sequence[Fields] = (),
    name: str = "Test plant",
    path: str = "test.toml",
) -> Plant:
    """``plant_toml(...)`` parsed as if read from ``path``."""
    return parse_plant(plant_toml(*assets, connections=connections, name=name), path)
