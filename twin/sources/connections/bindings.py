"""Typed bindings of the built-in protocols: what a signal's ``source`` table becomes.

The protocol entries (``*_protocol``) build them and the connectors read them. They live
apart from both so that a connector can import its binding without importing its protocol
entry, which imports the connector lazily (no import cycle).
"""

from __future__ import annotations

from dataclasses import dataclass

MODBUS_TYPES = {"int16": 1, "uint16": 1, "int32": 2, "uint32": 2, "float32": 2}  # -> words
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
