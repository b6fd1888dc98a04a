"""A plant cut down to what the line indicators read, for benches, tests and pictures."""

from __future__ import annotations

import dataclasses

from twin.plant.model import Plant


def cycle_signals_only(plant: Plant) -> Plant:
    """The plant's line machines with only the signals their cycle rules read (no faults,
    no connections): the line indicators' inputs, simulated in a fraction of the time."""
    keep: dict[str, set[str]] = {}
    for line in plant.lines:
        for asset_id in line.machines:
            r = line.rules[asset_id]
            keep[asset_id] = {r.signal, r.state, r.power, r.energy, r.scrap} - {""}
    assets = tuple(
        dataclasses.replace(a, signals=tuple(s for s in a.signals if s.key in keep[a.id]))
        for a in plant.assets
        if a.id in keep
    )
    return dataclasses.replace(plant, assets=assets, faults=(), connections=())
