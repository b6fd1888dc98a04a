"""The registry of connector protocols: what ``protocol = "..."`` in a plant file's
``[[connections]]`` may name.

A protocol brings its connection options, the keys of a signal's ``source`` table and the
parser that turns them into a typed binding, and the factory of its ``Source``. The
factory imports the protocol's client library only when called, so that loading a plant
(or registering the protocol) needs no client library. The generic parsing lives in
``config``, the building of sources in ``factory``; neither names a protocol.

Importing the ``twin.sources.connections`` package registers the built-in protocols.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from twin.plant.model import Connection, Signal
from twin.sources.base import Source
from twin.sources.connections.checks import Check

# (checked fields of the source table, minus "connection"; the connection) -> binding.
# Raises ConfigError for rules between fields ("time_path needs json_path").
BindingParser = Callable[[dict[str, Any], Connection], object]
# (connection, its signals, their bindings in the same order, environment or None) -> source.
SourceFactory = Callable[
    [Connection, Sequence[Signal], Sequence[Any], Mapping[str, str] | None], Source
]
# Rules between a connection's checked fields; raises ConfigError.
ConnectionCheck = Callable[[Mapping[str, Any]], None]

_NAME_RE = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class ConnectorProtocol:
    """One connector protocol.

    ``options`` are the connection keys of this protocol beyond the common ones (id, host,
    port, tls, credentials, reconnect_*); ``not_applicable`` lists common keys it rejects
    (``not_applicable_hint`` ends that message). ``binding_keys`` are the keys of a
    signal's ``source`` table beyond connection, scale and offset; ``required_key`` must
    be one of them.
    """

    name: str
    description: str
    default_port: int
    options: Mapping[str, Check]
    binding_keys: Mapping[str, Check]
    required_key: str
    binding_parser: BindingParser
    source_factory: SourceFactory
    tls_port: int | None = None  # the default port with tls = true, if it differs
    path_options: tuple[str, ...] = ()  # options that name files (resolved like ca, cert)
    not_applicable: frozenset[str] = frozenset()
    not_applicable_hint: str = ""
    check_connection: ConnectionCheck | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME_RE.fullmatch(self.name):
            raise ValueError(
                f"connector protocol name {self.name!r} must be lower-case letters, digits and _"
            )

    def port(self, tls: bool) -> int:
        """The default port of a connection of this protocol."""
        return self.tls_port if tls and self.tls_port is not None else self.default_port


# Registration order is kept: plant-file messages list the protocols in it.
_PROTOCOLS: dict[str, ConnectorProtocol] = {}


def register_protocol(entry: ConnectorProtocol) -> ConnectorProtocol:
    """Add a protocol and return it; raises ValueError if its name is taken."""
    if not isinstance(entry, ConnectorProtocol):
        raise TypeError(f"register_protocol takes a ConnectorProtocol, got {type(entry).__name__}")
    if entry.name in _PROTOCOLS:
        raise ValueError(
            f'connector protocol "{entry.name}" is already registered; pick another name or '
            "unregister the old one first"
        )
    _PROTOCOLS[entry.name] = entry
    return entry


def unregister_protocol(name: str) -> ConnectorProtocol:
    """Remove the protocol ``name`` (tests, plug-ins being unloaded); returns it."""
    try:
        return _PROTOCOLS.pop(name)
    except KeyError:
        raise KeyError(f'connector protocol "{name}" is not registered') from None


@contextmanager
def registered_protocol(entry: ConnectorProtocol) -> Iterator[ConnectorProtocol]:
    """Register ``entry`` for the duration of a ``with`` block (tests)."""
    register_protocol(entry)
    try:
        yield entry
    finally:
        _PROTOCOLS.pop(entry.name, None)


def protocol(name: str) -> ConnectorProtocol:
    """The registered protocol ``name``; raises KeyError naming the registered ones."""
    found = _PROTOCOLS.get(name)
    if found is None:
        raise KeyError(f'no connector protocol "{name}" (registered: {", ".join(_PROTOCOLS)})')
    return found


def protocols() -> tuple[ConnectorProtocol, ...]:
    """Every registered protocol, in registration order."""
    return tuple(_PROTOCOLS.values())


def protocol_names() -> tuple[str, ...]:
    return tuple(_PROTOCOLS)


def protocol_problems() -> list[str]:
    """What keeps a registered protocol from being used, one message each (empty: none).

    Registration takes any ``ConnectorProtocol``; this is the agreement check a test runs
    over the whole registry, so that a half-written protocol fails the suite, not a plant.
    """
    problems = []
    for entry in _PROTOCOLS.values():
        where = f'connector protocol "{entry.name}"'
        if not callable(entry.binding_parser):
            problems.append(f"{where} has no binding parser")
        if not callable(entry.source_factory):
            problems.append(f"{where} has no source factory")
        if entry.required_key not in entry.binding_keys:
            problems.append(
                f'{where}: its required binding key "{entry.required_key}" is not one of its '
                f"binding keys ({', '.join(entry.binding_keys) or 'none'})"
            )
        if not all(callable(c) for c in (*entry.options.values(), *entry.binding_keys.values())):
            problems.append(f"{where} has an option or binding key without a check")
        if not 1 <= entry.port(False) <= 65535:
            problems.append(f"{where}: default port {entry.default_port} is not a TCP port")
    return problems
