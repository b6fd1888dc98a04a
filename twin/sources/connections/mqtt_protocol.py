"""The MQTT protocol entry: broker options, topic bindings, and the ``MqttSource`` factory.

``source = { connection = "broker", topic = "line1/{asset}/temp", json_path = "temp" }``
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from twin.plant import fields as F
from twin.plant.model import Connection, Signal
from twin.sources.base import Source
from twin.sources.connections.bindings import MqttBinding
from twin.sources.connections.checks import ConfigError, boolean, int_in, one_of, positive
from twin.sources.connections.payload import TIME_UNITS, parse_path
from twin.sources.connections.registry import ConnectorProtocol, register_protocol


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


def _topic_filters(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise F.FieldError(f"must be a non-empty list of topic filters, got {F.show(value)}")
    return tuple(_topic(v) for v in value)


def _json_path(value: object) -> str:
    text = F.text(value)
    try:
        parse_path(text)
    except ValueError as exc:
        raise F.FieldError(str(exc)) from None
    return text


def _check_connection(f: Mapping[str, Any]) -> None:
    if not f.get("tls", False):
        for key in ("ca", "cert", "key", "tls_insecure"):
            if key in f:
                raise ConfigError(f"{key} needs tls = true", key)


def _binding(f: dict[str, Any], connection: Connection) -> MqttBinding:
    if "time_path" in f and "json_path" not in f:
        raise ConfigError("source.time_path needs json_path (a JSON payload)", "time_path")
    if "time_unit" in f and "time_path" not in f:
        raise ConfigError("source.time_unit needs time_path", "time_unit")
    return MqttBinding(**f)


def _source(
    connection: Connection,
    signals: Sequence[Signal],
    bindings: Sequence[Any],
    env: Mapping[str, str] | None,
) -> Source:
    from twin.sources.connections.mqtt import MqttSource  # paho-mqtt: only when used

    return MqttSource(connection, signals, bindings, env=env)


MQTT = register_protocol(
    ConnectorProtocol(
        name="mqtt",
        description="MQTT 3.1.1/5 broker (Mosquitto, EMQX, ...): one topic per signal",
        default_port=1883,
        tls_port=8883,
        options={
            "client_id": F.name,
            "keepalive_s": int_in(5, 3600),
            # false: the broker keeps the session (and QoS 1 messages) over a reconnect.
            "clean_session": boolean,
            "subscribe": _topic_filters,
            "coalesce_ms": positive,
            "stale_periods": F.non_negative,
            "tls_insecure": boolean,
        },
        check_connection=_check_connection,
        binding_keys={
            "topic": _topic,
            "json_path": _json_path,
            "time_path": _json_path,
            "time_unit": one_of(TIME_UNITS),
            "qos": int_in(0, 2),
            "allow_non_finite": boolean,
        },
        required_key="topic",
        binding_parser=_binding,
        source_factory=_source,
    )
)
