"""Typed bindings of the built-in protocols: what a signal's ``source`` table becomes.

The protocol entries (``*_protocol``) build them and the connectors read them. They live
apart from both so that a connector can import its binding without importing its protocol
entry, which imports the connector lazily (no import cycle).
"""

from __future__ import annotations

from dataclasses import dataclass

# -> words
MODBUS_TYPES = {
    "int16": 1,
    "uint16": 1,
    "int32": 2,
    "uint32": 2,
    "float32": 2,
    "int64": 4,
    "float64": 4,
}
# OPC UA variant types a binding may declare (``type``), by the signal type they default to.
OPCUA_INT_TYPES = ("Int32", "UInt32", "Int64", "UInt64")
OPCUA_FLOAT64_TYPES = ("Double",)
OPCUA_TYPES = ("Boolean", "SByte", "Byte", "Int16", "UInt16", "Float", *OPCUA_INT_TYPES, "Double")
MODBUS_KINDS = ("holding", "input")
WORD_ORDERS = ("big", "little")
MODBUS_MAX_READ = 125  # registers per read request (Modbus spec limit)


@dataclass(frozen=True, slots=True)
class MqttBinding:
    topic: str
    json_path: str | None = None
    time_path: str | None = None
    time_unit: str = "auto"
    qos: int = 0
    scale: float = 1.0
    offset: float = 0.0
    allow_non_finite: bool = False  # JSON NaN / Infinity (and plain nan / inf) are values


@dataclass(frozen=True, slots=True)
class OpcuaBinding:
    node: str
    scale: float = 1.0
    offset: float = 0.0
    type: str | None = None  # the node's variant type, when declared (sets the default dtype)
    allow_non_finite: bool = False  # NaN / +-inf from the server are values, not bad data


@dataclass(frozen=True, slots=True)
class ModbusBinding:
    register: int
    kind: str = "holding"
    type: str = "uint16"
    word_order: str = "big"
    unit_id: int = 1
    scale: float = 1.0
    offset: float = 0.0
    allow_non_finite: bool = False  # float32 NaN / +-inf words are values, not bad data

    @property
    def words(self) -> int:
        return MODBUS_TYPES[self.type]


def _scaled(binding: object) -> bool:
    return getattr(binding, "scale", 1.0) != 1.0 or getattr(binding, "offset", 0.0) != 0.0


def default_dtype(binding: object) -> str:
    """The value type a signal bound this way gets when the plant file names none: int64
    for 32- and 64-bit integer registers and variants (float32 would round them above
    2**24), float64 for 64-bit floats and for scaled integers, else float32."""
    if isinstance(binding, ModbusBinding):
        kind = binding.type
        wide_int = kind in ("int32", "uint32", "int64")
    elif isinstance(binding, OpcuaBinding) and binding.type is not None:
        kind = "float64" if binding.type in OPCUA_FLOAT64_TYPES else binding.type
        wide_int = binding.type in OPCUA_INT_TYPES
    else:
        return "float32"
    if wide_int:
        return "float64" if _scaled(binding) else "int64"
    return "float64" if kind == "float64" else "float32"


def dtype_conflict(dtype: str, binding: object) -> str | None:
    """Why a binding cannot feed a signal of ``dtype`` exactly, or None."""
    if dtype == "int64" and _scaled(binding):
        return (
            'dtype "int64" keeps integers exactly and takes no source.scale or source.offset; '
            'use dtype = "float64" for a scaled value'
        )
    return None
