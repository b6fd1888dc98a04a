"""The maintenance list: every monitored asset worst first, as a CSV file (UTF-8)."""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

from app.fleet.text import cause_words, status_words, time_to_limit_words
from twin.condition.plant_rows import PlantRows
from twin.condition.snapshot import FleetHealth
from twin.plant.model import Plant

COLUMNS = (
    "asset",
    "name",
    "area",
    "health",
    "ne107_status",
    "cause",
    "summary",
    "time_to_limit_s",
    "time_to_limit",
    "evidence",
)


def write_maintenance_csv(health: FleetHealth, plant: Plant, path: str | os.PathLike[str]) -> int:
    """Write ``health`` worst first to ``path``; returns the number of assets. Written to
    "<path>.partial" and renamed when complete, so a failed write leaves no half file."""
    rows = PlantRows(plant)
    plant_of_row, area_of_row = rows.plant_of_row(health), rows.area_of_row(health)
    area_names = [a.name for a in plant.areas]
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    order = health.worst_first()
    try:
        with open(partial, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(COLUMNS)
            for r in order.tolist():
                asset = plant.assets[plant_of_row[r]] if plant_of_row[r] >= 0 else None
                value = float(health.health[r])
                ttl = float(health.time_to_limit_s[r])
                writer.writerow(
                    (
                        health.asset_ids[r],
                        asset.name if asset else "",
                        area_names[area_of_row[r]] if 0 <= area_of_row[r] < len(area_names) else "",
                        "" if math.isnan(value) else f"{value:.1f}",
                        status_words(health.status[r]),
                        cause_words(health.cause[r]),
                        health.summary[r],
                        f"{ttl:.0f}" if math.isfinite(ttl) else "",
                        time_to_limit_words(ttl),
                        health.evidence[r],
                    )
                )
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return len(order)
