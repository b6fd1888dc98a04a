"""The built-in "robot" kind, simulated by ``twin.sources.sim.robot``."""

from twin.kinds.registry import EquipmentKind, register_kind
from twin.sources.sim.robot import RobotModel

ROBOT = register_kind(
    EquipmentKind(
        "robot", "Six-axis robot arm doing pick-and-place between taught poses.", RobotModel
    )
)
