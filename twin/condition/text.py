"""The leading cause in words, and the figures behind it, for an asset that has one.

Findings and profile are indexed apart (row ``i`` of the findings, row ``r`` of the
profile), so that ``words.py`` can keep the findings of the flagged assets alone.
"""

from __future__ import annotations

import math

from twin.condition import iso
from twin.condition.profile import COL, KEYS, FleetProfile
from twin.condition.severity import SENSOR_WINDOWS, Findings
from twin.condition.snapshot import CAUSES

HOUR_S = 3600.0


def duration(seconds: float) -> str:
    """A rough duration: "~40 min", "~6 h", "~3 d"."""
    if seconds < HOUR_S:
        return f"~{max(1, round(seconds / 60))} min"
    if seconds < 48 * HOUR_S:
        return f"~{round(seconds / HOUR_S)} h"
    return f"~{round(seconds / 86400)} d"


def _rising(f: Findings, key: str, row: int, unit: str) -> str:
    tr = f.trends[key]
    if not tr.significant[row] or math.isnan(tr.slope[row]):
        return ""
    per_h = float(tr.slope[row]) * HOUR_S
    word = "rising" if per_h > 0 else "falling"
    return f"{word} {abs(per_h):.2g} {unit} per hour"


def _alarm_in(ttl: float) -> str:
    if ttl <= 0:
        return "in alarm"
    return f"alarm in {duration(ttl)}" if math.isfinite(ttl) else ""


def _join(head: str, parts: list[str]) -> str:
    rest = ", ".join(p for p in parts if p)
    return f"{head}: {rest}" if rest else head


def _summary(f: Findings, cause: str, i: int, p: FleetProfile, r: int) -> str:
    m = f.mean[i]
    if cause == "bearing":
        if f.ttl["bearing_temp"][i] < f.ttl["vibration"][i]:
            temp = f"{m[COL['bearing_temp']]:.0f} °C"
            parts = [temp, _rising(f, "bearing_temp", i, "K"), _alarm_in(f.ttl["bearing_temp"][i])]
            return _join("bearing", parts)
        zone = f"zone {iso.ZONES[f.zone[i]]}" if f.zone[i] >= 0 else ""
        parts = [zone, _rising(f, "vibration", i, "mm/s"), _alarm_in(f.ttl["vibration"][i])]
        return _join("bearing", parts)
    if cause == "cooling":
        parts = [
            f"winding {f.residual[i]:+.0f} K against its model",
            _rising(f, "residual", i, "K"),
            _alarm_in(f.ttl["winding_temp"][i]),
        ]
        return _join("cooling", parts)
    if cause == "overload":
        ratio = m[COL["current"]] / p.rated_current_a[r]
        ttl = min(f.thermal_ttl[i], f.ttl["current"][i])
        return _join("overload", [f"{ratio:.2f} x rated current", _alarm_in(ttl)])
    if cause == "supply":
        dev = m[COL["voltage"]] / p.rated_voltage_v[r] - 1.0
        word = "above" if dev > 0 else "below"
        return _join(
            "supply", [f"voltage {abs(dev):.0%} {word} rating", _alarm_in(f.ttl["voltage"][i])]
        )
    if cause == "insulation":
        winding = m[COL["winding_temp"]]
        margin = p.insulation_c[r] - winding
        where = "under" if margin >= 0 else "over"
        return f"insulation: winding {winding:.0f} °C, {abs(margin):.0f} K {where} its class limit"
    if cause == "sensor":
        stuck = (f.flat[i] >= SENSOR_WINDOWS) | (f.missing[i] >= SENSOR_WINDOWS)
        keys = [k for c, k in enumerate(KEYS) if stuck[c]]
        how = ["no data" if f.missing[i, COL[k]] else "frozen" for k in keys]
        return _join("sensor", [f"{k} {h}" for k, h in zip(keys, how, strict=False)])
    return ""


def _evidence(f: Findings, i: int, p: FleetProfile, r: int) -> str:
    m = f.mean[i]
    b = p.iso_bounds[r]
    parts = []
    if f.zone[i] >= 0:
        vib = f"vibration {m[COL['vibration']]:.2f} mm/s zone {iso.ZONES[f.zone[i]]}"
        parts.append(f"{vib} (A/B {b[0]:g}, B/C {b[1]:g}, C/D {b[2]:g})")
    for key, unit in (("vibration", "mm/s"), ("bearing_temp", "K"), ("residual", "K")):
        tr = f.trends[key]
        if tr.significant[i]:
            parts.append(f"{key} trend {tr.slope[i] * HOUR_S:+.3g} {unit}/h")
    if not math.isnan(m[COL["winding_temp"]]):
        parts.append(f"winding {m[COL['winding_temp']]:.1f} °C (model {f.model[i]:.1f})")
    if not math.isnan(m[COL["bearing_temp"]]):
        parts.append(f"bearing {m[COL['bearing_temp']]:.1f} °C")
    if not math.isnan(m[COL["current"]]):
        parts.append(f"current {m[COL['current']] / p.rated_current_a[r]:.2f} x rated")
    if not math.isnan(m[COL["voltage"]]):
        parts.append(f"voltage {m[COL['voltage']]:.0f} V")
    return "; ".join(parts)


def summary_of(f: Findings, cause: int, i: int, p: FleetProfile, r: int) -> str:
    """The leading cause of findings row ``i`` (profile row ``r``) in words."""
    return _summary(f, CAUSES[cause], i, p, r)


def evidence_of(f: Findings, i: int, p: FleetProfile, r: int) -> str:
    """The figures behind findings row ``i`` (profile row ``r``)."""
    return _evidence(f, i, p, r)
