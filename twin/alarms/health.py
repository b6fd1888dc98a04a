"""Alarm-system health after EEMUA 191 / ISA-18.2: rates, floods, chattering and standing
alarms, bad actors and the priority mix, over a period of journaled events.

Rates, floods, the top list and the priority mix count annunciated alarms (raises the
operator saw, not those hidden by shelving or out of service); chattering and standing
alarms look at every activation, because a shelved alarm can chatter too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from twin.alarms.model import Action, AlarmEvent, AlarmStatus
from twin.timebase import NS_PER_S

# ISA-18.2 / EEMUA 191: more than 10 alarms in 10 minutes is a flood; about 1 alarm per
# 10 minutes is "very likely acceptable", 2 "manageable".
FLOOD_ALARMS = 10
BUCKET_S = 600.0
CHATTER_COUNT = 3
CHATTER_WINDOW_S = 60.0
STANDING_S = 24 * 3600.0
TOP_N = 10
_NOT_OPERATOR = frozenset(
    {Action.RAISE, Action.CLEAR, Action.SHELVE_EXPIRED, Action.SUPPRESS, Action.UNSUPPRESS}
)


@dataclass(frozen=True, slots=True)
class Flood:
    """Consecutive buckets above the flood threshold: [start, end), alarms in them."""

    start: int
    end: int
    alarms: int
    top: tuple[tuple[str, int], ...]  # the biggest contributors


@dataclass(frozen=True, slots=True)
class Chatter:
    alarm_id: str
    activations: int  # in the period
    max_in_window: int  # most activations within one chatter window


@dataclass(frozen=True, slots=True)
class Standing:
    alarm_id: str
    since: int
    until: int | None  # None: still active at the end of the period
    duration_s: float


@dataclass(frozen=True)
class HealthReport:
    """EEMUA 191 figures for [t0, t1); buckets are ``bucket_s`` wide from t0."""

    t0: int
    t1: int
    bucket_s: float
    annunciated: int
    activations: int
    per_bucket: np.ndarray  # annunciated alarms per bucket
    average_per_bucket: float
    peak_per_bucket: int  # most annunciated alarms in any window of bucket_s (sliding)
    percent_time_in_flood: float
    floods: tuple[Flood, ...]
    chattering: tuple[Chatter, ...]
    standing: tuple[Standing, ...]
    top: tuple[tuple[str, int, float], ...]  # (alarm id, count, % of annunciated)
    priority_percent: Mapping[str, float]
    operator_actions: Mapping[str, int] = field(default_factory=dict)


def alarm_health(
    events: Iterable[AlarmEvent],
    t0: int,
    t1: int,
    *,
    initial: Mapping[str, AlarmStatus] | None = None,
    bucket_s: float = BUCKET_S,
    flood_alarms: int = FLOOD_ALARMS,
    chatter_count: int = CHATTER_COUNT,
    chatter_window_s: float = CHATTER_WINDOW_S,
    standing_s: float = STANDING_S,
    top_n: int = TOP_N,
) -> HealthReport:
    """Health figures over [t0, t1) from the events in it (others are ignored).

    ``initial`` is the alarm table as it stood just before t0 (``Journal.states_at``), so
    that alarms already active at t0 count as standing from when they were raised.
    """
    if t1 <= t0:
        raise ValueError(f"empty period: t1 ({t1}) must be after t0 ({t0})")
    evs = sorted((e for e in events if t0 <= e.t < t1), key=lambda e: e.t)
    shown = [e for e in evs if e.annunciated]
    raises = [e for e in evs if e.action is Action.RAISE]
    width = round(bucket_s * NS_PER_S)
    times = np.array([e.t for e in shown], dtype=np.int64)
    n_buckets = -(-(t1 - t0) // width)
    per_bucket = np.bincount((times - t0) // width, minlength=n_buckets).astype(np.int64)
    peak = int((np.searchsorted(times, times + width) - np.arange(times.size)).max(initial=0))
    floods = _floods(shown, per_bucket, t0, t1, width, flood_alarms)
    flooded = sum(min(f.end, t1) - f.start for f in floods)
    counts = Counter(e.alarm_id for e in shown)
    total = len(shown)
    by_priority = Counter(e.priority.label for e in shown)
    return HealthReport(
        t0=t0,
        t1=t1,
        bucket_s=bucket_s,
        annunciated=total,
        activations=len(raises),
        per_bucket=per_bucket,
        average_per_bucket=total * width / (t1 - t0),
        peak_per_bucket=peak,
        percent_time_in_flood=100.0 * flooded / (t1 - t0),
        floods=floods,
        chattering=_chattering(raises, chatter_count, round(chatter_window_s * NS_PER_S)),
        standing=_standing(evs, initial or {}, t0, t1, standing_s),
        top=tuple((a, n, 100.0 * n / total) for a, n in counts.most_common(top_n)),
        priority_percent={p: 100.0 * n / total for p, n in sorted(by_priority.items())},
        operator_actions=dict(
            Counter(e.action.value for e in evs if e.action not in _NOT_OPERATOR)
        ),
    )


def _floods(
    shown: list[AlarmEvent], per_bucket: np.ndarray, t0: int, t1: int, width: int, limit: int
) -> tuple[Flood, ...]:
    over = np.concatenate(([False], per_bucket > limit, [False]))
    edges = np.flatnonzero(over[1:] != over[:-1])  # starts and ends of runs, alternating
    floods = []
    for a, b in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        start, end = t0 + a * width, min(t1, t0 + b * width)
        top = Counter(e.alarm_id for e in shown if start <= e.t < end).most_common(3)
        floods.append(Flood(start, end, int(per_bucket[a:b].sum()), tuple(top)))
    return tuple(floods)


def _chattering(raises: list[AlarmEvent], count: int, window: int) -> tuple[Chatter, ...]:
    by_alarm: dict[str, list[int]] = defaultdict(list)
    for e in raises:
        by_alarm[e.alarm_id].append(e.t)
    out = []
    for aid, ts in by_alarm.items():
        t = np.array(ts, dtype=np.int64)
        in_window = np.searchsorted(t, t + window, side="right") - np.arange(t.size)
        most = int(in_window.max())
        if most >= count:
            out.append(Chatter(aid, int(t.size), most))
    out.sort(key=lambda c: (-c.max_in_window, -c.activations, c.alarm_id))
    return tuple(out)


def _standing(
    evs: list[AlarmEvent],
    initial: Mapping[str, AlarmStatus],
    t0: int,
    t1: int,
    standing_s: float,
) -> tuple[Standing, ...]:
    since: dict[str, int] = {
        aid: s.raised_at if s.raised_at is not None else t0
        for aid, s in initial.items()
        if s.active
    }
    limit = round(standing_s * NS_PER_S)
    out = []
    for e in evs:
        if e.action is Action.RAISE:
            since.setdefault(e.alarm_id, e.t)
        elif e.action is Action.CLEAR and e.alarm_id in since:
            start = since.pop(e.alarm_id)
            if e.t - start >= limit:
                out.append(Standing(e.alarm_id, start, e.t, (e.t - start) / NS_PER_S))
    for aid, start in since.items():
        if t1 - start >= limit:
            out.append(Standing(aid, start, None, (t1 - start) / NS_PER_S))
    out.sort(key=lambda s: (-s.duration_s, s.alarm_id))
    return tuple(out)
