"""Alarm rules: what each alarm watches, built from a plant's limits and alarm settings.

A signal's limits become limit alarms (alarm_high -> HH, warn_high -> H, warn_low -> L,
alarm_low -> LL); ``alarm.roc_per_s`` adds a rate-of-change alarm; every signal has a
no-data alarm unless ``alarm.no_data = false``. The loader has already refused settings
that contradict each other; ``AlarmRule`` checks its own fields again for rules built in
code.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from twin.alarms.model import AlarmKind, Priority, alarm_id
from twin.plant.model import AlarmSettings, Plant, Signal
from twin.status import MIN_STALE_S, STALE_PERIODS

# Priorities without a plant-file setting: the outer limits rank above the inner ones, and
# a lost signal (often one of many on a lost connection) ranks lowest.
DEFAULT_PRIORITY: Mapping[AlarmKind, Priority] = MappingProxyType(
    {
        AlarmKind.HH: Priority.HIGH,
        AlarmKind.H: Priority.MEDIUM,
        AlarmKind.L: Priority.MEDIUM,
        AlarmKind.LL: Priority.HIGH,
        AlarmKind.ROC: Priority.MEDIUM,
        AlarmKind.NO_DATA: Priority.LOW,
        AlarmKind.CONNECTION: Priority.HIGH,
    }
)
LIMIT_KINDS = (AlarmKind.HH, AlarmKind.H, AlarmKind.L, AlarmKind.LL)
HIGH_KINDS = frozenset({AlarmKind.HH, AlarmKind.H})
LOW_KINDS = frozenset({AlarmKind.L, AlarmKind.LL})
_LIMIT_FIELD = {
    AlarmKind.HH: "alarm_high",
    AlarmKind.H: "warn_high",
    AlarmKind.L: "warn_low",
    AlarmKind.LL: "alarm_low",
}
DEFAULT_ROC_WINDOW_S = 1.0


def default_stale_s(rate_hz: float) -> float:
    """No data after 3 sample periods, but at least 2 s (as the asset status colours)."""
    return max(STALE_PERIODS / rate_hz, MIN_STALE_S)


@dataclass(frozen=True, slots=True)
class AlarmRule:
    """One alarm of one signal.

    ``limit`` is the value limit (HH, H, L, LL) or the rate limit in unit/s (ROC) over
    ``window_s``; NO_DATA has none: it raises after ``stale_s`` (+ ``on_delay_s``) without
    a finite sample. An alarm raises at the first sample at which its condition has held
    for ``on_delay_s`` and clears at the first at which it has been gone for
    ``off_delay_s``; a limit's condition clears only ``deadband`` inside the limit (not
    used by ROC and NO_DATA). Conditions are strict: a value equal to H is not above it.
    """

    signal_id: str
    asset_id: str
    kind: AlarmKind
    priority: Priority
    limit: float = math.nan
    deadband: float = 0.0
    on_delay_s: float = 0.0
    off_delay_s: float = 0.0
    window_s: float = DEFAULT_ROC_WINDOW_S
    stale_s: float = MIN_STALE_S

    def __post_init__(self) -> None:
        # Written out, not looped over names: a plant of 10,000 motors builds 220,000 rules.
        # A comparison with NaN is false, so each test also refuses NaN (and inf).
        if not (
            0.0 <= self.deadband < math.inf
            and 0.0 <= self.on_delay_s < math.inf
            and 0.0 <= self.off_delay_s < math.inf
        ):
            self._refuse(("deadband", "on_delay_s", "off_delay_s"), ">= 0")
        if not (0.0 < self.window_s < math.inf and 0.0 < self.stale_s < math.inf):
            self._refuse(("window_s", "stale_s"), "> 0")
        if self.kind in (*LIMIT_KINDS, AlarmKind.ROC) and not math.isfinite(self.limit):
            raise ValueError(f"{self.alarm_id}: a {self.kind} rule needs a finite limit")
        if self.kind is AlarmKind.ROC and not self.limit > 0:
            raise ValueError(f"{self.alarm_id}: the ROC limit must be > 0, got {self.limit!r}")

    def _refuse(self, names: tuple[str, ...], bound: str) -> None:
        for name in names:
            value = getattr(self, name)
            ok = 0.0 <= value < math.inf if bound == ">= 0" else 0.0 < value < math.inf
            if not ok:
                raise ValueError(f"{self.alarm_id}: {name} must be {bound}, got {value!r}")

    @property
    def alarm_id(self) -> str:
        return alarm_id(self.signal_id, self.kind)


class RuleSet:
    """The rules of a plant, in a fixed order (the engine's alarm index is this order)."""

    def __init__(self, rules: Iterable[AlarmRule]) -> None:
        self.rules: tuple[AlarmRule, ...] = tuple(rules)
        self._index: dict[str, int] = {}
        self._by_signal: dict[str, list[int]] = {}
        for i, rule in enumerate(self.rules):
            aid = rule.alarm_id
            if aid in self._index:
                raise ValueError(f"alarm {aid!r} is defined twice")
            self._index[aid] = i
            self._by_signal.setdefault(rule.signal_id, []).append(i)

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Iterator[AlarmRule]:
        return iter(self.rules)

    def __contains__(self, alarm_id: object) -> bool:
        return alarm_id in self._index

    def index(self, alarm_id: str) -> int:
        """Position of an alarm in ``rules``; KeyError for an unknown id."""
        try:
            return self._index[alarm_id]
        except KeyError:
            raise KeyError(f"unknown alarm {alarm_id!r}") from None

    def rule(self, alarm_id: str) -> AlarmRule:
        return self.rules[self.index(alarm_id)]

    def of_signal(self, signal_id: str) -> tuple[AlarmRule, ...]:
        """The rules watching one signal (possibly none)."""
        return tuple(self.rules[i] for i in self._by_signal.get(signal_id, ()))

    def indices_of_signal(self, signal_id: str) -> list[int]:
        """The positions in ``rules`` of the rules watching one signal (possibly none)."""
        return self._by_signal.get(signal_id, [])


# What a signal's rules are, apart from whose they are: (kind, priority, the other fields).
RuleSpec = tuple[AlarmKind, Priority, dict[str, float]]


def rule_specs(signal: Signal) -> list[RuleSpec]:
    """The alarm rules a signal's limits, rate and alarm settings call for."""
    a = signal.alarm or AlarmSettings()

    def spec(kind: AlarmKind, **kw: float) -> RuleSpec:
        name = a.priorities.get(kind.value) or a.priority
        priority = Priority.parse(name) if name else DEFAULT_PRIORITY[kind]
        return kind, priority, {"on_delay_s": a.on_delay_s, "off_delay_s": a.off_delay_s, **kw}

    specs = []
    for kind in LIMIT_KINDS:
        limit = getattr(signal.limits, _LIMIT_FIELD[kind])
        if limit is not None:
            specs.append(spec(kind, limit=limit, deadband=a.deadband))
    if a.roc_per_s is not None:
        specs.append(spec(AlarmKind.ROC, limit=a.roc_per_s, window_s=a.roc_window_s))
    if a.no_data:
        stale = a.stale_s if a.stale_s is not None else default_stale_s(signal.rate_hz)
        specs.append(spec(AlarmKind.NO_DATA, stale_s=stale))
    return specs


def signal_rules(signal: Signal, specs: list[RuleSpec] | None = None) -> list[AlarmRule]:
    """The alarm rules of one signal, from its limits and alarm settings (or ``specs``
    already worked out for a signal with the same ones)."""
    sid, aid = signal.id, signal.asset_id
    return [AlarmRule(sid, aid, k, p, **kw) for k, p, kw in specs or rule_specs(signal)]


def connection_rule(connection_id: str) -> AlarmRule:
    """The alarm of one live connection: raised while the connection is lost."""
    return AlarmRule(
        connection_id, "", AlarmKind.CONNECTION, DEFAULT_PRIORITY[AlarmKind.CONNECTION]
    )


def connection_signals(plant: Plant) -> dict[str, tuple[str, ...]]:
    """Connection id -> the ids of the signals bound to it (every connection listed)."""
    bound: dict[str, list[str]] = {c.id: [] for c in plant.connections}
    for signal in plant.signals:
        conn = signal.source.get("connection")
        if isinstance(conn, str) and conn in bound:
            bound[conn].append(signal.id)
    return {c: tuple(ids) for c, ids in bound.items()}


def build_rules(plant: Plant) -> RuleSet:
    """Every alarm rule of a plant, signal by signal in file order, then one per live
    connection.

    Signals made from one template share their limits and alarm settings objects (see the
    plant loader), so their rules are worked out once per template and rate."""
    known: dict[tuple[int, int, float], list[RuleSpec]] = {}
    rules: list[AlarmRule] = []
    for signal in plant.signals:
        key = (id(signal.limits), id(signal.alarm), signal.rate_hz)
        specs = known.get(key)
        if specs is None:
            specs = known[key] = rule_specs(signal)
        rules.extend(signal_rules(signal, specs))
    rules.extend(connection_rule(c.id) for c in plant.connections)
    return RuleSet(rules)
