"""From findings (zones, trends, residuals) to a severity 0..1 per asset and cause, and
an NE 107 status. Severities combine into the health index: 100 x prod(1 - severity).

The scales favour what holds: a zone, a trend that stands out of the noise, a time to
limit within the horizon. A healthy motor scores zero or close (zone B costs 0.1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.condition.profile import COL, FleetProfile
from twin.condition.snapshot import CAUSES, Ne107
from twin.condition.trend import Trend

HORIZON_S = 12 * 3600.0  # a time to limit counts from here on, growing to its weight at 0
TTL_WEIGHT = 0.8
ZONE_SEVERITY = np.array([0.0, 0.1, 0.5, 0.9, 0.0])  # A, B, C, D, unknown (index -1)
RESIDUAL_FROM_K = 8.0  # the thermal model's lag and load swings stay below this
RESIDUAL_SPAN_K = 25.0
OVERLOAD_FROM = 1.05  # x rated current
OVERLOAD_SPAN = 0.3
SUPPLY_FROM = 0.04  # relative deviation from the rated voltage
SUPPLY_SPAN = 0.08
INSULATION_MARGIN_K = 30.0
SENSOR_WINDOWS = 3  # flat or missing this many windows in a row
SENSOR_SEVERITY = 0.5
MAINTENANCE_AT = 0.3  # NE 107 "maintenance required" from this severity on
CAUSE = {name: i for i, name in enumerate(CAUSES)}


@dataclass(frozen=True)
class Findings:
    """What one evaluation found, per asset (arrays of n; ``mean``/``flat``/``missing``
    (n, len(KEYS)))."""

    mean: np.ndarray
    zone: np.ndarray  # int8, 0 = A .. 3 = D, -1 unknown
    trends: dict[str, Trend]  # per trended key, and "residual"
    ttl: dict[str, np.ndarray]  # seconds to an alarm limit per trended key (inf: none)
    thermal_ttl: np.ndarray  # seconds until the model's approach crosses the winding alarm
    residual: np.ndarray  # measured - modelled winding temperature, K
    model: np.ndarray
    flat: np.ndarray
    missing: np.ndarray


def _ramp(x: np.ndarray, start: float, span: float, weight: float) -> np.ndarray:
    """0 below ``start``, rising linearly to ``weight`` at start + span; NaN gives 0."""
    return np.nan_to_num(weight * np.clip((x - start) / span, 0.0, 1.0))


def ttl_severity(ttl_s: np.ndarray) -> np.ndarray:
    """0 beyond the horizon, growing to TTL_WEIGHT at the limit."""
    return TTL_WEIGHT * np.clip(1.0 - ttl_s / HORIZON_S, 0.0, 1.0)


def severities(f: Findings, p: FleetProfile) -> np.ndarray:
    """Severity 0..1 per asset and cause, (n, len(CAUSES)); column 0 stays 0."""
    n = len(p)
    out = np.zeros((n, len(CAUSES)))
    winding = f.mean[:, COL["winding_temp"]]
    out[:, CAUSE["bearing"]] = np.maximum.reduce(
        [
            ZONE_SEVERITY[f.zone],
            ttl_severity(f.ttl["vibration"]),
            ttl_severity(f.ttl["bearing_temp"]),
        ]
    )
    out[:, CAUSE["cooling"]] = np.maximum(
        _ramp(f.residual, RESIDUAL_FROM_K, RESIDUAL_SPAN_K, 0.8),
        ttl_severity(f.ttl["winding_temp"]),
    )
    ratio = f.mean[:, COL["current"]] / p.rated_current_a
    out[:, CAUSE["overload"]] = np.maximum.reduce(
        [
            _ramp(ratio, OVERLOAD_FROM, OVERLOAD_SPAN, 0.8),
            ttl_severity(f.thermal_ttl),
            ttl_severity(f.ttl["current"]),
        ]
    )
    dev = np.abs(f.mean[:, COL["voltage"]] / p.rated_voltage_v - 1.0)
    out[:, CAUSE["supply"]] = np.maximum(
        _ramp(dev, SUPPLY_FROM, SUPPLY_SPAN, 0.8), ttl_severity(f.ttl["voltage"])
    )
    margin = p.insulation_c - winding
    out[:, CAUSE["insulation"]] = _ramp(-margin, -INSULATION_MARGIN_K, INSULATION_MARGIN_K, 0.9)
    stuck = ((f.flat >= SENSOR_WINDOWS) | (f.missing >= SENSOR_WINDOWS)).any(axis=1)
    out[:, CAUSE["sensor"]] = np.where(stuck, SENSOR_SEVERITY, 0.0)
    return out


def status_of(f: Findings, sev: np.ndarray, p: FleetProfile) -> np.ndarray:
    """NE 107 status per asset (int8): failure beyond an alarm limit, in zone D or at the
    insulation limit; out of specification beyond a warning limit, in zone C or with a
    frozen or silent sensor; maintenance required from MAINTENANCE_AT severity."""
    m = f.mean
    with np.errstate(invalid="ignore"):
        alarm = ((m >= p.alarm_high) | (m <= p.alarm_low)).any(axis=1)
        warn = ((m >= p.warn_high) | (m <= p.warn_low)).any(axis=1)
        hot = m[:, COL["winding_temp"]] >= p.insulation_c
    status = np.full(len(p), Ne107.NORMAL, dtype=np.int8)
    status[sev.max(axis=1) >= MAINTENANCE_AT] = Ne107.MAINTENANCE_REQUIRED
    spec = warn | (f.zone == 2) | (sev[:, CAUSE["sensor"]] > 0)
    status[spec] = Ne107.OUT_OF_SPECIFICATION
    status[alarm | (f.zone == 3) | hot] = Ne107.FAILURE
    return status
