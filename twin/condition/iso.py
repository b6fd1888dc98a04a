"""ISO 20816-3 vibration severity zones of machines from 15 kW to 50 MW.

Zone boundaries (A/B, B/C, C/D) are broadband velocity RMS in mm/s and depend on the
machine group and the foundation. A: newly commissioned; B: unrestricted long-term
operation; C: restricted operation, plan maintenance; D: severe enough to cause damage.
"""

from __future__ import annotations

import numpy as np

ZONES = ("A", "B", "C", "D")

# (group, foundation) -> (A/B, B/C, C/D) in mm/s RMS.
BOUNDARIES_MM_S: dict[tuple[int, str], tuple[float, float, float]] = {
    (1, "rigid"): (2.3, 4.5, 7.1),
    (1, "flexible"): (3.5, 7.1, 11.0),
    (2, "rigid"): (1.4, 2.8, 4.5),
    (2, "flexible"): (2.3, 4.5, 7.1),
}
FOUNDATIONS = ("rigid", "flexible")
GROUP_1_ABOVE_KW = 300.0


def machine_group(rated_power_kw: np.ndarray) -> np.ndarray:
    """ISO 20816-3 group per machine: 1 above 300 kW, else 2.

    The standard covers 15 kW and up; smaller motors are put in group 2 as well. Their
    general-purpose limits (ISO 10816-1 class I: 0.71/1.8/4.5 mm/s) would put healthy
    small motors, which commonly run at 1-2.5 mm/s, in zone C, and the nearest limits
    that keep the same meaning of the zones for them are group 2's.
    """
    return np.where(np.asarray(rated_power_kw, dtype=float) > GROUP_1_ABOVE_KW, 1, 2)


def boundaries(rated_power_kw: np.ndarray, flexible: np.ndarray) -> np.ndarray:
    """Zone boundaries per machine, shape (n, 3): A/B, B/C, C/D in mm/s."""
    group = machine_group(rated_power_kw)
    flex = np.asarray(flexible, dtype=bool)
    table = np.array(
        [[BOUNDARIES_MM_S[(g, f)] for f in FOUNDATIONS] for g in (1, 2)], dtype=float
    )  # (group - 1, flexible) -> boundaries
    return table[group - 1, flex.astype(int)]


def zones(velocity_mm_s: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Zone index per machine (0 = A .. 3 = D), -1 where the velocity is NaN.

    A velocity on a boundary belongs to the worse zone (the boundaries are upper limits).
    """
    v = np.asarray(velocity_mm_s, dtype=float)
    zone = (v[:, None] >= bounds).sum(axis=1).astype(np.int8)
    zone[np.isnan(v)] = -1
    return zone


ZONE_HYSTERESIS = 0.05  # a zone changes once the velocity is this share past a boundary


def held_zones(
    velocity_mm_s: np.ndarray,
    bounds: np.ndarray,
    previous: np.ndarray,
    margin: float = ZONE_HYSTERESIS,
) -> np.ndarray:
    """Zones with hysteresis: a machine moves up a zone once its velocity is ``margin``
    (relative) above the boundary, and down once it is ``margin`` below, so a velocity
    wandering about a boundary keeps its zone. ``previous`` -1 (unknown) takes the plain
    zone of the boundaries; NaN velocities give -1."""
    plain = zones(velocity_mm_s, bounds)
    up = zones(velocity_mm_s, bounds * (1.0 + margin))
    down = zones(velocity_mm_s, bounds * (1.0 - margin))
    held = np.where(up > previous, up, np.where(down < previous, down, previous))
    held = np.where(previous < 0, plain, held)
    return np.where(plain < 0, -1, held).astype(np.int8)
