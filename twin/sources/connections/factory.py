"""Build the live sources of a plant: one per ``[[connections]]`` entry.

Typical wiring (the app's start-up module)::

    live = build_sources(plant)
    sim = SimulatorSource(Simulator(simulated_plant(plant), start_ns=time.time_ns()))
    runtime = PlantRuntime(plant, [sim, *live])

A signal belongs to one channel group only, so the simulator must be given the plant
without the live-bound signals (``simulated_plant``); signals with no ``source`` (or a
source that names no connection) stay simulated.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from twin.plant.model import Plant, Signal
from twin.sources.base import Source
from twin.sources.connections.config import parse_binding
from twin.sources.connections.registry import protocol


def live_bindings(plant: Plant) -> dict[str, list[tuple[Signal, Any]]]:
    """Connection id -> its (signal, binding) pairs, in plant order. Every connection of
    the plant has an entry, possibly empty. A binding is whatever its protocol's parser
    returns (``MqttBinding``, ...)."""
    connections = {c.id: c for c in plant.connections}
    out: dict[str, list[tuple[Signal, Any]]] = {c.id: [] for c in plant.connections}
    for sig in plant.signals:
        if "connection" not in sig.source:
            continue
        binding = parse_binding(sig.source, connections)  # checked by the loader already
        if binding is not None:
            out[str(sig.source["connection"])].append((sig, binding))
    return out


def build_sources(plant: Plant, env: Mapping[str, str] | None = None) -> list[Source]:
    """One source per connection of ``plant`` (not started), made by its protocol's
    factory. ``env`` replaces os.environ for password look-ups (tests)."""
    sources: list[Source] = []
    bound = live_bindings(plant)
    for conn in plant.connections:
        pairs = bound[conn.id]
        # The protocol's factory imports its client library now, not when the plant loads.
        factory = protocol(conn.protocol).source_factory
        sources.append(factory(conn, [s for s, _ in pairs], [b for _, b in pairs], env))
    return sources


def simulated_plant(plant: Plant) -> Plant:
    """``plant`` without its live-bound signals: what the simulator should produce."""
    live = {s.id for pairs in live_bindings(plant).values() for s, _ in pairs}
    if not live:
        return plant
    assets = tuple(
        dataclasses.replace(a, signals=tuple(s for s in a.signals if s.id not in live))
        for a in plant.assets
    )
    return dataclasses.replace(plant, assets=assets)
