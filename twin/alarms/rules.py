"""Alarm rules: what each alarm watches, built from a plant's limits and alarm settings.

A signal's limits become limit alarms (alarm_high -> HH, warn_high -> H, warn_low -> L,
alarm_low -> LL); ``alarm.roc_per_s`` adds a rate-of-change alarm; every signal has a
no-data alarm unless ``alarm.no_data = false``. The loader has already refused settings
that contradict each other; ``AlarmRule`` checks its own fields again for rules built in
code.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

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
KINDS: tuple[AlarmKind, ...] = tuple(AlarmKind)  # a kind's code is its position here
_KIND_CODE = {k.value: i for i, k in enumerate(KINDS)}
# The numeric fields of a rule, in the order a ``RuleSpecKey`` holds them after kind and
# priority.
SPEC_FIELDS = ("limit", "deadband", "on_delay_s", "off_delay_s", "window_s", "stale_s")
RuleSpecKey = tuple[AlarmKind, Priority, float, float, float, float, float, float]


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


def _spec_key(r: AlarmRule) -> RuleSpecKey:
    """What a rule is, apart from whose it is."""
    return (
        r.kind,
        r.priority,
        r.limit,
        r.deadband,
        r.on_delay_s,
        r.off_delay_s,
        r.window_s,
        r.stale_s,
    )


class RuleSet:
    """The rules of a plant, in a fixed order (the engine's alarm index is this order).

    Held as columns, not objects: per rule the index of its signal (or connection), of its
    asset and of its *spec* (kind, priority and fields, shared by every signal of one
    template), so a plant of 10,000 motors keeps 220,000 rules in a few numpy arrays.
    ``AlarmRule`` objects are made on request (``at``, ``rule``, iteration).
    """

    def __init__(self, rules: Iterable[AlarmRule]) -> None:
        subjects: dict[str, int] = {}
        assets: dict[str, int] = {}
        specs: dict[RuleSpecKey, int] = {}
        rows = [
            (
                subjects.setdefault(r.signal_id, len(subjects)),
                assets.setdefault(r.asset_id, len(assets)),
                specs.setdefault(_spec_key(r), len(specs)),
            )
            for r in rules
        ]
        table = np.array(rows, dtype=np.int32).reshape(-1, 3)
        self._setup(
            list(subjects), list(assets), list(specs), table[:, 0], table[:, 1], table[:, 2]
        )

    @classmethod
    def from_columns(
        cls,
        signal_ids: Sequence[str],
        asset_ids: Sequence[str],
        specs: Sequence[RuleSpecKey],
        subject: np.ndarray,
        asset: np.ndarray,
        spec: np.ndarray,
    ) -> RuleSet:
        """Rules given as columns: rule i watches ``signal_ids[subject[i]]`` of
        ``asset_ids[asset[i]]`` as ``specs[spec[i]]`` says. The specs must hold valid rules
        (``build_rules`` checks each once); ``signal_ids`` must be distinct."""
        self = cls.__new__(cls)
        self._setup(list(signal_ids), list(asset_ids), list(specs), subject, asset, spec)
        return self

    def _setup(
        self,
        signal_ids: list[str],
        asset_ids: list[str],
        specs: list[RuleSpecKey],
        subject: np.ndarray,
        asset: np.ndarray,
        spec: np.ndarray,
    ) -> None:
        self.signal_ids = tuple(signal_ids)
        self.asset_ids = tuple(asset_ids)
        self.specs = tuple(specs)
        self.subject = np.ascontiguousarray(subject, dtype=np.int32)
        self.asset = np.ascontiguousarray(asset, dtype=np.int32)
        self.spec = np.ascontiguousarray(spec, dtype=np.int32)
        self._subject_index = {sid: i for i, sid in enumerate(self.signal_ids)}
        # Per spec: kind code and the numeric fields, for columns gathered per rule.
        self._spec_kind = np.array([KINDS.index(s[0]) for s in specs], dtype=np.int8)
        self._spec_fields = np.array([s[2:] for s in specs], dtype=np.float64).reshape(-1, 6)
        self._by_subject = np.argsort(self.subject, kind="stable").astype(np.int32)
        self._starts = np.searchsorted(
            self.subject[self._by_subject], np.arange(len(self.signal_ids) + 1)
        )
        self._refuse_duplicates()

    def _refuse_duplicates(self) -> None:
        keys = self.subject.astype(np.int64) * len(KINDS) + self.kind_codes()
        uniq, first, counts = np.unique(keys, return_index=True, return_counts=True)
        if uniq.size < keys.size:
            twice = int(first[np.flatnonzero(counts > 1)[0]])
            raise ValueError(f"alarm {self.alarm_id(twice)!r} is defined twice")

    def __len__(self) -> int:
        return int(self.subject.shape[0])

    def __iter__(self) -> Iterator[AlarmRule]:
        return (self.at(i) for i in range(len(self)))

    def __contains__(self, alarm_id: object) -> bool:
        return isinstance(alarm_id, str) and self._find(alarm_id) is not None

    @property
    def rules(self) -> tuple[AlarmRule, ...]:
        """Every rule as an object (for small rule sets: it makes one per rule)."""
        return tuple(self)

    def _find(self, alarm_id: str) -> int | None:
        sid, _, kind = alarm_id.rpartition(":")
        s = self._subject_index.get(sid)
        code = _KIND_CODE.get(kind)
        if s is None or code is None:
            return None
        for i in self._by_subject[self._starts[s] : self._starts[s + 1]].tolist():
            if self._spec_kind[self.spec[i]] == code:
                return int(i)
        return None

    def index(self, alarm_id: str) -> int:
        """Position of an alarm in the rule order; KeyError for an unknown id."""
        found = self._find(alarm_id)
        if found is None:
            raise KeyError(f"unknown alarm {alarm_id!r}")
        return found

    def at(self, index: int) -> AlarmRule:
        """The rule at a position, as an object."""
        kind, priority, *fields = self.specs[self.spec[index]]
        values = dict(zip(SPEC_FIELDS, fields, strict=True))
        sid, aid = self.signal_ids[self.subject[index]], self.asset_ids[self.asset[index]]
        return AlarmRule(sid, aid, kind, priority, **values)

    def rule(self, alarm_id: str) -> AlarmRule:
        return self.at(self.index(alarm_id))

    def alarm_id(self, index: int) -> str:
        return alarm_id(self.signal_ids[self.subject[index]], self.kind(index))

    def kind(self, index: int) -> AlarmKind:
        return KINDS[self._spec_kind[self.spec[index]]]

    def of_signal(self, signal_id: str) -> tuple[AlarmRule, ...]:
        """The rules watching one signal (possibly none)."""
        return tuple(self.at(i) for i in self.indices_of_signal(signal_id))

    def indices_of_signal(self, signal_id: str) -> list[int]:
        """The positions of the rules watching one signal, in rule order (possibly none)."""
        s = self._subject_index.get(signal_id)
        if s is None:
            return []
        return self._by_subject[self._starts[s] : self._starts[s + 1]].tolist()

    def subject_of(self, signal_id: str) -> int | None:
        """The index of a signal (or connection) in ``signal_ids``, None without rules."""
        return self._subject_index.get(signal_id)

    def kind_codes(self, index: np.ndarray | None = None) -> np.ndarray:
        """Positions in ``KINDS`` of the rules' kinds (all rules, or those at ``index``)."""
        spec = self.spec if index is None else self.spec[index]
        return self._spec_kind[spec]

    def column(self, name: str, index: np.ndarray) -> np.ndarray:
        """One numeric field (``SPEC_FIELDS``) of the rules at ``index``, as float64."""
        return self._spec_fields[self.spec[index], SPEC_FIELDS.index(name)]


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
    plant loader), so their rules are worked out (and checked) once per template and rate;
    the rule set repeats them per signal as columns, with no object per rule."""
    signals = plant.signals
    known: dict[tuple[int, int, float], int] = {}
    blocks: list[list[RuleSpecKey]] = []
    blocks_of: list[int] = []
    for signal in signals:
        key = (id(signal.limits), id(signal.alarm), signal.rate_hz)
        b = known.get(key)
        if b is None:
            b = known[key] = len(blocks)
            blocks.append([_spec_key(r) for r in signal_rules(signal)])
        blocks_of.append(b)
    block_of = np.array(blocks_of, dtype=np.int64)
    assets: dict[str, int] = {}
    asset_of = np.array([assets.setdefault(s.asset_id, len(assets)) for s in signals], np.int32)
    specs = [s for block in blocks for s in block]
    sizes = np.array([len(block) for block in blocks], dtype=np.int64)
    first = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
    counts = sizes[block_of]
    subject = np.repeat(np.arange(len(signals), dtype=np.int32), counts)
    offset = np.arange(subject.size) - np.repeat(np.cumsum(counts) - counts, counts)
    spec = first[block_of][subject] + offset
    ids = [s.id for s in signals]
    conns = [connection_rule(c.id) for c in plant.connections]
    if conns:  # one more subject, rule and (shared) spec per connection
        ids += [c.signal_id for c in conns]
        specs.append(_spec_key(conns[0]))
        none = assets.setdefault("", len(assets))
        subject = np.concatenate((subject, np.arange(len(signals), len(ids), dtype=np.int32)))
        asset_of = np.concatenate((asset_of, np.full(len(conns), none, np.int32)))
        spec = np.concatenate((spec, np.full(len(conns), len(specs) - 1)))
    if len(set(ids)) < len(ids):  # a connection named like a signal: the general path
        every = [r for s in signals for r in signal_rules(s)]
        return RuleSet([*every, *conns])
    return RuleSet.from_columns(ids, list(assets), specs, subject, asset_of[subject], spec)
