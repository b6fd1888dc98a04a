"""Alarm floods (EEMUA 191: more than 10 alarms in 10 minutes for one operator): when
one is on, the banner sums the unacknowledged alarms up by area and priority instead of
showing them one by one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.alarms.common import raised_time
from twin.alarms import AlarmStatus, Priority
from twin.timebase import NS_PER_S

FLOOD_COUNT = 10  # more unacknowledged alarms than this raised within FLOOD_WINDOW_S
FLOOD_WINDOW_S = 600
SHOWN_AREAS = 4  # the busiest areas by name; the others as one number


@dataclass(frozen=True, slots=True)
class Flood:
    """Unacknowledged alarms during a flood: in total, per area, per (area, priority)."""

    total: int
    recent: int  # raised within the window
    by_area: Mapping[str, int]
    by_area_priority: Mapping[tuple[str, Priority], int]

    def busiest(self) -> list[tuple[str, int]]:
        """Areas by count, largest first (ties by area id)."""
        return sorted(self.by_area.items(), key=lambda kv: (-kv[1], kv[0]))


def find_flood(
    unacked: Iterable[AlarmStatus],
    asset_area: Mapping[str, str],
    now_ns: int | None,
    window_s: float = FLOOD_WINDOW_S,
    count: int = FLOOD_COUNT,
) -> Flood | None:
    """The flood among ``unacked`` as of ``now_ns`` (None: the newest raise), or None
    when no more than ``count`` were raised within ``window_s``."""
    statuses = list(unacked)
    if len(statuses) <= count:
        return None
    times = [raised_time(s) for s in statuses]
    now = max(times) if now_ns is None else now_ns
    since = now - round(window_s * NS_PER_S)
    recent = sum(1 for t in times if t >= since)
    if recent <= count:
        return None
    pairs = Counter((asset_area.get(s.asset_id, ""), s.priority) for s in statuses)
    areas: Counter[str] = Counter()
    for (area, _), n in pairs.items():
        areas[area] += n
    return Flood(len(statuses), recent, dict(areas), dict(pairs))
