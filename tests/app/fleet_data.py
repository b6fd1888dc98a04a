"""Synthetic fleet health for the fleet view tests: a healthy fleet with a few sick assets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from twin.condition.snapshot import CAUSES, FleetHealth, Ne107


@dataclass(frozen=True)
class Sick:
    health: float
    status: Ne107
    cause: str
    time_to_limit_s: float = np.inf
    summary: str = ""
    evidence: str = ""


def fleet_health(
    asset_ids: Sequence[str], t_ns: int, sick: Mapping[str, Sick] | None = None
) -> FleetHealth:
    """Every asset healthy (90..99, by its position) except those in ``sick``."""
    ids = tuple(asset_ids)
    n = len(ids)
    health = (90 + np.arange(n) % 10).astype(np.float32)
    status = np.zeros(n, dtype=np.int8)
    cause = np.zeros(n, dtype=np.int8)
    ttl = np.full(n, np.inf)
    summary, evidence = [""] * n, [""] * n
    rows = {a: i for i, a in enumerate(ids)}
    for asset_id, s in (sick or {}).items():
        i = rows[asset_id]
        health[i], status[i], cause[i] = s.health, s.status, CAUSES.index(s.cause)
        ttl[i], summary[i], evidence[i] = s.time_to_limit_s, s.summary, s.evidence
    return FleetHealth(t_ns, ids, health, status, cause, ttl, tuple(summary), tuple(evidence))
