"""Connections and signal bindings as written in a plant file, checked and typed.

A plant declares its live connections once::

    [[connections]]
    id = "plant_broker"
    protocol = "mqtt"              # mqtt | opcua | modbus
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
same functions to get typed bindings. Nothing here imports a protocol library.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from twin.plant import fields as F
from twin.plant.model import Connection, Signal
from twin.sources.connections.payload import TIME_UNITS, parse_path

PROTOCOLS = ("mqtt", "opcua", "modbus")
MODBUS_TYPES = {"int16": 1, "uint16": 1, "int32": 2, "uint32": 2, "float32": 2}  # -> words
MODBUS_KINDS = ("holding", "input")
WORD_ORDERS = ("big", "little")
MODBUS_MAX_READ = 125  # registers per read request (Modbus spec limit)
_ENV_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# ns=<index>;i|s|g|b=<id>, or nsu=<uri>;..., or a bare i=/s= id in namespace 0.
_NODE_RE = re.compile(r"(?:(?:ns=\d+|nsu=[^;]+);)?[isgb]=.+", re.DOTALL)


class ConfigError(ValueError):
    """A connection or binding that cannot be used. ``key`` is the offending field (for
    the line number), ``reason`` the complete message."""

    def __init__(self, reason: str, key: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.key = reason, key


# --- value checks ----------------------------------------------------------------------


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise F.FieldError(f"must be true or false, got {F.show(value)}")
    return value


def _int_in(lo: int, hi: int) -> Callable[[object], int]:
    def check(value: object) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
            raise F.FieldError(f"must be an integer from {lo} to {hi}, got {F.show(value)}")
        return value

    return check


def _positive(value: object) -> float:
    result = F.number(value)
    if result <= 0:
        raise F.FieldError(f"must be > 0, got {F.show(value)}")
    return result


def _host(value: object) -> str:
    host = F.name(value).strip()
    if any(c.isspace() for c in host) or "/" in host:
        raise F.FieldError(f"must be a host name or address, got {F.show(value)}")
    return host


def _env_name(value: object) -> str:
    if not isinstance(value, str) or not _ENV_RE.fullmatch(value):
        raise F.FieldError(
            f"must be the NAME of an environment variable (letters, digits, _), got "
            f"{F.show(value)}; never put the password itself in the plant file"
        )
    return value


def _keyring(value: object) -> tuple[str, str]:
    table = F.table(value)
    extra = sorted(set(table) - {"service", "name"})
    if extra or not all(isinstance(table.get(k), str) and table[k] for k in ("service", "name")):
        raise F.FieldError(f'must be {{ service = "...", name = "..." }}, got {F.show(value)}')
    return (str(table["service"]), str(table["name"]))


def _topic_filters(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise F.FieldError(f"must be a non-empty list of topic filters, got {F.show(value)}")
    return tuple(_topic(v) for v in value)


def _topic(value: object) -> str:
    """An MQTT topic or filter: '+' and '#' fill whole levels, '#' only last."""
    if not isinstance(value, str) or not value:
        raise F.FieldError(f"must be a non-empty string, got {F.show(value)}")
    levels = value.split("/")
    for i, level in enumerate(levels):
        bad_hash = "#" in level and (level != "#" or i != len(levels) - 1)
        if bad_hash or ("+" in level and level != "+"):
            raise F.FieldError(
                f"{F.show(value)} is not a valid topic filter ('+' must fill a whole level, "
                "'#' must be the whole last level)"
            )
    return value


def _one_of(options: tuple[str, ...]) -> Callable[[object], str]:
    return lambda value: F.one_of(value, options)


def _node_id(value: object) -> str:
    if not isinstance(value, str) or not _NODE_RE.fullmatch(value):
        raise F.FieldError(
            f'must be an OPC UA node id such as "ns=2;s=M01.Temp" or "ns=3;i=1001", '
            f"got {F.show(value)}"
        )
    return value


def _json_path(value: object) -> str:
    text = F.text(value)
    try:
        parse_path(text)
    except ValueError as exc:
        raise F.FieldError(str(exc)) from None
    return text


# --- connections -------------------------------------------------------------------------

_COMMON: dict[str, Callable[[object], object]] = {
    "id": F.ident,
    "protocol": _one_of(PROTOCOLS),
    "host": _host,
    "port": _int_in(1, 65535),
    "tls": _boolean,
    "ca": F.name,
    "cert": F.name,
    "key": F.name,
    "username": F.name,
    "password_env": _env_name,
    "keyring": _keyring,
    "reconnect_min_s": _positive,
    "reconnect_max_s": _positive,
}
_OPTIONS: dict[str, dict[str, Callable[[object], object]]] = {
    "mqtt": {
        "client_id": F.name,
        "keepalive_s": _int_in(5, 3600),
        # false: the broker keeps the session (and QoS 1 messages) over a reconnect.
        "clean_session": _boolean,
        "subscribe": _topic_filters,
        "coalesce_ms": _positive,
        "stale_periods": F.non_negative,
        "tls_insecure": _boolean,
    },
    "opcua": {
        "path": F.text,
        "publishing_interval_ms": _positive,
        "security_policy": _one_of(("None", "Basic256Sha256")),
        "security_mode": _one_of(("Sign", "SignAndEncrypt")),
        "server_cert": F.name,
        "application_uri": F.name,
        "timeout_s": _positive,
        "coalesce_ms": _positive,
        "stale_periods": F.non_negative,
    },
    "modbus": {
        "poll_interval_ms": _positive,
        "unit_id": _int_in(0, 255),
        "timeout_s": _positive,
        "max_gap": _int_in(0, MODBUS_MAX_READ),
        "max_registers": _int_in(1, MODBUS_MAX_READ),
    },
}
# Common keys that make no sense for a protocol: rejected rather than silently ignored.
_NOT_FOR = {
    "modbus": {"tls", "ca", "cert", "key", "username", "password_env", "keyring"},
    "opcua": {"tls", "ca"},
    "mqtt": set(),
}
_PATHS = ("ca", "cert", "key", "server_cert")


def default_port(protocol: str, tls: bool = False) -> int:
    return {"mqtt": 8883 if tls else 1883, "opcua": 4840, "modbus": 502}[protocol]


def parse_connection(raw: object, base_dir: str | os.PathLike[str] = ".") -> Connection:
    """Check one ``[[connections]]`` table and build a `Connection`; raises ConfigError."""
    if not isinstance(raw, dict):
        raise ConfigError(f"must be a table, got {F.show(raw)}")
    if "protocol" not in raw:
        raise ConfigError(f'missing required key "protocol" ({", ".join(PROTOCOLS)})')
    protocol = str(_check("protocol", raw["protocol"], _COMMON["protocol"]))
    specs = {**_COMMON, **_OPTIONS[protocol]}
    for key in raw:
        if key == "password":
            raise ConfigError(
                "a password must not be written in the plant file: set password_env to the "
                "NAME of an environment variable that holds it (or use keyring)",
                key,
            )
        if key in _NOT_FOR[protocol]:
            hint = "; use security_policy and server_cert" if protocol == "opcua" else ""
            raise ConfigError(f'"{key}" does not apply to protocol "{protocol}"{hint}', key)
        if key not in specs:
            raise ConfigError(f'unknown key "{key}"{F.did_you_mean(key, specs)}', key)
    for key in ("id", "host"):
        if key not in raw:
            raise ConfigError(f'missing required key "{key}"')
    f: dict[str, Any] = {key: _check(key, value, specs[key]) for key, value in raw.items()}
    base = Path(base_dir)
    for key in _PATHS:
        if key in f:
            f[key] = str((base / f[key]).resolve())
    if ("cert" in f) != ("key" in f):
        raise ConfigError("cert and key go together (the client certificate and its key)", "cert")
    if "password_env" in f and "keyring" in f:
        raise ConfigError("give password_env or keyring, not both", "keyring")
    if f.get("reconnect_min_s", 0.5) > f.get("reconnect_max_s", 30.0):
        raise ConfigError("reconnect_min_s is above reconnect_max_s", "reconnect_min_s")
    if protocol == "opcua":
        _check_opcua(f)
    if protocol == "mqtt" and not f.get("tls", False):
        for key in ("ca", "cert", "key", "tls_insecure"):
            if key in f:
                raise ConfigError(f"{key} needs tls = true", key)
    options = {k: v for k, v in f.items() if k in _OPTIONS[protocol] or k.startswith("reconnect")}
    return Connection(
        id=f["id"],
        protocol=protocol,
        host=f["host"],
        port=f.get("port", default_port(protocol, f.get("tls", False))),
        tls=f.get("tls", False),
        ca=f.get("ca"),
        cert=f.get("cert"),
        key=f.get("key"),
        username=f.get("username"),
        password_env=f.get("password_env"),
        keyring=f.get("keyring"),
        options=MappingProxyType(options),
    )


def _check_opcua(f: Mapping[str, object]) -> None:
    secured = f.get("security_policy", "None") != "None"
    if secured and "cert" not in f:
        raise ConfigError(
            "security_policy Basic256Sha256 needs the client certificate: cert and key",
            "security_policy",
        )
    if not secured and "security_mode" in f:
        raise ConfigError('security_mode needs security_policy = "Basic256Sha256"', "security_mode")


def _check(key: str, value: object, check: Callable[[object], object]) -> object:
    try:
        return check(value)
    except F.FieldError as exc:
        raise ConfigError(f"{key} {exc}", key) from None


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


@dataclass(frozen=True, slots=True)
class MqttBinding:
    topic: str
    json_path: str | None = None
    time_path: str | None = None
    time_unit: str = "auto"
    qos: int = 0
    scale: float = 1.0
    offset: float = 0.0


@dataclass(frozen=True, slots=True)
class OpcuaBinding:
    node: str
    scale: float = 1.0
    offset: float = 0.0


@dataclass(frozen=True, slots=True)
class ModbusBinding:
    register: int
    kind: str = "holding"
    type: str = "uint16"
    word_order: str = "big"
    unit_id: int = 1
    scale: float = 1.0
    offset: float = 0.0

    @property
    def words(self) -> int:
        return MODBUS_TYPES[self.type]


Binding = MqttBinding | OpcuaBinding | ModbusBinding

_LINEAR = {"connection": F.ident, "scale": F.number, "offset": F.number}
_BINDING: dict[str, dict[str, Callable[[object], object]]] = {
    "mqtt": {
        **_LINEAR,
        "topic": _topic,
        "json_path": _json_path,
        "time_path": _json_path,
        "time_unit": _one_of(TIME_UNITS),
        "qos": _int_in(0, 2),
    },
    "opcua": {**_LINEAR, "node": _node_id},
    "modbus": {
        **_LINEAR,
        "register": _int_in(0, 65535),
        "kind": _one_of(MODBUS_KINDS),
        "type": _one_of(tuple(MODBUS_TYPES)),
        "word_order": _one_of(WORD_ORDERS),
        "unit_id": _int_in(0, 255),
    },
}
_REQUIRED = {"mqtt": "topic", "opcua": "node", "modbus": "register"}


def parse_binding(
    source: Mapping[str, object], connections: Mapping[str, Connection]
) -> Binding | None:
    """Check a signal's ``source`` table against the connection it names.

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
    protocol = connections[conn_id].protocol
    specs = _BINDING[protocol]
    for key in source:
        if key not in specs:
            raise ConfigError(
                f'source: unknown key "{key}" for a {protocol} connection'
                f"{F.did_you_mean(key, specs)}",
                key,
            )
    required = _REQUIRED[protocol]
    if required not in source:
        raise ConfigError(f'source needs {required} = ... for {protocol} connection "{conn_id}"')
    f = {k: _check(f"source.{k}", v, specs[k]) for k, v in source.items() if k != "connection"}
    if protocol == "mqtt":
        if "time_path" in f and "json_path" not in f:
            raise ConfigError("source.time_path needs json_path (a JSON payload)", "time_path")
        if "time_unit" in f and "time_path" not in f:
            raise ConfigError("source.time_unit needs time_path", "time_unit")
        return MqttBinding(**f)  # type: ignore[arg-type]
    if protocol == "opcua":
        return OpcuaBinding(**f)  # type: ignore[arg-type]
    binding = ModbusBinding(**{"unit_id": connections[conn_id].options.get("unit_id", 1), **f})  # type: ignore[arg-type]
    if binding.register + binding.words - 1 > 65535:
        raise ConfigError(f"source.register {binding.register} + {binding.type} runs past 65535")
    return binding


def substitute(text: str, signal: Signal) -> str:
    """Fill ``{asset}`` and ``{key}`` in a topic or node id, so that a template signal can
    bind every asset made from it (``topic = "line1/{asset}/temp"``)."""
    return text.replace("{asset}", signal.asset_id).replace("{key}", signal.key)


def bound_signals(plant_signals: tuple[Signal, ...]) -> list[Signal]:
    """The signals whose source names a connection (the others stay simulated)."""
    return [s for s in plant_signals if "connection" in s.source]
