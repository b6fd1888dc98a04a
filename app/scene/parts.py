"""What equipment is made of: named parts, their colour role, and how signals move them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from vtkmodules.vtkCommonDataModel import vtkPolyData

from app.scene.primitives import Vec3

BODY = "body"  # takes the asset's state colour
DETAIL = "detail"  # dark metal: shafts, frames, feet; never state-coloured
ROLES = (BODY, DETAIL)

Params = Mapping[str, float | str]


@dataclass(frozen=True)
class Motion:
    """How one signal moves a part, in the asset's local frame (before yaw and scale).

    The displacement is ``scale * (value - offset)`` clamped to ``limits``: metres along
    ``axis`` (0 x, 1 y, 2 z), or degrees about ``axis`` through ``pivot`` when ``rotate``.
    With ``rate`` the value is a speed and the displacement integrates ``scale * value``
    over the cursor time (motor shafts, belts), wrapped to ``period`` when it is > 0.
    """

    signal_key: str
    axis: int
    scale: float
    offset: float = 0.0
    limits: tuple[float, float] = (-math.inf, math.inf)
    rotate: bool = False
    pivot: Vec3 = (0.0, 0.0, 0.0)
    rate: bool = False
    period: float = 0.0


@dataclass(frozen=True)
class Part:
    """A named piece of an asset; ``motions`` apply in order, after ``parent``'s transform."""

    name: str
    poly: vtkPolyData
    role: str = BODY
    motions: tuple[Motion, ...] = ()
    parent: str | None = None

    @property
    def moves(self) -> bool:
        return bool(self.motions) or self.parent is not None


def num(params: Params, key: str, default: float) -> float:
    """A numeric parameter, or ``default`` when missing or not a number."""
    value = params.get(key, default)
    return float(value) if isinstance(value, int | float) else default


def steps(start: float, stop: float, step: float) -> list[float]:
    """``start``, ``start + step``, ... up to ``stop`` (at least one value)."""
    count = max(1, int((stop - start) / step + 1e-9) + 1)
    return [start + i * step for i in range(count)]
