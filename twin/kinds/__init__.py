"""Equipment kinds: the registry (``registry``) and one module per built-in kind.

Importing this package registers the built-in kinds. A new kind is one module here that
calls ``register_kind`` with its simulator model, plus its line below; its 3D geometry is
registered on the app side (``app.scene.geometry_registry``).
"""

from twin.kinds.registry import (
    EquipmentKind,
    find_kind,
    kind,
    kind_names,
    kinds,
    register_kind,
    registered_kind,
    unregister_kind,
)

# isort: off
# Registration order is the order plant-file messages list the kinds in: keep motor first.
from twin.kinds import motor, press, extruder, loom, robot, elevator, conveyor, pump  # noqa: F401
# isort: on

# The kinds that ship with TwinDeck (the demo plant has one of each).
BUILTIN_KINDS: tuple[str, ...] = kind_names()

__all__ = [
    "BUILTIN_KINDS",
    "EquipmentKind",
    "find_kind",
    "kind",
    "kind_names",
    "kinds",
    "register_kind",
    "registered_kind",
    "unregister_kind",
]
