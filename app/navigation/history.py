"""Where the operator has been: places in the display hierarchy and a back/forward stack.

ISA-101 arranges displays in levels: the plant overview, an area, a unit (one asset) and
its detail (one signal). A :class:`Place` is one position in that hierarchy;
:class:`NavHistory` is a browser-like stack of them. Pure Python: no Qt, so it is tested
on its own and the window only maps places to selection and camera.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import IntEnum

DEFAULT_LIMIT = 200  # places kept behind the current one


class Level(IntEnum):
    """The levels of the display hierarchy, top to bottom."""

    PLANT = 0
    AREA = 1
    ASSET = 2
    SIGNAL = 3


@dataclass(frozen=True)
class Place:
    """A position in the hierarchy: an area id, an asset id in it, a signal id of that
    asset; each part None below the level shown. ``view`` is the camera as it was last
    seen there (a saved-view dict), not part of the place's identity."""

    area: str | None = None
    asset: str | None = None
    signal: str | None = None
    view: Mapping[str, object] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.signal is not None and self.asset is None:
            raise ValueError(f"place: signal {self.signal!r} without its asset")
        if self.asset is not None and self.area is None:
            raise ValueError(f"place: asset {self.asset!r} without its area")

    @property
    def level(self) -> Level:
        if self.signal is not None:
            return Level.SIGNAL
        if self.asset is not None:
            return Level.ASSET
        return Level.AREA if self.area is not None else Level.PLANT

    def up_to(self, level: Level) -> Place:
        """This place cut at ``level`` (the breadcrumb's parts); no camera view."""
        return Place(
            self.area if level >= Level.AREA else None,
            self.asset if level >= Level.ASSET else None,
            self.signal if level >= Level.SIGNAL else None,
        )


PLANT = Place()


class NavHistory:
    """Back/forward through the places shown, as a web browser does with pages.

    ``visit`` a new place drops the places ahead (what Forward would have shown); a visit
    to the current place changes nothing. ``note_view`` keeps the camera of the current
    place, so that coming back to it restores what was seen.
    """

    def __init__(self, start: Place = PLANT, limit: int = DEFAULT_LIMIT) -> None:
        if limit < 1:
            raise ValueError(f"history limit must be at least 1, not {limit}")
        self._places: list[Place] = [start]
        self._index = 0
        self._limit = limit

    @property
    def current(self) -> Place:
        return self._places[self._index]

    @property
    def can_go_back(self) -> bool:
        return self._index > 0

    @property
    def can_go_forward(self) -> bool:
        return self._index < len(self._places) - 1

    @property
    def places(self) -> tuple[Place, ...]:
        """Every place kept, oldest first (``index`` is the current one)."""
        return tuple(self._places)

    @property
    def index(self) -> int:
        return self._index

    def visit(self, place: Place, view_left: Mapping[str, object] | None = None) -> bool:
        """Go to ``place``, keeping ``view_left`` (when given) as the camera of the place
        left; False (nothing changes) when ``place`` is the current place."""
        if place == self.current:
            return False
        if view_left is not None:
            self.note_view(view_left)
        del self._places[self._index + 1 :]
        self._places.append(place)
        if len(self._places) > self._limit + 1:
            del self._places[0]
        self._index = len(self._places) - 1
        return True

    def note_view(self, view: Mapping[str, object] | None) -> None:
        """The camera now shows ``view`` at the current place."""
        self._places[self._index] = replace(self.current, view=view)

    def back(self) -> Place | None:
        """The place before the current one (now current), or None at the oldest."""
        if not self.can_go_back:
            return None
        self._index -= 1
        return self.current

    def forward(self) -> Place | None:
        """The place after the current one (now current), or None at the newest."""
        if not self.can_go_forward:
            return None
        self._index += 1
        return self.current
