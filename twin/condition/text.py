"""The leading cause in words, and the figures behind it, for the assets that have one.

Only flagged assets are described (a few of thousands), so a loop over them is cheap.
"""

from __future__ import annotations

import math

import numpy as np

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


def _summary(f: Findings, cause: str, r: int, p: FleetProfile) -> str:
    m = f.mean[r]
    if cause == "bearing":
        if f.ttl["bearing_temp"][r] < f.ttl["vibration"][r]:
            temp = f"{m[COL['bearing_temp']]:.0f} °C"
            parts = [temp, _rising(f, "bearing_temp", r, "K"), _alarm_in(f.ttl["bearing_temp"][r])]
            return _join("bearing", parts)
        zone = f"zone {iso.ZONES[f.zone[r]]}" if f.zone[r] >= 0 else ""
        parts = [zone, _rising(f, "vibration", r, "mm/s"), _alarm_in(f.ttl["vibration"][r])]
        return _join("bearing", parts)
    if cause == "cooling":
        parts = [
            f"winding {f.residual[r]:+.0f} K against its model",
            _rising(f, "residual", r, "K"),
            _alarm_in(f.ttl["winding_temp"][r]),
        ]
        return _join("cooling", parts)
    if cause == "overload":
        ratio = m[COL["current"]] / p.rated_current_a[r]
        ttl = min(f.thermal_ttl[r], f.ttl["current"][r])
        return _join("overload", [f"{ratio:.2f} x rated current", _alarm_in(ttl)])
    if cause == "supply":
        dev = m[COL["voltage"]] / p.rated_voltage_v[r] - 1.0
        word = "above" if dev > 0 else "below"
        return _join(
            "supply", [f"voltage {abs(dev):.0%} {word} rating", _alarm_in(f.ttl["voltage"][r])]
        )
    if cause == "insulation":
        winding = m[COL["winding_temp"]]
        margin = p.insulation_c[r] - winding
        where = "under" if margin >= 0 else "over"
        return f"insulation: winding {winding:.0f} °C, {abs(margin):.0f} K {where} its class limit"
    if cause == "sensor":
        stuck = (f.flat[r] >= SENSOR_WINDOWS) | (f.missing[r] >= SENSOR_WINDOWS)
        keys = [k for c, k in enumerate(KEYS) if stuck[c]]
        how = ["no data" if f.missing[r, COL[k]] else "frozen" for k in keys]
        return _join("sensor", [f"{k} {h}" for k, h in zip(keys, how, strict=False)])
    return ""


def _evidence(f: Findings, r: int, p: FleetProfile) -> str:
    m = f.mean[r]
    b = p.iso_bounds[r]
    parts = []
    if f.zone[r] >= 0:
        vib = f"vibration {m[COL['vibration']]:.2f} mm/s zone {iso.ZONES[f.zone[r]]}"
        parts.append(f"{vib} (A/B {b[0]:g}, B/C {b[1]:g}, C/D {b[2]:g})")
    for key, unit in (("vibration", "mm/s"), ("bearing_temp", "K"), ("residual", "K")):
        tr = f.trends[key]
        if tr.significant[r]:
            parts.append(f"{key} trend {tr.slope[r] * HOUR_S:+.3g} {unit}/h")
    if not math.isnan(m[COL["winding_temp"]]):
        parts.append(f"winding {m[COL['winding_temp']]:.1f} °C (model {f.model[r]:.1f})")
    if not math.isnan(m[COL["bearing_temp"]]):
        parts.append(f"bearing {m[COL['bearing_temp']]:.1f} °C")
    if not math.isnan(m[COL["current"]]):
        parts.append(f"current {m[COL['current']] / p.rated_current_a[r]:.2f} x rated")
    if not math.isnan(m[COL["voltage"]]):
        parts.append(f"voltage {m[COL['voltage']]:.0f} V")
    return "; ".join(parts)


def describe(
    f: Findings, cause: np.ndarray, p: FleetProfile
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(summary, evidence) per asset; "" for assets without a leading cause."""
    summary = [""] * len(p)
    evidence = [""] * len(p)
    for r in np.flatnonzero(cause):
        summary[r] = _summary(f, CAUSES[cause[r]], int(r), p)
        evidence[r] = _evidence(f, int(r), p)
    return tuple(summary), tuple(evidence)
