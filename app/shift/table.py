"""The shift report as CSV: one tidy table per section, one after the other, each with its
header row; the first column, ``section``, names the table of every row (a blank row
between tables), so a spreadsheet filter on it shows one table. Column names and values
are for machines (stable keys, UTC times, plain numbers; "" where undefined)."""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
from collections.abc import Sequence
from pathlib import Path

from twin.kpi.shift import LineSummary, ShiftSummary
from twin.plant.model import Plant
from twin.timebase import NS_PER_S

Cell = str | int | float | None

SHIFT_COLUMNS = (
    "plant", "shift_id", "shift_name", "day", "start_utc", "end_utc", "data_from_utc",
    "data_to_utc", "complete", "started_late", "ended_early", "operators",
)  # fmt: skip
LINE_COLUMNS = (
    "line_id", "line_name", "parts", "good", "scrap", "plan_parts", "plan_due",
    "planned_min", "run_min", "downtime_min", "availability_pct", "performance_pct",
    "quality_pct", "oee_pct", "speed_loss_min", "scrap_loss_min", "cycles", "cycle_last_s",
    "cycle_median_s", "cycle_p90_s", "cycle_min_s", "cycle_max_s", "target_cycle_s",
    "cycles_over_target", "energy_kwh", "energy_per_part_kwh", "bottleneck",
    "bottleneck_median_s",
)  # fmt: skip
DOWNTIME_COLUMNS = ("line_id", "cause", "minutes")
ALARM_COLUMNS = (
    "raised_utc", "asset_id", "signal_id", "kind", "value", "unit", "priority", "acked_by",
    "acked_utc",
)  # fmt: skip
ADVISORY_COLUMNS = ("raised_utc", "asset_id", "cause", "summary", "cleared_utc")
BOOKMARK_COLUMNS = ("time_utc", "comment")


def _num(x: float | None, digits: int = 2) -> str:
    return "" if x is None or not math.isfinite(x) else f"{x:.{digits}f}"


def _utc(t_ns: int | None) -> str:
    if t_ns is None:
        return ""
    return dt.datetime.fromtimestamp(t_ns / NS_PER_S, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _line_row(li: LineSummary) -> list[Cell]:
    c = li.cycles
    return [
        li.line_id, li.name, _num(li.parts, 0), _num(li.good, 0), _num(li.scrap, 0),
        "" if li.plan_parts is None else li.plan_parts, _num(li.plan_due, 1),
        _num(li.planned_s / 60), _num(li.run_s / 60), _num(li.downtime_s / 60),
        _num(100 * li.availability), _num(100 * li.performance), _num(100 * li.quality),
        _num(100 * li.oee), _num(li.speed_loss_s / 60), _num(li.scrap_loss_s / 60), c.count,
        _num(c.last_s, 1), _num(c.median_s, 1), _num(c.p90_s, 1), _num(c.min_s, 1),
        _num(c.max_s, 1), _num(c.target_s, 1), c.slow, _num(li.energy_kwh, 3),
        _num(li.energy_per_part_kwh, 4), li.bottleneck or "", _num(li.bottleneck_median_s, 1),
    ]  # fmt: skip


def shift_tables(
    s: ShiftSummary, plant: Plant
) -> list[tuple[str, Sequence[str], list[list[Cell]]]]:
    """(section, columns, rows) of every table of the report."""
    w = s.window
    shift_row: list[Cell] = [
        s.plant_name, w.shift.id, w.shift.name, w.day.isoformat(), _utc(w.start_ns),
        _utc(w.end_ns), _utc(s.data_from), _utc(s.data_to), int(s.complete),
        int(s.started_late), int(s.ended_early), "; ".join(s.operators),
    ]  # fmt: skip
    downtime: list[list[Cell]] = [
        [li.line_id, name, _num(sec / 60)] for li in s.lines for name, sec in li.downtime_by_cause
    ]
    units = {sig.id: sig.unit for sig in plant.signals}
    alarms: list[list[Cell]] = []
    for a in s.alarms:
        e = a.raised
        unit = units.get(e.signal_id, "")
        alarms.append(
            [
                _utc(e.t), e.asset_id, e.signal_id, e.kind.value, _num(e.value, 4), unit,
                e.priority.label, (a.acked.user or "") if a.acked else "",
                _utc(a.acked.t) if a.acked else "",
            ]
        )  # fmt: skip
    advisories: list[list[Cell]] = [
        [
            _utc(a.raised.t_ns),
            a.raised.asset_id,
            a.raised.cause,
            a.raised.summary,
            _utc(a.cleared_ns),
        ]
        for a in s.advisories
    ]
    return [
        ("shift", SHIFT_COLUMNS, [shift_row]),
        ("line", LINE_COLUMNS, [_line_row(li) for li in s.lines]),
        ("downtime", DOWNTIME_COLUMNS, downtime),
        ("alarm", ALARM_COLUMNS, alarms),
        ("advisory", ADVISORY_COLUMNS, advisories),
        ("bookmark", BOOKMARK_COLUMNS, [[_utc(n.t_ns), n.text] for n in s.notes]),
    ]


def write_shift_csv(s: ShiftSummary, plant: Plant, out: Path) -> Path:
    """Write the tables to ``out`` (UTF-8 with a BOM, so spreadsheets read the Chinese
    right), through "<out>.partial" renamed when complete; returns ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with open(partial, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        for i, (section, columns, rows) in enumerate(shift_tables(s, plant)):
            if i:
                writer.writerow([])
            writer.writerow(["section", *columns])
            writer.writerows([section, *row] for row in rows)
    os.replace(partial, out)
    return out
