"""Words and numbers of the line indicators as the views show them."""

from __future__ import annotations

import math

import numpy as np

from twin.kpi.indicators import LineIndicators


def percent(x: float) -> str:
    return "–" if not math.isfinite(x) else f"{100.0 * x:.1f} %"


def duration(seconds: float) -> str:
    """216 -> "3:36"; an hour or more -> "1 h 05 min"."""
    if not math.isfinite(seconds):
        return "–"
    s = round(seconds)
    if s >= 3600:
        return f"{s // 3600} h {s % 3600 // 60:02d} min"
    return f"{s // 60}:{s % 60:02d}"


def output_text(li: LineIndicators) -> str:
    """ "118 parts (114 good) · plan 125, 118 due by now" """
    text = f"{li.parts:.0f} parts ({li.good:.0f} good)"
    if li.plan_parts is not None and li.plan_so_far is not None:
        text += f" · plan {li.plan_parts}, {li.plan_so_far:.0f} due by now"
    return text


def cycle_text(li: LineIndicators) -> str:
    last = li.cycle_s[-1] if li.cycle_s.size else math.nan
    median = float(np.median(li.cycle_s)) if li.cycle_s.size else math.nan
    return (
        f"cycle last {duration(last)} · median {duration(median)} · "
        f"target {duration(li.line.target_cycle_s)}"
    )


def oee_text(li: LineIndicators) -> str:
    o = li.oee
    return (
        f"OEE {percent(float(o.oee))}  ·  availability {percent(float(o.availability))}"
        f" · performance {percent(float(o.performance))}"
        f" · quality {percent(float(o.quality))}"
    )


def losses_text(li: LineIndicators) -> str:
    """Downtime by cause, largest first, then slow cycles and scrap, in minutes."""
    parts = [
        f"{name} {s / 60:.0f} min"
        for name, s in sorted(li.downtime_by_cause.items(), key=lambda kv: -kv[1])
        if s >= 30
    ]
    parts.append(f"slow cycles {max(float(li.oee.speed_loss_s), 0.0) / 60:.0f} min")
    parts.append(f"scrap {float(li.oee.scrap_loss_s) / 60:.0f} min")
    return "losses: " + ", ".join(parts)


def energy_text(li: LineIndicators, parts_per_hour: float) -> str:
    energy = li.energy_per_part_kwh
    e = "–" if not math.isfinite(energy) else f"{energy:.2f} kWh a part"
    rate = "–" if not math.isfinite(parts_per_hour) else f"{parts_per_hour:.1f} parts/h"
    return f"{rate} · {e}"
