"""Shift windows in time, and a production plan: parts per shift per line, from the plant
file's ``plan`` tables or from a CSV file (``line,shift,parts``)."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping
from pathlib import Path

from twin.plant.lines import Shift
from twin.plant.model import Plant
from twin.timebase import NS_PER_S

DAY_NS = 86_400 * NS_PER_S
Plan = dict[str, dict[str, int]]  # line id -> shift id -> parts


class PlanError(ValueError):
    """A plan file that cannot be used; the message names the file, line and field."""

    def __init__(self, reason: str, *, path: str, line: int | None = None, field: str = "") -> None:
        self.path, self.line, self.field, self.reason = path, line, field, reason
        place = f"{path}:{line}" if line is not None else path
        super().__init__(f"{place}: {field}: {reason}" if field else f"{place}: {reason}")


def shift_window(shift: Shift, t_ns: int) -> tuple[int, int]:
    """(start, end) ns of the occurrence of ``shift`` that started last at or before
    ``t_ns`` (UTC days)."""
    offset = round(shift.start_s * NS_PER_S)
    day = (t_ns - offset) // DAY_NS
    start = day * DAY_NS + offset
    return start, start + round(shift.length_s * NS_PER_S)


def current_shift(plant: Plant, t_ns: int) -> tuple[Shift, int, int] | None:
    """The plant's shift under way at ``t_ns`` with its window; else the last one that
    ended; None when the plant has no shifts."""
    best: tuple[Shift, int, int] | None = None
    for shift in plant.shifts:
        start, end = shift_window(shift, t_ns)
        if start <= t_ns < end:
            return shift, start, end
        if best is None or start > best[1]:
            best = (shift, start, end)
    return best


def plant_plan(plant: Plant) -> Plan:
    """The plan the plant file gives (``plan`` of each ``[[lines]]`` entry)."""
    return {line.id: dict(line.plan) for line in plant.lines}


def read_plan_csv(path: str | os.PathLike[str], plant: Plant) -> Plan:
    """Read a plan CSV (header ``line,shift,parts``) over the plant file's plan."""
    name = os.fspath(path)
    try:
        text = Path(name).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PlanError("no such file", path=name) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(f"cannot read the file: {exc}", path=name) from None
    return parse_plan_csv(text, name, plant)


def parse_plan_csv(text: str, path: str, plant: Plant) -> Plan:
    """Parse plan CSV ``text``; ``path`` names it in errors."""
    plan = plant_plan(plant)
    lines = {line.id for line in plant.lines}
    shifts = {s.id for s in plant.shifts}
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if header is None:
        raise PlanError("empty file; expected a header line,shift,parts", path=path, line=1)
    columns = [h.strip().lower() for h in header]
    if columns != ["line", "shift", "parts"]:
        raise PlanError(
            f"header must be line,shift,parts, got {','.join(header)}", path=path, line=1
        )
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        number = rows.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != 3:
            raise PlanError(f"expected 3 fields, got {len(row)}", path=path, line=number)
        line_id, shift_id, parts = (cell.strip() for cell in row)
        _known(line_id, lines, "line", path, number)
        _known(shift_id, shifts, "shift", path, number)
        if not parts.isdigit():
            raise PlanError(
                f"must be a whole number of parts >= 0, got {parts!r}",
                path=path,
                line=number,
                field="parts",
            )
        if (line_id, shift_id) in seen:
            first = seen[(line_id, shift_id)]
            raise PlanError(
                f"{line_id}/{shift_id} planned twice (first at line {first})",
                path=path,
                line=number,
                field="shift",
            )
        seen[(line_id, shift_id)] = number
        plan.setdefault(line_id, {})[shift_id] = int(parts)
    return plan


def _known(
    value: str, known: Mapping[str, object] | set[str], field: str, path: str, line: int
) -> None:
    if value not in known:
        options = ", ".join(sorted(known)) or "none in the plant file"
        raise PlanError(
            f"{field} {value!r} is not in the plant file (known: {options})",
            path=path,
            line=line,
            field=field,
        )
