"""The figures of a wall page's tiles: a line's (output against plan, OEE, cycle, energy,
bottleneck, downtime) or, on an area's page, its assets by state."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QCoreApplication

from app.wall import text
from app.wall.summary import StateSummary
from twin.kpi.indicators import Indicators
from twin.plant.model import Plant
from twin.status import State


class Figure(NamedTuple):
    caption: str
    value: str
    detail: str
    attention: bool = False  # shown in amber: behind plan, a slow cycle, assets in alarm


def line_figures(ind: Indicators, line_id: str, shift_name: str) -> list[Figure]:
    """Six figures of one line over the shift so far (``shift_name``: whose plan)."""
    li = ind.line(line_id)
    mi = ind.machines
    slowest = mi.asset_ids.index(li.bottleneck) if li.bottleneck else li.output_index
    output = QCoreApplication.translate("WallText", "Output · %1").replace("%1", shift_name)
    per_hour = float(mi.parts_per_hour[li.output_index])
    return [
        Figure(output, text.output_value(li), text.output_detail(li), text.behind_plan(li)),
        Figure(
            QCoreApplication.translate("WallText", "OEE"), text.oee_value(li), text.oee_detail(li)
        ),
        Figure(
            QCoreApplication.translate("WallText", "Last cycle"),
            text.cycle_value(li),
            text.cycle_detail(li),
            text.slow_cycle(li),
        ),
        Figure(
            QCoreApplication.translate("WallText", "Energy per part"),
            text.energy_value(li),
            text.energy_detail(per_hour),
        ),
        Figure(
            QCoreApplication.translate("WallText", "Bottleneck"),
            text.bottleneck_value(li),
            text.bottleneck_detail(float(mi.cycle_median_s[slowest])),
        ),
        Figure(
            QCoreApplication.translate("WallText", "Downtime"),
            text.downtime_value(li),
            text.downtime_detail(li),
        ),
    ]


def state_figures(summary: StateSummary, plant: Plant) -> list[Figure]:
    """Three figures of an area's assets at the frame: in alarm (of all), in warning and
    without data, each with the first few of them by id."""
    counts = summary.counts
    total = int(counts.sum())

    def names(state: State) -> str:
        ids = [plant.assets[i].id for i in summary.examples[state]]
        more = int(counts[state]) - len(ids)
        return ", ".join(ids) + (" …" if more > 0 else "") if ids else text.NONE

    return [
        Figure(
            QCoreApplication.translate("WallText", "Assets in alarm"),
            f"{int(counts[State.ALARM])} / {total}",
            names(State.ALARM),
            bool(counts[State.ALARM]),
        ),
        Figure(
            QCoreApplication.translate("WallText", "In warning"),
            str(int(counts[State.WARNING])),
            names(State.WARNING),
        ),
        Figure(
            QCoreApplication.translate("WallText", "No data"),
            str(int(counts[State.NO_DATA])),
            names(State.NO_DATA),
        ),
    ]
