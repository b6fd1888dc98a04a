"""The connector-protocol registry: every protocol can parse bindings and build sources,
a half-written one is caught, and a protocol registered alone works in a plant file."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.plants import asset, plant_toml
from twin.plant import fields as F
from twin.plant.loader import PlantError, parse_plant
from twin.plant.model import Connection, Signal
from twin.sources.connections.checks import ConfigError, int_in
from twin.sources.connections.config import default_port, parse_binding
from twin.sources.connections.factory import build_sources, live_bindings, simulated_plant
from twin.sources.connections.registry import (
    ConnectorProtocol,
    protocol,
    protocol_names,
    protocol_problems,
    protocols,
    register_protocol,
    registered_protocol,
    unregister_protocol,
)

ROOT = Path(__file__).resolve().parents[3]
PLANTS = ROOT / "assets" / "plants"


def test_the_builtin_protocols_are_registered_in_message_order() -> None:
    assert protocol_names()[:3] == ("mqtt", "opcua", "modbus")
    assert (default_port("mqtt"), default_port("mqtt", tls=True)) == (1883, 8883)
    assert (default_port("opcua"), default_port("modbus")) == (4840, 502)


def test_every_registered_protocol_has_a_binding_parser_and_a_factory() -> None:
    assert protocol_problems() == []
    for entry in protocols():
        assert callable(entry.binding_parser) and callable(entry.source_factory), entry.name
        assert entry.required_key in entry.binding_keys, entry.name


def test_loading_plants_and_parsing_bindings_imports_no_client_library() -> None:
    # In a fresh interpreter: this session's other tests import the connectors.
    code = (
        "import sys\n"
        "from twin.plant.loader import load_plant\n"
        "from twin.sources.connections.factory import live_bindings\n"
        f"for name in ('mqtt', 'opcua', 'modbus'):\n"
        f"    live_bindings(load_plant(r'{PLANTS}/' + name + '_example.toml'))\n"
        "print(sorted(m for m in ('paho', 'asyncua', 'pymodbus') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


# -- a throwaway protocol -------------------------------------------------------------------------


@dataclass(frozen=True)
class UdpBinding:
    channel: int
    scale: float = 1.0
    offset: float = 0.0


class UdpSource:
    """Stands in for a connector: records what the factory gave it."""

    def __init__(self, connection: Connection, signals: Sequence[Signal], bindings: Sequence[Any]):
        self.connection, self.signals, self.bindings = connection, list(signals), list(bindings)
        self.name = f"test_udp:{connection.id}"

    def groups(self) -> list[object]:
        return []

    def start(self, sink: object) -> None:
        pass

    def stop(self) -> None:
        pass


def _udp_binding(f: dict[str, Any], connection: Connection) -> UdpBinding:
    channels = connection.options.get("channels", 16)
    assert isinstance(channels, int)  # the options table checked it
    if f["channel"] >= channels:
        raise ConfigError(f"source.channel {f['channel']} is beyond the device's channels")
    return UdpBinding(**f)


made: list[UdpSource] = []


def _udp_source(
    connection: Connection,
    signals: Sequence[Signal],
    bindings: Sequence[Any],
    env: Mapping[str, str] | None,
) -> UdpSource:
    made.append(UdpSource(connection, signals, bindings))
    return made[-1]


def _udp(**changes: Any) -> ConnectorProtocol:
    fields: dict[str, Any] = {
        "name": "test_udp",
        "description": "UDP sensor datagrams (tests)",
        "default_port": 9750,
        "options": {"channels": int_in(1, 64), "interface": F.name},
        "not_applicable": frozenset({"tls", "username"}),
        "binding_keys": {"channel": int_in(0, 63)},
        "required_key": "channel",
        "binding_parser": _udp_binding,
        "source_factory": _udp_source,
    }
    return ConnectorProtocol(**{**fields, **changes})


@pytest.fixture
def udp() -> Iterator[ConnectorProtocol]:
    made.clear()
    with registered_protocol(_udp()) as entry:
        yield entry
    assert "test_udp" not in protocol_names()


def _plant(source: str = '{ connection = "sensors", channel = 3, scale = 0.1 }') -> str:
    sensors = {"id": "sensors", "protocol": "test_udp", "host": "10.0.0.9", "channels": 8}
    return plant_toml(
        asset(
            "M1",
            "motor",
            f'{{ key = "winding_temp", rate_hz = 1, normal = [20, 90], source = {source} }}',
            '{ key = "current", rate_hz = 1, normal = [0, 30] }',
        ),
        connections=[sensors],
    )


def test_a_protocol_registered_alone_is_accepted_and_its_bindings_parse(udp) -> None:
    plant = parse_plant(_plant(), "udp.toml")
    conn = plant.connections[0]
    assert (conn.protocol, conn.port, dict(conn.options)) == ("test_udp", 9750, {"channels": 8})
    assert made == []  # loading a plant builds no source
    pairs = live_bindings(plant)["sensors"]
    assert [(s.id, b) for s, b in pairs] == [("M1.winding_temp", UdpBinding(3, scale=0.1))]
    sources = build_sources(plant, env={})
    assert sources == made and len(made) == 1
    assert [s.id for s in made[0].signals] == ["M1.winding_temp"]
    assert made[0].bindings == [UdpBinding(3, scale=0.1)]
    assert [s.id for s in simulated_plant(plant).signals] == ["M1.current"]
    conns = {c.id: c for c in plant.connections}
    assert parse_binding({"connection": "sensors", "channel": 0}, conns) == UdpBinding(0)


@pytest.mark.parametrize(
    ("source", "conn_extra", "expected"),
    [
        (
            '{ connection = "sensors", chanel = 3 }',
            "",
            'source: unknown key "chanel" for a test_udp connection (did you mean "channel"?)',
        ),
        ('{ connection = "sensors" }', "", "source needs channel = ... for test_udp connection"),
        ('{ connection = "sensors", channel = 99 }', "", "source.channel must be an integer"),
        ('{ connection = "sensors", channel = 9 }', "", "source.channel 9 is beyond the device"),
        ("{}", 'username = "x"', '"username" does not apply to protocol "test_udp"'),
        ("{}", "chanels = 3", 'unknown key "chanels" (did you mean "channels"?)'),
    ],
)
def test_its_mistakes_are_located_like_the_builtin_ones(
    udp, source: str, conn_extra: str, expected: str
) -> None:
    text = _plant(source).replace("channels = 8", f"channels = 8\n{conn_extra}")
    with pytest.raises(PlantError) as info:
        parse_plant(text, "udp.toml")
    assert expected in str(info.value)
    assert str(info.value).startswith("udp.toml:")


def test_an_unregistered_protocol_is_refused_with_the_registered_ones_listed() -> None:
    with pytest.raises(
        PlantError, match=r'protocol must be one of mqtt, opcua, modbus, got "test_udp"'
    ):
        parse_plant(_plant(), "udp.toml")


# -- the agreement check ---------------------------------------------------------------------------


def test_the_check_names_a_protocol_without_a_binding_parser() -> None:
    with registered_protocol(_udp(name="test_broken", binding_parser=None)):
        assert protocol_problems() == ['connector protocol "test_broken" has no binding parser']
    with registered_protocol(_udp(name="test_broken", source_factory=None, required_key="chan")):
        problems = protocol_problems()
        assert 'connector protocol "test_broken" has no source factory' in problems
        assert any('"test_broken": its required binding key "chan"' in p for p in problems)
    assert protocol_problems() == []


def test_names_are_unique_and_well_formed() -> None:
    with pytest.raises(ValueError, match='connector protocol "mqtt" is already registered'):
        register_protocol(_udp(name="mqtt"))
    assert protocol("mqtt").default_port == 1883  # the built-in stays
    with pytest.raises(ValueError, match="lower-case"):
        _udp(name="Test UDP")
    with pytest.raises(KeyError, match='no connector protocol "test_udp"'):
        protocol("test_udp")
    with pytest.raises(KeyError, match='connector protocol "test_udp" is not registered'):
        unregister_protocol("test_udp")
