"""Words and numbers of the line indicators as the views show them."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QCoreApplication

from twin.kpi.indicators import LineIndicators


def percent(x: float) -> str:
    return "–" if not math.isfinite(x) else f"{100.0 * x:.1f} %"


def duration(seconds: float) -> str:
    """216 -> "3:36"; an hour or more -> "1 h 05 min"."""
    if not math.isfinite(seconds):
        return "–"
    s = round(seconds)
    if s >= 3600:
        return (
            QCoreApplication.translate("LineText", "%1 h %2 min")
            .replace("%1", str(s // 3600))
            .replace("%2", f"{s % 3600 // 60:02d}")
        )
    return f"{s // 60}:{s % 60:02d}"


def output_text(li: LineIndicators) -> str:
    """ "118 parts (114 good) · plan 125, 118 due by now" """
    text = QCoreApplication.translate("LineText", "%1 parts (%2 good)")
    text = text.replace("%1", f"{li.parts:.0f}").replace("%2", f"{li.good:.0f}")
    if li.plan_parts is not None and li.plan_so_far is not None:
        plan = QCoreApplication.translate("LineText", "plan %1, %2 due by now")
        text += " · " + plan.replace("%1", str(li.plan_parts)).replace(
            "%2", f"{li.plan_so_far:.0f}"
        )
    return text


def cycle_text(li: LineIndicators) -> str:
    last = li.cycle_s[-1] if li.cycle_s.size else math.nan
    median = float(np.median(li.cycle_s)) if li.cycle_s.size else math.nan
    words = QCoreApplication.translate("LineText", "cycle last %1 · median %2 · target %3")
    return (
        words.replace("%1", duration(last))
        .replace("%2", duration(median))
        .replace("%3", duration(li.line.target_cycle_s))
    )


def oee_text(li: LineIndicators) -> str:
    o = li.oee
    words = QCoreApplication.translate(
        "LineText", "OEE %1  ·  availability %2 · performance %3 · quality %4"
    )
    return (
        words.replace("%1", percent(float(o.oee)))
        .replace("%2", percent(float(o.availability)))
        .replace("%3", percent(float(o.performance)))
        .replace("%4", percent(float(o.quality)))
    )


def losses_text(li: LineIndicators) -> str:
    """Downtime by cause, largest first, then slow cycles and scrap, in minutes."""
    minutes = QCoreApplication.translate("LineText", "%1 min")
    parts = [
        f"{name} " + minutes.replace("%1", f"{s / 60:.0f}")
        for name, s in sorted(li.downtime_by_cause.items(), key=lambda kv: -kv[1])
        if s >= 30
    ]
    slow = max(float(li.oee.speed_loss_s), 0.0) / 60
    parts.append(
        QCoreApplication.translate("LineText", "slow cycles %1 min").replace("%1", f"{slow:.0f}")
    )
    scrap = float(li.oee.scrap_loss_s) / 60
    parts.append(
        QCoreApplication.translate("LineText", "scrap %1 min").replace("%1", f"{scrap:.0f}")
    )
    return QCoreApplication.translate("LineText", "losses: %1").replace("%1", ", ".join(parts))


def energy_text(li: LineIndicators, parts_per_hour: float) -> str:
    energy = li.energy_per_part_kwh
    per_part = QCoreApplication.translate("LineText", "%1 kWh a part")
    per_hour = QCoreApplication.translate("LineText", "%1 parts/h")
    e = "–" if not math.isfinite(energy) else per_part.replace("%1", f"{energy:.2f}")
    rate = (
        "–"
        if not math.isfinite(parts_per_hour)
        else per_hour.replace("%1", f"{parts_per_hour:.1f}")
    )
    return f"{rate} · {e}"
