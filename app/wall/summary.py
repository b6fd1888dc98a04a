"""What a wall page says about its area, summarised at once for any size of plant: the
standing alarms by priority and the most urgent few, the assets by health status and the
worst few, the assets by state at the frame (numpy over the fleet's and the plant's rows)."""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from twin.alarms import AlarmState, AlarmStatus, Priority
from twin.condition.snapshot import FleetHealth, Ne107
from twin.status import State

# Active and annunciated: what the area has wrong now (not shelved, out of service,
# suppressed, nor cleared and waiting for an acknowledgement).
STANDING = frozenset({AlarmState.UNACK_ACTIVE, AlarmState.ACK_ACTIVE})
UNKNOWN = len(Ne107)  # the health counts' last column: health not yet known


@dataclass(frozen=True)
class AlarmSummary:
    counts: Mapping[Priority, int]  # standing alarms per priority
    top: tuple[AlarmStatus, ...]  # the most urgent: highest priority, then newest

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class HealthSummary:
    counts: np.ndarray  # assets per Ne107 status, then those of unknown health
    worst: tuple[int, ...]  # snapshot rows, worst first; only assets not normal

    @property
    def monitored(self) -> int:
        return int(self.counts.sum())


def summarise_alarms(
    statuses: Mapping[str, AlarmStatus],
    asset_area: Mapping[str, int],
    area: int | None,
    top: int,
) -> AlarmSummary:
    """The standing alarms of ``area`` (None: every area). Alarms naming no asset of the
    plant (a lost connection) concern every area and count on every page."""
    standing = [
        s
        for s in statuses.values()
        if s.state in STANDING and (area is None or asset_area.get(s.asset_id, area) == area)
    ]
    counts = dict.fromkeys(sorted(Priority, reverse=True), 0)
    for s in standing:
        counts[s.priority] += 1
    when = _raised
    chosen = heapq.nlargest(top, standing, key=lambda s: (s.priority, when(s), s.alarm_id))
    return AlarmSummary(counts, tuple(chosen))


def _raised(s: AlarmStatus) -> int:
    return s.raised_at if s.raised_at is not None else s.since


def summarise_health(
    health: FleetHealth, area_of_row: np.ndarray, area: int | None, worst: int
) -> HealthSummary:
    """Counts by status of the monitored assets of ``area`` (None: all), and its worst
    ``worst`` assets that are not normal (status, then health, then time to limit)."""
    rows = np.arange(len(health)) if area is None else np.flatnonzero(area_of_row == area)
    value = health.health[rows]
    known = ~np.isnan(value)
    status = health.status[rows].astype(np.intp)
    counts = np.bincount(np.where(known, status, UNKNOWN), minlength=UNKNOWN + 1)
    bad = known & (status > Ne107.NORMAL)
    if not bad.any():
        return HealthSummary(counts, ())
    sub = rows[bad]
    order = np.lexsort((health.time_to_limit_s[sub], value[bad], -status[bad]))
    return HealthSummary(counts, tuple(int(r) for r in sub[order[:worst]]))


@dataclass(frozen=True)
class StateSummary:
    counts: np.ndarray  # assets of the area per twin.status.State
    examples: tuple[tuple[int, ...], ...]  # per state, the first few assets (plant indices)


def summarise_states(
    asset_states: np.ndarray, asset_area: np.ndarray, area: int | None, examples: int
) -> StateSummary:
    """How many of ``area``'s assets (None: all) are in each state at the frame, and the
    first ``examples`` of each (``asset_states`` and ``asset_area`` in plant asset order)."""
    mine = np.arange(asset_states.size) if area is None else np.flatnonzero(asset_area == area)
    states = asset_states[mine].astype(np.intp)
    counts = np.bincount(states, minlength=len(State))
    first = tuple(tuple(int(i) for i in mine[states == s][:examples]) for s in State)
    return StateSummary(counts, first)
