"""The registry of equipment geometry: how each kind of ``twin.kinds`` is drawn in 3D.

VTK geometry cannot live in the core, so a kind registers its simulator model there and
its builders here. ``kinds_without_geometry`` is the agreement check: every kind of the
core registry should have a geometry (a kind without one is drawn as a plain box).
The built-in geometries register themselves in ``app.scene.equipment_*``, which
``app.scene.equipment`` imports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from app.scene.parts import Params, Part
from twin.kinds import kind_names

Builder = Callable[[Params], list[Part]]
Scale = Callable[[Params], float]


@dataclass(frozen=True)
class KindGeometry:
    """How one kind is drawn: ``builder`` makes its parts at unit scale; ``low_builder``
    (optional) a few-triangle version for assets small on screen; assets that agree on
    ``geometry_params`` share one shape; ``scale`` (optional) sizes each asset's instance
    from its params (motors grow with their rating)."""

    kind: str
    builder: Builder
    low_builder: Builder | None = None
    geometry_params: tuple[str, ...] = ()
    scale: Scale | None = None


_GEOMETRY: dict[str, KindGeometry] = {}


def register_geometry(
    kind_name: str,
    builder: Builder,
    low_builder: Builder | None = None,
    geometry_params: tuple[str, ...] = (),
    scale: Scale | None = None,
) -> KindGeometry:
    """Register how ``kind_name`` is drawn; raises ValueError if it has a geometry already."""
    if kind_name in _GEOMETRY:
        raise ValueError(
            f'equipment kind "{kind_name}" has a geometry already ({_name(_GEOMETRY[kind_name])})'
        )
    entry = KindGeometry(kind_name, builder, low_builder, tuple(geometry_params), scale)
    _GEOMETRY[kind_name] = entry
    return entry


def unregister_geometry(kind_name: str) -> KindGeometry:
    """Remove the geometry of ``kind_name`` (tests); returns it."""
    try:
        return _GEOMETRY.pop(kind_name)
    except KeyError:
        raise KeyError(f'equipment kind "{kind_name}" has no geometry') from None


@contextmanager
def registered_geometry(
    kind_name: str,
    builder: Builder,
    low_builder: Builder | None = None,
    geometry_params: tuple[str, ...] = (),
    scale: Scale | None = None,
) -> Iterator[KindGeometry]:
    """Register a geometry for the duration of a ``with`` block (tests)."""
    entry = register_geometry(kind_name, builder, low_builder, geometry_params, scale)
    try:
        yield entry
    finally:
        _GEOMETRY.pop(kind_name, None)


def geometry(kind_name: str) -> KindGeometry | None:
    """The geometry of ``kind_name``, or None (drawn as a placeholder box)."""
    return _GEOMETRY.get(kind_name)


def geometries() -> tuple[KindGeometry, ...]:
    return tuple(_GEOMETRY.values())


def kinds_without_geometry() -> tuple[str, ...]:
    """The core's registered kinds that have no geometry here (empty when they agree)."""
    return tuple(name for name in kind_names() if name not in _GEOMETRY)


class _Builders(Mapping[str, Builder]):
    """A live, read-only view: kind -> its full-detail builder."""

    def __getitem__(self, kind_name: str) -> Builder:
        return _GEOMETRY[kind_name].builder

    def __iter__(self) -> Iterator[str]:
        return iter(tuple(_GEOMETRY))

    def __len__(self) -> int:
        return len(_GEOMETRY)


BUILDERS: Mapping[str, Builder] = _Builders()


def _name(entry: KindGeometry) -> str:
    builder = entry.builder
    return f"{getattr(builder, '__module__', '?')}.{getattr(builder, '__qualname__', builder)}"
