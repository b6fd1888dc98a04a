"""Connections and signal bindings as written in a plant file, checked and typed.

A plant declares its live connections once::

    [[connections]]
    id = "plant_broker"
    protocol = "mqtt"              # mqtt | opcua | modbus | any registered protocol
    host = "10.0.0.5"
    port = 8883                    # default: 1883 (8883 with tls), 4840, 502
    tls = true
    ca = "certs/ca.pem"            # paths are relative to the plant file
    username = "twindeck"
    password_env = "TWINDECK_MQTT_PASSWORD"   # never the password itself

and each signal names one in its ``source`` table, e.g.
``source = { connection = "plant_broker", topic = "line1/M01/temp", json_path = "temp" }``.
The loader (`twin.plant.loader`) calls :func:`parse_connection` and :func:`parse_binding`
and turns a :class:`ConfigError` into a located ``PlantError``; the connectors call the
same functions to get typed bindings. What each protocol adds (its options, binding keys
and binding parser) comes from its entry in ``registry``; nothing here names a protocol or
imports a protocol library.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from twin.plant import fields as F
from twin.plant.model import Connection, Signal
from twin.sources.connections.backoff import DEFAULT_MIN_S
from twin.sources.connections.bindings import (
    MODBUS_KINDS,
    MODBUS_MAX_READ,
    MODBUS_TYPES,
    WORD_ORDERS,
    ModbusBinding,
    MqttBinding,
    OpcuaBinding,
)
from twin.sources.connections.checks import (
    ConfigError,
    boolean,
    check,
    env_name,
    host,
    int_in,
    keyring_entry,
    positive,
    substitute,
)
from twin.sources.connections.registry import protocol, protocol_names

# Kept importable from here: the connectors and older code import them from config.
__all__ = [
    "MODBUS_KINDS",
    "MODBUS_MAX_READ",
    "MODBUS_TYPES",
    "WORD_ORDERS",
    "ConfigError",
    "ModbusBinding",
    "MqttBinding",
    "OpcuaBinding",
    "bound_signals",
    "default_port",
    "parse_binding",
    "parse_connection",
    "resolve_password",
    "substitute",
]


def _protocol_name(value: object) -> str:
    # Read at each check, not at import: protocols registered later count too.
    return F.one_of(value, protocol_names())


# --- connections -------------------------------------------------------------------------

_COMMON: dict[str, Callable[[object], object]] = {
    "id": F.ident,
    "protocol": _protocol_name,
    "host": host,
    "port": int_in(1, 65535),
    "tls": boolean,
    "ca": F.name,
    "cert": F.name,
    "key": F.name,
    "username": F.name,
    "password_env": env_name,
    "keyring": keyring_entry,
    "reconnect_min_s": positive,
    "reconnect_max_s": positive,
}
_PATHS = ("ca", "cert", "key")  # resolved against the plant file's folder


def default_port(protocol_name: str, tls: bool = False) -> int:
    return protocol(protocol_name).port(tls)


def parse_connection(raw: object, base_dir: str | os.PathLike[str] = ".") -> Connection:
    """Check one ``[[connections]]`` table and build a `Connection`; raises ConfigError."""
    if not isinstance(raw, dict):
        raise ConfigError(f"must be a table, got {F.show(raw)}")
    if "protocol" not in raw:
        raise ConfigError(f'missing required key "protocol" ({", ".join(protocol_names())})')
    entry = protocol(str(check("protocol", raw["protocol"], _COMMON["protocol"])))
    specs = {**_COMMON, **entry.options}
    for key in raw:
        if key == "password":
            raise ConfigError(
                "a password must not be written in the plant file: set password_env to the "
                "NAME of an environment variable that holds it (or use keyring)",
                key,
            )
        if key in entry.not_applicable:
            hint = entry.not_applicable_hint
            raise ConfigError(f'"{key}" does not apply to protocol "{entry.name}"{hint}', key)
        if key not in specs:
            raise ConfigError(f'unknown key "{key}"{F.did_you_mean(key, specs)}', key)
    for key in ("id", "host"):
        if key not in raw:
            raise ConfigError(f'missing required key "{key}"')
    f: dict[str, Any] = {key: check(key, value, specs[key]) for key, value in raw.items()}
    base = Path(base_dir)
    for key in (*_PATHS, *entry.path_options):
        if key in f:
            f[key] = str((base / f[key]).resolve())
    if ("cert" in f) != ("key" in f):
        raise ConfigError("cert and key go together (the client certificate and its key)", "cert")
    if "password_env" in f and "keyring" in f:
        raise ConfigError("give password_env or keyring, not both", "keyring")
    if "reconnect_max_s" in f and f.get("reconnect_min_s", DEFAULT_MIN_S) > f["reconnect_max_s"]:
        raise ConfigError("reconnect_min_s is above reconnect_max_s", "reconnect_min_s")
    if entry.check_connection is not None:
        entry.check_connection(f)
    options = {k: v for k, v in f.items() if k in entry.options or k.startswith("reconnect")}
    return Connection(
        id=f["id"],
        protocol=entry.name,
        host=f["host"],
        port=f.get("port", entry.port(f.get("tls", False))),
        tls=f.get("tls", False),
        ca=f.get("ca"),
        cert=f.get("cert"),
        key=f.get("key"),
        username=f.get("username"),
        password_env=f.get("password_env"),
        keyring=f.get("keyring"),
        options=MappingProxyType(options),
    )


def resolve_password(conn: Connection, env: Mapping[str, str] | None = None) -> str | None:
    """The connection's password from its environment variable or keyring entry (None if
    it has neither); raises ConfigError naming what is missing."""
    env = os.environ if env is None else env
    if conn.password_env:
        if conn.password_env not in env:
            raise ConfigError(f"environment variable {conn.password_env} is not set")
        return env[conn.password_env]
    if conn.keyring:
        try:
            import keyring  # optional: only plants that use a keyring entry need it
        except ImportError:
            raise ConfigError("keyring = {...} needs the 'keyring' package installed") from None
        service, name = conn.keyring
        password = keyring.get_password(service, name)
        if password is None:
            raise ConfigError(f'no keyring entry for service "{service}", name "{name}"')
        return str(password)
    return None


# --- bindings ------------------------------------------------------------------------------

_LINEAR = {"connection": F.ident, "scale": F.number, "offset": F.number}


def parse_binding(
    source: Mapping[str, object], connections: Mapping[str, Connection]
) -> object | None:
    """Check a signal's ``source`` table against the connection it names, and return the
    typed binding its protocol's parser builds (``MqttBinding``, ...).

    Returns None for a free-form table without ``connection`` in a plant that declares no
    connections (kept for other tools; such a signal stays simulated). Raises ConfigError
    with a reason that starts with "source" (e.g. 'source.qos must be ...').
    """
    if "connection" not in source:
        if not connections:
            return None
        names = ", ".join(sorted(connections))
        raise ConfigError(f'source needs connection = "..." (one of: {names})', "connection")
    conn_id = source["connection"]
    if not isinstance(conn_id, str) or conn_id not in connections:
        hint = F.did_you_mean(str(conn_id), connections) if connections else ""
        reason = "no [[connections]] are declared" if not connections else "is not declared"
        raise ConfigError(f"source.connection {F.show(conn_id)} {reason}{hint}", "connection")
    connection = connections[conn_id]
    entry = protocol(connection.protocol)
    specs = {**_LINEAR, **entry.binding_keys}
    for key in source:
        if key not in specs:
            raise ConfigError(
                f'source: unknown key "{key}" for a {entry.name} connection'
                f"{F.did_you_mean(key, specs)}",
                key,
            )
    if entry.required_key not in source:
        raise ConfigError(
            f'source needs {entry.required_key} = ... for {entry.name} connection "{conn_id}"'
        )
    f = {k: check(f"source.{k}", v, specs[k]) for k, v in source.items() if k != "connection"}
    return entry.binding_parser(f, connection)


def bound_signals(plant_signals: tuple[Signal, ...]) -> list[Signal]:
    """The signals whose source names a connection (the others stay simulated)."""
    return [s for s in plant_signals if "connection" in s.source]
