"""The plant simulator: every simulated signal of a plant, sample by sample, reproducibly.

Time is cut into fixed blocks (5 s) of physics ticks (0.1 s) counted from the start. A block
is always computed whole, with the same array shapes, and then handed out in whatever slices
``advance`` asks for; that is what makes the output bit-identical however it is chunked.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from twin.batch import Batch, ChannelGroup
from twin.kinds.registry import find_kind  # importing it registers the built-in kinds
from twin.plant.model import Asset, Fault, FaultKind, Plant
from twin.sources.sim.base import KindModel
from twin.sources.sim.faults import (
    DEFAULT_DEVELOP_S,
    SAG_DURATION_S,
    FaultTimes,
    check_fault,
)
from twin.sources.sim.noise import noise_rng
from twin.sources.sim.timegrid import SampleClock, Times, rate_label
from twin.timebase import NS_PER_S

log = logging.getLogger(__name__)

TICK_NS = 100_000_000  # physics tick: 0.1 s
TICKS_PER_BLOCK = 50  # 5 s blocks: big enough to amortise per-call overhead
BLOCK_NS = TICK_NS * TICKS_PER_BLOCK


def supported_keys(kind: str) -> dict[str, str]:
    """The signal keys the simulator produces for an equipment kind, with their units
    (empty for a kind that is not registered)."""
    found = find_kind(kind)
    return {} if found is None else dict(found.signals)


@dataclass(frozen=True, slots=True)
class FaultEvent:
    """A fault placed in time: starts at ``t_ns``; ``end_ns`` is None if it never ends;
    ``developed_ns`` is when it has fully developed (None: it does not develop)."""

    t_ns: int
    asset_id: str
    kind: FaultKind
    end_ns: int | None
    developed_ns: int | None = None


class _Group:
    """One channel group: the model and rows it samples, its noise stream, its block cache."""

    def __init__(
        self,
        group: ChannelGroup,
        model: KindModel,
        key: str,
        rows: list[int],
        seed: int,
        freeze_ns: list[tuple[int, int]],
    ) -> None:
        self.group = group
        self.model = model
        self.key = key
        self.rows = None if rows == list(range(model.n)) else np.array(rows, dtype=np.intp)
        self.clock = SampleClock(group.rate_hz)
        self.label = rate_label(group.rate_hz)
        self.rng = noise_rng(seed, model.kind, key, self.label)
        self.freeze_ns = freeze_ns  # (channel, time from which it repeats its last value)
        self.last = np.full(group.channels, np.nan)  # last value handed out, per channel
        self.t = np.empty(0, dtype=np.int64)  # the current block's samples
        self.v = np.empty((group.channels, 0))
        self.taken = 0  # how many of them have been handed out

    def fill(self, v: np.ndarray, t_ns: np.ndarray) -> None:
        """Take a block of fresh samples, applying sensor freezes."""
        for channel, since in self.freeze_ns:
            frozen = int(np.searchsorted(t_ns, since))  # first sample at or after the freeze
            if frozen >= t_ns.shape[0]:
                continue
            if frozen > 0:
                held = v[channel, frozen - 1]
            elif not np.isnan(self.last[channel]):
                held = self.last[channel]
            else:  # frozen from the very first sample
                held = v[channel, 0]
            v[channel, frozen:] = held
        if t_ns.shape[0]:
            self.last = v[:, -1].copy()
        t_ns.flags.writeable = False
        v.flags.writeable = False
        self.t, self.v, self.taken = t_ns, v, 0

    def take(self, hi_ns: int) -> tuple[np.ndarray, np.ndarray] | None:
        """The block's samples not handed out yet with timestamps <= hi_ns, or None."""
        a = self.taken
        b = int(np.searchsorted(self.t, hi_ns, side="right"))
        if b <= a:
            return None
        self.taken = b
        return self.t[a:b], self.v[:, a:b]


class Simulator:
    """Simulated telemetry for every supported signal of a plant.

    ``seed`` defaults to ``plant.seed``; ``faults`` are added to ``plant.faults``. Signals
    whose key the asset's kind does not model are listed in ``unsupported_signals`` and
    never produced.
    """

    def __init__(
        self,
        plant: Plant,
        start_ns: int,
        seed: int | None = None,
        faults: Sequence[Fault] = (),
    ) -> None:
        self.plant = plant
        self.start_ns = int(start_ns)
        self.seed = plant.seed if seed is None else int(seed)
        all_faults = (*plant.faults, *faults)
        for fault in all_faults:
            check_fault(fault)
            if not plant.has_asset(fault.asset_id):
                raise ValueError(f"fault {fault.kind} names unknown asset {fault.asset_id!r}")
        self.scheduled_faults = tuple(
            sorted((self._event(f) for f in all_faults), key=lambda e: e.t_ns)
        )
        self._now = self.start_ns
        self._blocks = 0  # blocks computed so far
        self._models: list[KindModel] = []
        self._groups: list[_Group] = []
        unsupported: list[str] = []
        by_kind: dict[str, list[Asset]] = {}
        for asset in plant.assets:
            by_kind.setdefault(asset.kind, []).append(asset)
        for kind, assets in by_kind.items():
            found = find_kind(kind)
            if found is None:  # a Plant built in code may name a kind nobody registered
                unsupported.extend(s.id for a in assets for s in a.signals)
                continue
            model_cls = found.model
            fault_times = FaultTimes.build([a.id for a in assets], all_faults)
            model = model_cls(assets, self.seed, fault_times, TICK_NS / NS_PER_S)
            unsupported.extend(self._add_groups(model))
            self._models.append(model)
        self.unsupported_signals: tuple[str, ...] = tuple(unsupported)
        if unsupported:
            log.debug("simulator does not model %d signals", len(unsupported))

    def _event(self, fault: Fault) -> FaultEvent:
        t_ns = self.start_ns + round(fault.at_s * NS_PER_S)
        end = (
            t_ns + round(SAG_DURATION_S * NS_PER_S) if fault.kind is FaultKind.VOLTAGE_SAG else None
        )
        develop = DEFAULT_DEVELOP_S.get(fault.kind, math.nan)
        develop = develop if fault.develop_s is None else fault.develop_s
        developed = t_ns + round(develop * NS_PER_S) if math.isfinite(develop) else None
        return FaultEvent(t_ns, fault.asset_id, fault.kind, end, developed)

    def _add_groups(self, model: KindModel) -> list[str]:
        """Create the groups of one kind; returns the ids of the signals it cannot produce."""
        unsupported: list[str] = []
        members: dict[tuple[str, float], list[tuple[int, str]]] = {}
        for row, asset in enumerate(model.assets):
            for sig in asset.signals:
                rate_ok = np.isfinite(sig.rate_hz) and sig.rate_hz > 0
                if sig.key in model.specs and rate_ok:
                    members.setdefault((sig.key, float(sig.rate_hz)), []).append((row, sig.id))
                else:
                    unsupported.append(sig.id)
        freeze = {row: t for row, t in enumerate(model.faults.freeze_s) if np.isfinite(t)}
        for (key, rate), chans in members.items():
            group = ChannelGroup(
                f"sim/{model.kind}/{key}@{rate_label(rate)}", tuple(s for _, s in chans), rate
            )
            frozen = [
                (c, self.start_ns + round(freeze[row] * NS_PER_S))
                for c, (row, _) in enumerate(chans)
                if row in freeze
            ]
            rows = [row for row, _ in chans]
            self._groups.append(_Group(group, model, key, rows, self.seed, frozen))
        model.prepare({key for key, _ in members})
        return unsupported

    def groups(self) -> tuple[ChannelGroup, ...]:
        """One group per (kind, key, rate), keyed "sim/<kind>/<key>@<rate>"."""
        return tuple(g.group for g in self._groups)

    @property
    def now_ns(self) -> int:
        """Time up to which samples have been produced."""
        return self._now

    def rebase(self, start_ns: int) -> None:
        """Begin at ``start_ns`` instead, before any sample was produced: a live plant
        starts when its window opens, not seconds earlier when it was built (else the
        first thing it does is simulate the window's start-up at full speed)."""
        if self._blocks or self._now != self.start_ns:
            raise RuntimeError("the simulator has produced samples: it cannot be rebased")
        shift = int(start_ns) - self.start_ns
        self.start_ns = self._now = int(start_ns)
        self.scheduled_faults = tuple(
            FaultEvent(
                e.t_ns + shift,
                e.asset_id,
                e.kind,
                None if e.end_ns is None else e.end_ns + shift,
                None if e.developed_ns is None else e.developed_ns + shift,
            )
            for e in self.scheduled_faults
        )
        for group in self._groups:
            group.freeze_ns = [(c, t + shift) for c, t in group.freeze_ns]

    @property
    def fault_log(self) -> tuple[FaultEvent, ...]:
        """Faults that have started by ``now_ns``, in time order."""
        return tuple(e for e in self.scheduled_faults if e.t_ns <= self._now)

    def advance(self, until_ns: int) -> list[Batch]:
        """Every sample with a timestamp in (now_ns, until_ns], one batch per non-empty group.

        Going back (``until_ns <= now_ns``) returns nothing. Batch arrays may be read-only
        views of the simulator's block cache: copy them before modifying.
        """
        until_ns = int(until_ns)
        pieces: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in self._groups]
        lo = self._now
        while lo < until_ns:
            block = (lo - self.start_ns) // BLOCK_NS
            if block >= self._blocks:
                self._compute_block(block)
            hi = min(until_ns, self.start_ns + (block + 1) * BLOCK_NS)
            for piece, group in zip(pieces, self._groups, strict=True):
                taken = group.take(hi)
                if taken is not None:
                    piece.append(taken)
            lo = hi
        self._now = max(self._now, until_ns)
        batches = []
        for piece, group in zip(pieces, self._groups, strict=True):
            if len(piece) == 1:
                batches.append(Batch(group.group.key, *piece[0]))
            elif piece:
                t = np.concatenate([p[0] for p in piece])
                v = np.concatenate([p[1] for p in piece], axis=1)
                batches.append(Batch(group.group.key, t, v))
        return batches

    def fast_forward(
        self, until_ns: int, step_ns: int = 60 * NS_PER_S
    ) -> Iterator[tuple[int, list[Batch]]]:
        """Simulate up to ``until_ns`` as fast as the CPU allows, no pacing: yields
        (end of step, its batches) for each ``step_ns`` of simulated time, the last step
        shorter. The batches are those ``advance`` gives; chunking does not change them."""
        if step_ns <= 0:
            raise ValueError(f"step_ns must be > 0, got {step_ns}")
        until_ns = int(until_ns)
        while self._now < until_ns:
            hi = min(until_ns, self._now + int(step_ns))
            yield hi, self.advance(hi)

    def _compute_block(self, block: int) -> None:
        """Run the physics of one block and sample every group over it."""
        assert block == self._blocks, "blocks are computed in order"
        first_tick = block * TICKS_PER_BLOCK
        ticks = np.arange(first_tick, first_tick + TICKS_PER_BLOCK + 1) * (TICK_NS / NS_PER_S)
        for model in self._models:
            model.step(ticks)
        lo, hi = block * BLOCK_NS, (block + 1) * BLOCK_NS
        shared: dict[str, tuple[Times, np.ndarray]] = {}  # per rate: models memoise across keys
        for group in self._groups:
            if group.label not in shared:
                offsets = group.clock.offsets(*group.clock.count(lo, hi))
                shared[group.label] = Times.build(offsets, lo, TICK_NS), offsets + self.start_ns
            times, t_ns = shared[group.label]
            if len(times):
                v = group.model.sample(group.key, group.rows, times, group.rng)
            else:
                v = np.empty((group.group.channels, 0))
            group.fill(v, t_ns)
        self._blocks = block + 1
