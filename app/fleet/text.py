"""Fleet health in words, as the table, the map's hover text and the CSV export say it."""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication

from app.core_text import duration, sentence, word
from twin.condition.snapshot import CAUSES, NE107_LABELS, FleetHealth, Ne107


def time_to_limit_words(seconds: float) -> str:
    """About how long until an alarm limit: "~3 d", "~6 h", "~1.5 h", "~40 min"; "" when
    none is in sight (inf or NaN), "now" when it is reached."""
    if not math.isfinite(seconds):
        return ""
    if seconds <= 0:
        return "now"
    if seconds >= 2 * 86_400:
        return f"~{round(seconds / 86_400)} d"
    if seconds >= 3_600:
        hours = seconds / 3_600
        text = f"{hours:.0f}" if hours >= 10 else f"{hours:.1f}".removesuffix(".0")
        return f"~{text} h"
    if seconds >= 60:
        return f"~{round(seconds / 60)} min"
    return f"~{max(1, round(seconds))} s"


def health_words(health: float) -> str:
    return "unknown" if math.isnan(health) else f"{health:.0f}"


def status_words(status: int) -> str:
    return NE107_LABELS[Ne107(int(status))]


def cause_words(cause: int) -> str:
    return CAUSES[int(cause)] if 0 <= int(cause) < len(CAUSES) else ""


def describe_row(health: FleetHealth, row: int, name: str) -> str:
    """One asset's health in a few lines (the map's hover text)."""
    value = word(health_words(float(health.health[row])))
    status = word(status_words(health.status[row]))
    lines = [
        f"<b>{name}</b> ({health.asset_ids[row]})",
        QCoreApplication.translate("FleetText", "health %1, %2")
        .replace("%1", value)
        .replace("%2", status),
    ]
    if health.summary[row]:
        lines.append(sentence(health.summary[row]))
    ttl = time_to_limit_words(float(health.time_to_limit_s[row]))
    if ttl:
        lines.append(
            QCoreApplication.translate("FleetText", "limit in %1").replace("%1", duration(ttl))
        )
    return "<br>".join(lines)
