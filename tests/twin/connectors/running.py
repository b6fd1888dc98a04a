"""A plant's connectors running against the test servers: start them, wait for the link."""

from __future__ import annotations

from tests.twin.connectors.servers import wait_until
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Plant
from twin.sources.connections.factory import build_sources
from twin.sources.connections.feed import ConnectorSource
from twin.sources.connections.health import ConnState


def run_source[S: ConnectorSource](
    plant: Plant, kind: type[S], env: dict[str, str] | None = None
) -> tuple[PlantRuntime, S]:
    """Start ``plant``'s runtime; its first source, which must be a ``kind``."""
    sources = build_sources(plant, env=env)
    runtime = PlantRuntime(plant, sources)
    runtime.start()
    source = sources[0]
    assert isinstance(source, kind)
    return runtime, source


def wait_connected(source: ConnectorSource, connects: int = 1, timeout: float = 10.0) -> None:
    """Wait until ``source`` is connected, for at least the ``connects``-th time."""

    def ok() -> bool:
        snap = source.health.snapshot()
        return snap.state is ConnState.CONNECTED and snap.connects >= connects

    wait_until(ok, timeout, f"{source.name} connected ({source.health.snapshot()})")
