"""The alarm engine: evaluates every rule on each ingested batch, vectorised per group.

``AlarmEngine.on_batch`` is an ingest sink (``Ingestor.add_sink(engine.on_batch)``); call
``check_stale(now_ns)`` periodically (about once a second) to raise no-data alarms for
signals that stopped arriving, to end due shelves and to follow the live connections
(``follow_connections``: a lost one raises one alarm and suppresses its signals' no-data
alarms, see ``twin.alarms.suppression``). Both run the kernels of
``twin.alarms.kernels`` on whole batches; Python only loops over the transitions found,
which it feeds to the ISA-18.2 state machines of the ``AlarmTable`` in time order.

Most batches change nothing: a per-row test on the batch's min/max picks the few rows
that can change (a limit crossed, a delay pending) and only those go through the full
hysteresis and delay filter.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from twin.alarms import kernels as K
from twin.alarms.model import AlarmEvent, AlarmKind, AlarmStatus
from twin.alarms.rules import KINDS, LIMIT_KINDS, LOW_KINDS, AlarmRule, RuleSet
from twin.alarms.states import AlarmTable, Listener
from twin.alarms.suppression import ConnectionSuppression, LinkStates
from twin.batch import Batch, ChannelGroup
from twin.timebase import NS_PER_S
from twin.values import to_float

log = logging.getLogger(__name__)

# (time, sequence, alarm index, active, value): one process change found in a batch.
Transition = tuple[int, int, int, bool, float]


def _ns(seconds: np.ndarray) -> np.ndarray:
    # np.rint rounds half to even, as round() does.
    return np.rint(np.asarray(seconds, dtype=np.float64) * NS_PER_S).astype(np.int64)


_LOW_CODES = np.array([KINDS.index(k) for k in LOW_KINDS])
_LIMIT_CODES = np.array([KINDS.index(k) for k in LIMIT_KINDS])
_ROC = KINDS.index(AlarmKind.ROC)


class _Rows:
    """Rules of one kind family within a group, as parallel arrays (one row per rule):
    ``alarm`` their positions in the rule set, ``chan`` their channels in the group."""

    def __init__(
        self, group: ChannelGroup, rules: RuleSet, alarm: np.ndarray, chan: np.ndarray
    ) -> None:
        self.alarm = alarm.astype(np.intp)
        self.chan = chan.astype(np.intp)
        # Low limits are checked as high limits of the negated value.
        self.sign = np.where(np.isin(rules.kind_codes(self.alarm), _LOW_CODES), -1.0, 1.0)
        self.high = self.sign > 0
        self.thr = rules.column("limit", self.alarm) * self.sign
        self.rst = self.thr - rules.column("deadband", self.alarm)
        # Index into [max, -min] (or [min, -max]) of the group's channels: the row's
        # largest (smallest) x in a batch, for high and low limits alike.
        self.ext = np.where(self.high, self.chan, self.chan + group.channels)
        self.on = _ns(rules.column("on_delay_s", self.alarm))
        self.off = _ns(rules.column("off_delay_s", self.alarm))
        self.window = _ns(rules.column("window_s", self.alarm))
        # No data: the on-delay adds up.
        self.stale = _ns(rules.column("stale_s", self.alarm)) + self.on
        self.state = K.DelayState.fresh(len(self.alarm))

    def __len__(self) -> int:
        return int(self.alarm.shape[0])


class _GroupPlan:
    """The rules of one channel group and the state carried between its batches.

    ``families`` holds (alarm positions, channels) of the group's limit, rate-of-change
    and no-data rules, each ordered by channel, then by rule position."""

    def __init__(
        self,
        group: ChannelGroup,
        rules: RuleSet,
        families: tuple[tuple[np.ndarray, np.ndarray], ...],
    ) -> None:
        self.group = group
        self.last_t = int(K.NEVER)
        (lim, lim_c), (roc, roc_c), (nd, nd_c) = families
        self.lim = _Rows(group, rules, lim, lim_c)
        self.roc = _Rows(group, rules, roc, roc_c)
        self.nd = _Rows(group, rules, nd, nd_c)
        self.roc_t = np.empty(0, np.int64)
        self.roc_v = np.empty((0, len(self.roc)))  # sample-major, as roc_rate wants
        self.nd_state: K.NoDataState | None = None  # created when the engine's clock starts
        self.min_stale = int(self.nd.stale.min()) if len(self.nd) else 0

    # --- limits --------------------------------------------------------------------------

    def limits(self, t: np.ndarray, v: np.ndarray, b: _Summary, out: list[Transition]) -> None:
        rows = self.lim
        if not len(rows):
            return
        st = rows.state
        with np.errstate(invalid="ignore"):
            xmax = b.ext_max[rows.ext]
            xmin = b.ext_min[rows.ext]
            # Rows that can change: a sample flips the condition or a delay is pending.
            # NaN samples decide nothing and the summary skips them; +/-inf shows as a
            # flip and the filter treats it as NaN.
            flip = np.where(st.latched, xmin <= rows.rst, xmax > rows.thr)
        busy = np.flatnonzero(flip | (st.latched != st.active))
        if busy.size == 0:
            return
        x = v[rows.chan[busy]].astype(np.float64) * rows.sign[busy, None]
        x[np.isinf(x)] = np.nan  # the store keeps +/-inf as NaN: no data, not a crossing
        self._filter(rows, busy, x, t, v[rows.chan[busy]], out)

    @staticmethod
    def _filter(
        rows: _Rows,
        busy: np.ndarray,
        x: np.ndarray,
        t: np.ndarray,
        shown: np.ndarray,
        out: list[Transition],
    ) -> None:
        """Run the delay filter on the busy rows (``x`` one line per busy row); collect
        the changes with the value to show (``shown``, same shape as ``x``)."""
        st = rows.state
        sub = K.DelayState(st.latched[busy], st.runstart[busy], st.active[busy])
        active, new = K.delay_filter(
            x, t, rows.thr[busy], rows.rst[busy], rows.on[busy], rows.off[busy], sub
        )
        st.latched[busy], st.runstart[busy], st.active[busy] = new.latched, new.runstart, new.active
        r, i = np.nonzero(active != K.shifted(sub.active, active))
        _collect(out, t[i], rows.alarm[busy[r]], active[r, i], shown[r, i])

    # --- rate of change ------------------------------------------------------------------

    def rate_of_change(self, t: np.ndarray, v: np.ndarray, out: list[Transition]) -> None:
        rows = self.roc
        if not len(rows):
            return
        rate_t, self.roc_t, self.roc_v = K.roc_rate(
            self.roc_t, self.roc_v, t, v[rows.chan].T, rows.window
        )
        st = rows.state
        with np.errstate(invalid="ignore"):
            rmax = np.fmax.reduce(rate_t, axis=0)
            rmin = np.fmin.reduce(rate_t, axis=0)
            flip = np.where(st.latched, rmin <= rows.rst, rmax > rows.thr)
        busy = np.flatnonzero(flip | (st.latched != st.active))
        if busy.size == 0:
            return
        rate = rate_t[:, busy].T
        rate[np.isinf(rate)] = np.nan
        self._filter(rows, busy, rate, t, rate, out)

    # --- no data -------------------------------------------------------------------------

    def no_data(self, t: np.ndarray, v: np.ndarray, b: _Summary, out: list[Transition]) -> None:
        rows, s = self.nd, self.nd_state
        if not len(rows) or s is None:
            return
        # Longest silence this batch can show: before its first sample, or between two.
        gap = int(t[0] - s.last.min())
        if t.shape[0] > 1:
            gap = max(gap, int(np.diff(t).max()))
        if b.all_finite and gap <= self.min_stale and s.finite.all() and not s.active.any():
            np.maximum(s.last, t[-1], out=s.last)  # the usual batch: nothing can change
            return
        late = (t[0] - s.last > rows.stale) | (gap > rows.stale)
        busy = np.flatnonzero(~b.finite[rows.chan] | ~s.finite | s.active | late)
        quiet = np.ones(len(rows), bool)
        quiet[busy] = False
        s.last[quiet] = np.maximum(s.last[quiet], t[-1])
        if busy.size == 0:
            return
        fin = np.isfinite(v[rows.chan[busy]])
        sub = K.NoDataState(s.last[busy], s.finite[busy], s.runstart[busy], s.active[busy])
        r, pos, times, new = K.no_data(t, fin, rows.stale[busy], rows.off[busy], sub)
        s.last[busy], s.finite[busy], s.runstart[busy] = new.last, new.finite, new.runstart
        s.active[busy] = new.active
        raised = pos % 2 == 0
        i = pos // 2
        vals = np.where(raised, np.nan, v[rows.chan[busy[r]], i])
        _collect(out, times, rows.alarm[busy[r]], raised, vals)

    def stale_check(self, now_ns: int, out: list[Transition]) -> None:
        s = self.nd_state
        if s is None or not len(self.nd):
            return
        due = np.flatnonzero(~s.active & (now_ns - s.last > self.nd.stale))
        if due.size:
            s.active[due] = True
            times = s.last[due] + self.nd.stale[due]
            _collect(
                out, times, self.nd.alarm[due], np.ones(due.size, bool), np.full(due.size, np.nan)
            )


def _plans(rules: RuleSet, groups: list[ChannelGroup]) -> tuple[dict[str, _GroupPlan], np.ndarray]:
    """A plan per group from the rule set's columns, and the positions of the rules
    (other than CONNECTION) whose signal is in no group."""
    n = len(rules.signal_ids)
    group_of = np.full(n, -1, dtype=np.int64)
    chan_of = np.full(n, -1, dtype=np.int64)
    for gi, g in enumerate(groups):
        subjects = [rules.subject_of(sid) for sid in g.signal_ids]
        known = [(c, s) for c, s in enumerate(subjects) if s is not None]
        if known:
            chans, subs = np.array(known, dtype=np.int64).T
            group_of[subs], chan_of[subs] = gi, chans
    kind = rules.kind_codes().astype(np.int64)
    family = np.where(np.isin(kind, _LIMIT_CODES), 0, np.where(kind == _ROC, 1, 2))
    family[kind == KINDS.index(AlarmKind.CONNECTION)] = 3  # evaluated by the suppression
    grp, chan = group_of[rules.subject], chan_of[rules.subject]
    unbound = np.flatnonzero((grp < 0) & (family < 3))
    index = np.arange(len(rules))
    ok = (grp >= 0) & (family < 3)
    order = index[ok][np.lexsort((index[ok], chan[ok], family[ok], grp[ok]))]
    key = grp[order] * 3 + family[order]
    bounds = np.searchsorted(key, np.arange(3 * len(groups) + 1))
    plans = {}
    for gi, g in enumerate(groups):
        parts = [order[bounds[3 * gi + f] : bounds[3 * gi + f + 1]] for f in range(3)]
        families = tuple((p, chan[p]) for p in parts)
        plans[g.key] = _GroupPlan(g, rules, families)
    return plans, unbound


class _Summary:
    """Per channel of a batch: max and min ignoring NaN, and whether all samples are
    finite. Computed once per batch for the limit and no-data checks."""

    __slots__ = ("all_finite", "ext_max", "ext_min", "finite")

    def __init__(self, v: np.ndarray) -> None:
        # Reducing the short sample axis of a (channels, k) block runs an inner loop per
        # channel; reducing a transposed copy over its first axis is ~10x faster.
        vt = np.ascontiguousarray(v.T)
        with np.errstate(invalid="ignore", over="ignore"):
            vmax = np.fmax.reduce(vt, axis=0).astype(np.float64)
            vmin = np.fmin.reduce(vt, axis=0).astype(np.float64)
            # NaN or +/-inf makes the sum non-finite (so, rarely, does float32 overflow:
            # that only sends the batch down the exact path).
            self.finite = np.isfinite(np.add.reduce(vt, axis=0))
        self.all_finite = bool(self.finite.all())
        self.ext_max = np.concatenate((vmax, -vmin))
        self.ext_min = np.concatenate((vmin, -vmax))


def _collect(
    out: list[Transition], t: np.ndarray, alarm: np.ndarray, active: np.ndarray, value: np.ndarray
) -> None:
    base = len(out)
    out.extend(
        zip(
            t.tolist(),
            range(base, base + len(t)),
            alarm.tolist(),
            active.tolist(),
            np.asarray(value, dtype=np.float64).tolist(),
            strict=True,
        )
    )


class AlarmEngine:
    """Alarm evaluation for the channel groups of a plant; owns the ``AlarmTable``.

    ``start_ns`` is when no-data timing starts for signals that have not sent anything
    yet (default: the first time the engine sees, from a batch or ``check_stale``).
    Samples at or before a group's newest evaluated time are ignored, as the store does.
    """

    def __init__(
        self,
        rules: RuleSet | Iterable[AlarmRule],
        groups: Iterable[ChannelGroup],
        *,
        clock: Callable[[], int] = time.time_ns,
        start_ns: int | None = None,
    ) -> None:
        self.table = AlarmTable(rules, clock)
        self.rules = self.table.rules
        self._plans, self._unbound = _plans(self.rules, list(groups))
        self._start: int | None = None
        self._unknown: set[str] = set()
        self.suppression = ConnectionSuppression(self.table, {})
        self._link_states: Callable[[], LinkStates] | None = None
        self.batches = 0
        self.samples = 0
        if start_ns is not None:
            self._begin(start_ns)

    def add_listener(self, fn: Listener) -> None:
        """Shorthand for ``table.add_listener``: ``fn(events)`` after each step."""
        self.table.add_listener(fn)

    @property
    def unbound(self) -> tuple[str, ...]:
        """Alarms whose signal is in none of the groups: they are never evaluated."""
        return tuple(self.rules.alarm_id(i) for i in self._unbound.tolist())

    def follow_connections(
        self,
        bindings: Mapping[str, Sequence[str]],
        states: Callable[[], LinkStates] | None = None,
    ) -> None:
        """Suppress by design: ``bindings`` maps each connection id to its signal ids;
        ``states()`` (polled by ``check_stale``) says which connections are lost and why.
        A connection needs its CONNECTION rule (``build_rules`` makes one per connection)."""
        with self.table.lock:
            self.suppression = ConnectionSuppression(self.table, bindings)
            self.suppression.resume()
            self._link_states = states

    def update_connections(self, states: LinkStates, t: int) -> list[AlarmEvent]:
        """Connection id -> (lost, reason) at ``t``: raise, clear, suppress and release
        (what ``check_stale`` does with ``states()``). Returns the events."""
        with self.table.lock:
            events = self.suppression.update(states, t)
            self.table.emit(events)
            return events

    def restore(self, statuses: Mapping[str, AlarmStatus]) -> None:
        """Resume after a restart from the journal's ``states_at(now)``: the table takes
        the statuses (no events) and the evaluation starts from their process condition,
        so an alarm that was active clears when the first samples say so."""
        with self.table.lock:
            self.table.restore(statuses)
            self.suppression.resume()
            active = self.table.active_flags()
            for plan in self._plans.values():
                for rows in (plan.lim, plan.roc):
                    rows.state.active[:] = rows.state.latched[:] = active[rows.alarm]
                    rows.state.runstart[:] = K.NEVER
                if plan.nd_state is not None:
                    plan.nd_state.active[:] = active[plan.nd.alarm]

    def begin(self, t: int | None = None) -> None:
        """Start the engine's time at ``t`` (default: its clock's now) unless it has
        started. No-data timing starts there for signals that have sent nothing; samples
        stamped before it (a retained MQTT message, a device's old buffer) count for
        no-data timing as arriving then; no event is stamped before it. A live runtime
        calls this as its sources start; otherwise the first batch or ``check_stale``
        starts the engine, at its time."""
        with self.table.lock:
            if self._start is None:
                self._begin(self.table.clock() if t is None else t)

    def _begin(self, t: int) -> None:
        self._start = t
        active = self.table.active_flags()
        for plan in self._plans.values():
            plan.nd_state = K.NoDataState.fresh(len(plan.nd), t)
            # A restored no-data alarm stays active until data flows for its off-delay.
            plan.nd_state.active[:] = active[plan.nd.alarm]

    def on_batch(self, batch: Batch) -> None:
        """Evaluate a stored batch (ingest sink; returns quickly, never blocks on I/O)."""
        plan = self._plans.get(batch.group)
        if plan is None:
            if batch.group not in self._unknown:
                self._unknown.add(batch.group)
                log.warning("alarm engine: batch for unknown group %r ignored", batch.group)
            return
        t, v = batch.t, to_float(batch.v)  # int64 counters: NO_INT is NaN (no data)
        if t.shape[0] and t[0] <= plan.last_t:
            cut = int(np.searchsorted(t, plan.last_t, side="right"))
            t, v = t[cut:], v[:, cut:]
        if t.shape[0] == 0:
            return
        with self.table.lock:
            if self._start is None:
                self._begin(int(t[0]))
            found: list[Transition] = []
            summary = _Summary(v)
            plan.limits(t, v, summary, found)
            plan.rate_of_change(t, v, found)
            plan.no_data(t, v, summary, found)
            plan.last_t = int(t[-1])
            self._apply(found, [])
            self.batches += 1
            self.samples += int(v.size)

    def check_stale(self, now_ns: int) -> list[AlarmEvent]:
        """Raise no-data alarms of signals silent for their stale time, and end due
        shelves, as of ``now_ns`` (same time base as the samples). Returns the events."""
        with self.table.lock:
            if self._start is None:
                self._begin(now_ns)
            events = self.table.expire_due(now_ns)
            if self._link_states is not None:
                events += self.suppression.update(self._link_states(), now_ns)
            found: list[Transition] = []
            for plan in self._plans.values():
                plan.stale_check(now_ns, found)
            events = self._apply(found, events, emit=False)
            events += self.suppression.release_due(now_ns)
            self.table.emit(events)
            return events

    def _apply(
        self, found: list[Transition], events: list[AlarmEvent], emit: bool = True
    ) -> list[AlarmEvent]:
        found.sort(key=lambda x: (x[0], x[1]))
        process = self.table.process
        start = len(events)
        # Samples from before the start (old source timestamps) say nothing about then.
        begun = self._start if self._start is not None else int(K.NEVER)
        for t, _, index, active, value in found:
            events.extend(process(index, max(t, begun), active, value))
        events.extend(self.suppression.after_process(events[start:]))
        if emit:
            self.table.emit(events)
        return events
