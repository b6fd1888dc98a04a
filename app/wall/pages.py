"""The wall screen's pages: one per area, or one per line of an area that has lines."""

from __future__ import annotations

from dataclasses import dataclass

from twin.plant.model import Plant


@dataclass(frozen=True, slots=True)
class WallPage:
    """What one page shows: an area's alarms and fleet health (``area`` indexes
    ``plant.areas``; None: the whole plant) and, on a line's page, that line's figures."""

    name: str
    area: int | None
    line_id: str | None = None


def wall_pages(plant: Plant) -> tuple[WallPage, ...]:
    """The pages in plant-file order. A line belongs to the area of its output machine; an
    area with lines has a page per line, one without lines a page of its own; a line whose
    output machine is in no listed area, and a plant without areas, show the whole plant."""
    area_index = {area.id: i for i, area in enumerate(plant.areas)}
    by_area: dict[int | None, list[str]] = {}
    for line in plant.lines:
        area_id = plant.asset(line.output).area_id if plant.has_asset(line.output) else ""
        by_area.setdefault(area_index.get(area_id), []).append(line.id)
    names = {line.id: line.name for line in plant.lines}
    pages: list[WallPage] = []
    for i, area in enumerate(plant.areas):
        lines = by_area.get(i, [])
        pages += [WallPage(f"{area.name} · {names[lid]}", i, lid) for lid in lines]
        if not lines:
            pages.append(WallPage(area.name, i))
    pages += [WallPage(names[lid], None, lid) for lid in by_area.get(None, [])]
    return tuple(pages) or (WallPage(plant.name, None),)
