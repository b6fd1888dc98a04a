"""The OPC UA protocol entry: server options, node bindings, and the ``OpcuaSource`` factory.

``source = { connection = "plc", node = "ns=2;s=M01.Temp" }``
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from twin.plant import fields as F
from twin.plant.model import Connection, Signal
from twin.sources.base import Source
from twin.sources.connections.bindings import OPCUA_TYPES, OpcuaBinding
from twin.sources.connections.checks import ConfigError, boolean, one_of, positive
from twin.sources.connections.registry import ConnectorProtocol, register_protocol

# ns=<index>;i|s|g|b=<id>, or nsu=<uri>;..., or a bare i=/s= id in namespace 0.
_NODE_RE = re.compile(r"(?:(?:ns=\d+|nsu=[^;]+);)?[isgb]=.+", re.DOTALL)


def _node_id(value: object) -> str:
    if not isinstance(value, str) or not _NODE_RE.fullmatch(value):
        raise F.FieldError(
            f'must be an OPC UA node id such as "ns=2;s=M01.Temp" or "ns=3;i=1001", '
            f"got {F.show(value)}"
        )
    return value


def _check_connection(f: Mapping[str, Any]) -> None:
    secured = f.get("security_policy", "None") != "None"
    if secured and "cert" not in f:
        raise ConfigError(
            "security_policy Basic256Sha256 needs the client certificate: cert and key",
            "security_policy",
        )
    if not secured and "security_mode" in f:
        raise ConfigError('security_mode needs security_policy = "Basic256Sha256"', "security_mode")


def _binding(f: dict[str, Any], connection: Connection) -> OpcuaBinding:
    return OpcuaBinding(**f)


def _source(
    connection: Connection,
    signals: Sequence[Signal],
    bindings: Sequence[Any],
    env: Mapping[str, str] | None,
) -> Source:
    from twin.sources.connections.opcua import OpcuaSource  # asyncua: only when used

    return OpcuaSource(connection, signals, bindings, env=env)


OPCUA = register_protocol(
    ConnectorProtocol(
        name="opcua",
        description="OPC UA server: one node per signal, by subscription",
        default_port=4840,
        options={
            "path": F.text,
            "publishing_interval_ms": positive,
            "security_policy": one_of(("None", "Basic256Sha256")),
            "security_mode": one_of(("Sign", "SignAndEncrypt")),
            "server_cert": F.name,
            "application_uri": F.name,
            "timeout_s": positive,
            "coalesce_ms": positive,
            "stale_periods": F.non_negative,
            "max_clock_skew_s": positive,
        },
        path_options=("server_cert",),
        # OPC UA secures the channel itself (security_policy), not with TLS.
        not_applicable=frozenset({"tls", "ca"}),
        not_applicable_hint="; use security_policy and server_cert",
        check_connection=_check_connection,
        binding_keys={
            "node": _node_id,
            "type": one_of(OPCUA_TYPES),
            "allow_non_finite": boolean,
        },
        required_key="node",
        binding_parser=_binding,
        source_factory=_source,
    )
)
