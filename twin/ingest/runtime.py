"""A running plant: its sources feeding one ingest thread into one signal store."""

from __future__ import annotations

from collections.abc import Sequence

from twin.alarms.engine import AlarmEngine
from twin.alarms.rules import build_rules, connection_signals
from twin.alarms.suppression import LinkStates
from twin.batch import ChannelGroup
from twin.ingest.ingestor import Ingestor, Sink
from twin.plant.model import Fault, Plant
from twin.sources.base import Source
from twin.sources.sim import Simulator
from twin.sources.simulator_source import SimulatorSource
from twin.store.signal_store import SignalStore

DEFAULT_RETENTION_S = 600.0


class PlantRuntime:
    """Owns the store, the ingest thread and the alarm engine, and starts and stops the
    sources. Which sinks see the batches is the composition's choice (``connect``)."""

    def __init__(
        self, plant: Plant, sources: Sequence[Source], retention_s: float = DEFAULT_RETENTION_S
    ) -> None:
        self.plant = plant
        self.sources = list(sources)
        groups: list[ChannelGroup] = [g for src in self.sources for g in src.groups()]
        self.store = SignalStore(groups, retention_s=retention_s)
        self.ingestor = Ingestor(self.store)
        # The plant's alarm engine; a composition connects it as an ingest sink, so that
        # alarms are evaluated on the ingest thread, batch by batch, right after storing.
        self.alarms = AlarmEngine(build_rules(plant), groups)
        if plant.connections:
            self.alarms.follow_connections(connection_signals(plant), self.link_states)
        self._started = False

    def link_states(self) -> LinkStates:
        """Connection id -> (lost, reason) from the connectors' health: lost while
        reconnecting or refused, or before a first connect once an attempt has failed."""
        from twin.sources.connections.health import ConnectionHealth, ConnState

        out: dict[str, tuple[bool, str]] = {}
        for src in self.sources:
            health = getattr(src, "health", None)
            if not isinstance(health, ConnectionHealth):
                continue
            snap = health.snapshot()
            lost = snap.state in (ConnState.RECONNECTING, ConnState.FAILED) or (
                snap.state is ConnState.CONNECTING and snap.last_error is not None
            )
            out[snap.connection_id] = (lost, snap.last_error or snap.state.value)
        return out

    @classmethod
    def for_plant(
        cls,
        plant: Plant,
        start_ns: int,
        faults: Sequence[Fault] = (),
        seed: int | None = None,
        retention_s: float = DEFAULT_RETENTION_S,
    ) -> PlantRuntime:
        """The plant's live connections, plus the simulator for signals bound to none.

        A plant without ``[[connections]]`` is the demo set-up: the simulator only.
        """
        if not plant.connections:
            return cls.simulated(plant, start_ns, faults, seed, retention_s)
        # Imported here: the protocol clients are heavy, and plants without them need none.
        from twin.sources.connections.factory import build_sources, simulated_plant

        sources: list[Source] = list(build_sources(plant))
        rest = simulated_plant(plant)
        if rest.signals:
            sim = Simulator(rest, start_ns=start_ns, seed=seed, faults=faults)
            sources.insert(0, SimulatorSource(sim))
        return cls(plant, sources, retention_s)

    @classmethod
    def simulated(
        cls,
        plant: Plant,
        start_ns: int,
        faults: Sequence[Fault] = (),
        seed: int | None = None,
        retention_s: float = DEFAULT_RETENTION_S,
    ) -> PlantRuntime:
        """The demo set-up: the plant's simulator as the only source."""
        simulator = Simulator(plant, start_ns=start_ns, seed=seed, faults=faults)
        return cls(plant, [SimulatorSource(simulator)], retention_s)

    def connect(self, sinks: Sequence[Sink]) -> None:
        """Connect ingest sinks, in the order they are to see each batch."""
        for sink in sinks:
            self.ingestor.add_sink(sink)

    def alarm_sink(self) -> Sink:
        """The alarm engine as an ingest sink."""
        return Sink("alarms", self.alarms.on_batch)

    @property
    def simulator_source(self) -> SimulatorSource | None:
        for src in self.sources:
            if isinstance(src, SimulatorSource):
                return src
        return None

    def fast_forward(self, until_ns: int) -> None:
        """Run the simulator up to ``until_ns`` synchronously, straight into the store."""
        source = self.simulator_source
        if source is not None:
            source.fast_forward(until_ns, self.ingestor.ingest)
        self.alarms.check_stale(until_ns)

    def begin_at(self, start_ns: int) -> None:
        """Simulate from ``start_ns`` (now, when the window opens) rather than from when
        the runtime was built; before ``start`` only."""
        source = self.simulator_source
        if source is not None and not self._started:
            source.simulator.rebase(start_ns)

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        # Events are stamped from now on: a source's first samples may be stamped long
        # ago (an MQTT broker's retained message) and must not back-date alarms.
        self.alarms.begin()
        self.ingestor.start()
        for src in self.sources:
            src.start(self.ingestor.offer)

    def stop(self) -> None:
        """Stop the sources first, then drain the ingest queue; idempotent."""
        for src in self.sources:
            src.stop()
        self.ingestor.stop()
        self._started = False
