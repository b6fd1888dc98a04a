"""The registry of equipment kinds: what a plant file's ``kind = "..."`` may name.

A kind ties a name to the simulator model that produces its signals; the signals template
(keys and units) is read from the model, so the two cannot disagree. The 3D geometry of a
kind is registered on the app side (``app.scene.geometry_registry``), which checks that
every kind here has one.

Importing this module (or anything in ``twin.kinds``) registers the built-in kinds: the
package's ``__init__`` imports them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for hints: the models import the plant model, which must not import us
    from twin.sources.sim.base import KindModel

_NAME_RE = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class EquipmentKind:
    """One kind of equipment: ``name`` as written in plant files, a one-line
    ``description``, and the simulator ``model`` class that produces its signals."""

    name: str
    description: str
    model: type[KindModel]

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME_RE.fullmatch(self.name):
            raise ValueError(
                f"equipment kind name {self.name!r} must be lower-case letters, digits and _"
            )
        model_kind = getattr(self.model, "kind", None)
        if model_kind != self.name:
            # The model's kind seeds its noise and names its channel groups: they must agree.
            raise ValueError(
                f'equipment kind "{self.name}": its model {_qualname(self.model)} says '
                f"kind = {model_kind!r}"
            )
        specs = getattr(self.model, "specs", None)
        if not isinstance(specs, Mapping) or not specs:
            raise ValueError(
                f'equipment kind "{self.name}": its model {_qualname(self.model)} has no specs '
                "(the signal keys it produces)"
            )

    @property
    def signals(self) -> Mapping[str, str]:
        """The signals template: every key the simulator produces for this kind -> unit."""
        return MappingProxyType({key: spec.unit for key, spec in self.model.specs.items()})


# Registration order is kept: plant-file messages list the kinds in it.
_KINDS: dict[str, EquipmentKind] = {}


def register_kind(kind: EquipmentKind) -> EquipmentKind:
    """Add ``kind`` to the registry and return it; raises ValueError if the name is taken."""
    if not isinstance(kind, EquipmentKind):
        raise TypeError(f"register_kind takes an EquipmentKind, got {type(kind).__name__}")
    existing = _KINDS.get(kind.name)
    if existing is not None:
        raise ValueError(
            f'equipment kind "{kind.name}" is already registered (model '
            f"{_qualname(existing.model)}); pick another name or unregister the old one first"
        )
    _KINDS[kind.name] = kind
    return kind


def unregister_kind(name: str) -> EquipmentKind:
    """Remove the kind ``name`` (tests, plug-ins being unloaded); returns it."""
    try:
        return _KINDS.pop(name)
    except KeyError:
        raise KeyError(f'equipment kind "{name}" is not registered') from None


@contextmanager
def registered_kind(kind: EquipmentKind) -> Iterator[EquipmentKind]:
    """Register ``kind`` for the duration of a ``with`` block (tests)."""
    register_kind(kind)
    try:
        yield kind
    finally:
        _KINDS.pop(kind.name, None)


def kind(name: str) -> EquipmentKind:
    """The registered kind ``name``; raises KeyError naming the registered ones."""
    found = _KINDS.get(name)
    if found is None:
        raise KeyError(f'no equipment kind "{name}" (registered: {", ".join(_KINDS)})')
    return found


def find_kind(name: str) -> EquipmentKind | None:
    """The registered kind ``name``, or None."""
    return _KINDS.get(name)


def kinds() -> tuple[EquipmentKind, ...]:
    """Every registered kind, in registration order."""
    return tuple(_KINDS.values())


def kind_names() -> tuple[str, ...]:
    """The names of every registered kind, in registration order."""
    return tuple(_KINDS)


def _qualname(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"
