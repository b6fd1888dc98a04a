"""A window on some areas of a plant draws only their assets: the plant cut down to those
areas, and each frame cut down to match (values, states; plots are read by signal id).

A second window on one hall of a 10,000-motor plant then builds, colours and renders that
hall's assets, not the whole plant again.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

import numpy as np

from app.frame.builder import Frame
from twin.plant.model import Plant
from twin.values import ExactValues


class AreaFrames:
    """``plant`` restricted to ``area_ids`` (``plant``), and :meth:`cut` for its frames."""

    def __init__(self, plant: Plant, area_ids: Collection[str]) -> None:
        wanted = set(area_ids)
        unknown = wanted - {area.id for area in plant.areas}
        if unknown:
            raise ValueError(f"{plant.source_path}: no area {sorted(unknown)[0]!r}")
        assets = tuple(a for a in plant.assets if a.area_id in wanted)
        kept = {a.id for a in assets}
        self.whole = len(assets) == len(plant.assets)
        self.plant = (
            plant
            if self.whole
            else replace(
                plant,
                areas=tuple(area for area in plant.areas if area.id in wanted),
                assets=assets,
                faults=tuple(f for f in plant.faults if f.asset_id in kept),
                lines=(),  # a line may run through areas left out
            )
        )
        asset_index = {a.id: i for i, a in enumerate(plant.assets)}
        signal_index = {s.id: i for i, s in enumerate(plant.signals)}
        self.asset_rows = np.array([asset_index[a.id] for a in assets], dtype=np.intp)
        rows = [signal_index[s.id] for a in assets for s in a.signals]
        self.signal_rows = np.array(rows, dtype=np.intp)
        self._row_of = {old: new for new, old in enumerate(rows)}

    def cut(self, frame: Frame) -> Frame:
        """``frame`` (of the whole plant) for this part of it."""
        if self.whole:
            return frame
        rows = self.signal_rows
        values = np.asarray(frame.values)[rows]
        exact = getattr(frame.values, "exact", None) or {}
        kept = {self._row_of[i]: v for i, v in exact.items() if i in self._row_of}
        return replace(
            frame,
            values=ExactValues.of(values, kept),
            last_times=frame.last_times[rows],
            signal_states=frame.signal_states[rows],
            asset_states=frame.asset_states[self.asset_rows],
        )
