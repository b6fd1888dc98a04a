"""The wall screen's words and numbers: a line's figures as tile values and the line
under them, an alarm and an asset's health as one row each."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QCoreApplication

from app.core_text import sentence, word
from app.fleet.text import health_words
from app.line.text import duration, percent
from app.views.values_panel import format_value
from twin.alarms import AlarmKind, AlarmStatus
from twin.condition.snapshot import FleetHealth
from twin.kpi.indicators import LineIndicators
from twin.plant.model import Plant

NONE = "–"
# How much slower than the target a last cycle may be before it is shown in amber.
SLOW_FACTOR = 1.05


def _fill(template: str, *args: str) -> str:
    for i, arg in enumerate(args, 1):
        template = template.replace(f"%{i}", arg)
    return template


def output_value(li: LineIndicators) -> str:
    """Parts made against the shift's plan: "118 / 125"; "118" without a plan."""
    if li.plan_parts is None:
        return f"{li.parts:.0f}"
    return f"{li.parts:.0f} / {li.plan_parts}"


def output_detail(li: LineIndicators) -> str:
    good = _fill(QCoreApplication.translate("WallText", "%1 good"), f"{li.good:.0f}")
    if li.plan_so_far is None:
        return good + " · " + QCoreApplication.translate("WallText", "no plan")
    return f"{good} · " + _fill(
        QCoreApplication.translate("WallText", "%1 due by now"), f"{li.plan_so_far:.0f}"
    )


def behind_plan(li: LineIndicators) -> bool:
    """Fewer parts than the plan prorated to now (a whole part short or more)."""
    return li.plan_so_far is not None and li.parts + 1 <= li.plan_so_far


def oee_value(li: LineIndicators) -> str:
    return percent(float(li.oee.oee))


def oee_detail(li: LineIndicators) -> str:
    """Availability, performance and quality in whole percent: "A 91 % · P 88 % · Q 98 %"
    (the tile's width, in any language)."""
    o = li.oee
    return _fill(
        QCoreApplication.translate("WallText", "A %1 · P %2 · Q %3"),
        whole_percent(float(o.availability)),
        whole_percent(float(o.performance)),
        whole_percent(float(o.quality)),
    )


def whole_percent(x: float) -> str:
    return NONE if not math.isfinite(x) else f"{100.0 * x:.0f} %"


def last_cycle_s(li: LineIndicators) -> float:
    return float(li.cycle_s[-1]) if li.cycle_s.size else math.nan


def median_cycle_s(li: LineIndicators) -> float:
    return float(np.median(li.cycle_s)) if li.cycle_s.size else math.nan


def cycle_value(li: LineIndicators) -> str:
    return duration(last_cycle_s(li))


def cycle_detail(li: LineIndicators) -> str:
    return _fill(
        QCoreApplication.translate("WallText", "median %1 · target %2"),
        duration(median_cycle_s(li)),
        duration(li.line.target_cycle_s),
    )


def slow_cycle(li: LineIndicators) -> bool:
    return last_cycle_s(li) > SLOW_FACTOR * li.line.target_cycle_s


def energy_value(li: LineIndicators) -> str:
    kwh = li.energy_per_part_kwh
    return (
        NONE
        if not math.isfinite(kwh)
        else _fill(QCoreApplication.translate("WallText", "%1 kWh"), f"{kwh:.2f}")
    )


def energy_detail(parts_per_hour: float) -> str:
    if not math.isfinite(parts_per_hour):
        return NONE
    return _fill(
        QCoreApplication.translate("WallText", "%1 parts an hour"), f"{parts_per_hour:.1f}"
    )


def bottleneck_value(li: LineIndicators) -> str:
    return li.bottleneck or NONE


def bottleneck_detail(median_s: float) -> str:
    return _fill(QCoreApplication.translate("WallText", "median cycle %1"), duration(median_s))


def downtime_value(li: LineIndicators) -> str:
    total = sum(li.downtime_by_cause.values())
    return _fill(QCoreApplication.translate("WallText", "%1 min"), f"{total / 60:.0f}")


def downtime_detail(li: LineIndicators) -> str:
    """The largest cause of downtime so far in the shift, or that there was none."""
    causes = [(s, name) for name, s in li.downtime_by_cause.items() if s >= 30]
    if not causes:
        return QCoreApplication.translate("WallText", "no stops")
    seconds, name = max(causes)
    return f"{name} " + _fill(
        QCoreApplication.translate("WallText", "%1 min"), f"{seconds / 60:.0f}"
    )


def alarm_row(s: AlarmStatus, plant: Plant) -> str:
    """ "M07 chilled water pump · Winding temperature HH 131.20" """
    if s.kind is AlarmKind.CONNECTION or not plant.has_asset(s.asset_id):
        return f"{s.signal_id} · {word(s.kind.value)}"
    asset = plant.asset(s.asset_id)
    key = s.signal_id.removeprefix(f"{asset.id}.")
    signal = asset.signal(key)
    name = signal.name if signal is not None and signal.name else key
    value = "" if math.isnan(s.value) else f" {format_value(s.value)}"
    return f"{asset.name} · {name} {word(s.kind.value)}{value}"


def health_row(health: FleetHealth, row: int, plant: Plant) -> str:
    """ "M03 cooling fan · 42 · bearing: 7.9 mm/s, zone C" """
    asset_id = health.asset_ids[row]
    name = plant.asset(asset_id).name if plant.has_asset(asset_id) else asset_id
    value = word(health_words(float(health.health[row])))
    summary = sentence(health.summary[row])
    return f"{name} · {value}" + (f" · {summary}" if summary else "")


def page_of(index: int, count: int) -> str:
    return _fill(QCoreApplication.translate("WallText", "%1 / %2"), str(index + 1), str(count))
