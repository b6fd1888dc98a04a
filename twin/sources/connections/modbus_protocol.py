"""The Modbus TCP protocol entry: polling options, register bindings, and the
``ModbusSource`` factory.

``source = { connection = "plc", register = 100, type = "float32", kind = "input" }``
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from twin.plant.model import Connection, Signal
from twin.sources.base import Source
from twin.sources.connections.bindings import (
    MODBUS_KINDS,
    MODBUS_MAX_READ,
    MODBUS_TYPES,
    WORD_ORDERS,
    ModbusBinding,
)
from twin.sources.connections.checks import ConfigError, boolean, int_in, one_of, positive
from twin.sources.connections.registry import ConnectorProtocol, register_protocol


def _binding(f: dict[str, Any], connection: Connection) -> ModbusBinding:
    # A binding without unit_id reads from the connection's unit (default 1).
    binding = ModbusBinding(**{"unit_id": connection.options.get("unit_id", 1), **f})
    if binding.register + binding.words - 1 > 65535:
        raise ConfigError(f"source.register {binding.register} + {binding.type} runs past 65535")
    return binding


def _source(
    connection: Connection,
    signals: Sequence[Signal],
    bindings: Sequence[Any],
    env: Mapping[str, str] | None,
) -> Source:
    from twin.sources.connections.modbus import ModbusSource  # pymodbus: only when used

    return ModbusSource(connection, signals, bindings)  # Modbus TCP has no credentials


MODBUS = register_protocol(
    ConnectorProtocol(
        name="modbus",
        description="Modbus TCP device or gateway: holding/input registers, polled",
        default_port=502,
        options={
            "poll_interval_ms": positive,
            "unit_id": int_in(0, 255),
            "timeout_s": positive,
            "max_gap": int_in(0, MODBUS_MAX_READ),
            "max_registers": int_in(1, MODBUS_MAX_READ),
            "unit_retry_s": positive,
        },
        # Plain Modbus TCP has neither encryption nor accounts.
        not_applicable=frozenset(
            {"tls", "ca", "cert", "key", "username", "password_env", "keyring"}
        ),
        binding_keys={
            "register": int_in(0, 65535),
            "kind": one_of(MODBUS_KINDS),
            "type": one_of(tuple(MODBUS_TYPES)),
            "word_order": one_of(WORD_ORDERS),
            "unit_id": int_in(0, 255),
            "allow_non_finite": boolean,
        },
        required_key="register",
        binding_parser=_binding,
        source_factory=_source,
    )
)
