"""[[connections]] and signal bindings in plant files: parsing, located errors, factory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plants import asset, build_plant
from twin.plant.loader import PlantError, load_plant, parse_plant
from twin.sources.connections.config import (
    ConfigError,
    ModbusBinding,
    MqttBinding,
    OpcuaBinding,
    parse_binding,
    resolve_password,
)
from twin.sources.connections.factory import build_sources, live_bindings, simulated_plant

PLANTS = Path(__file__).resolve().parents[3] / "assets" / "plants"

BASE = """\
[plant]
name = "cfg"

[[areas]]
id = "bay"

[[connections]]
id = "broker"
protocol = "mqtt"
host = "10.1.2.3"
CONN_EXTRA

[[connections]]
id = "plc"
protocol = "modbus"
host = "10.1.2.4"

[[assets]]
id = "M07"
kind = "motor"
area = "bay"
position = [0, 0, 0]

[[assets.signals]]
key = "temp"
rate_hz = 1
normal = [0, 100]
source = SOURCE
"""


def plant(source: str = '{ connection = "broker", topic = "a/b" }', conn_extra: str = ""):
    return parse_plant(BASE.replace("SOURCE", source).replace("CONN_EXTRA", conn_extra), "p.toml")


def error(source: str = '{ connection = "broker", topic = "a/b" }', conn_extra: str = "") -> str:
    with pytest.raises(PlantError) as info:
        plant(source, conn_extra)
    return str(info.value)


@pytest.mark.parametrize("name", ["mqtt", "opcua", "modbus"])
def test_example_plants_load_and_build_one_source_per_connection(name: str) -> None:
    p = load_plant(PLANTS / f"{name}_example.toml")
    assert [c.protocol for c in p.connections] == [name]
    sources = build_sources(p, env={})
    assert len(sources) == 1 and sources[0].name == f"{name}:{p.connections[0].id}"
    live = {s.id for pairs in live_bindings(p).values() for s, _ in pairs}
    assert live and all("connection" in p.signal(sid).source for sid in live)
    # The simulator gets everything else, so no signal ends up in two groups.
    rest = simulated_plant(p)
    assert {s.id for s in rest.signals} == {s.id for s in p.signals} - live


def test_mqtt_example_template_topics_are_filled_per_asset() -> None:
    p = load_plant(PLANTS / "mqtt_example.toml")
    src = build_sources(p)[0]
    assert src.subscriptions == [("line1/#", 1)]  # type: ignore[attr-defined]
    topics = sorted({t for t, _ in src._bindings})  # type: ignore[attr-defined]
    assert topics == ["line1/M01/state", "line1/M02/speed", "line1/M02/state"]
    conn = p.connections[0]
    assert (conn.username, conn.password_env) == ("twindeck", "TWINDECK_MQTT_PASSWORD")


def test_connection_fields_defaults_and_paths() -> None:
    p = plant(conn_extra='tls = true\nca = "certs/ca.pem"')
    conn = p.connections[0]
    assert (conn.port, conn.tls) == (8883, True)  # the TLS default port
    assert conn.ca == str((Path("p.toml").parent / "certs/ca.pem").resolve())
    assert p.connections[1].port == 502
    assert p.signal("M07.temp").source["topic"] == "a/b"


@pytest.mark.parametrize(
    ("conn_extra", "expected"),
    [
        (
            "passwrd_env = 'X'",
            'p.toml:11: connection "broker": unknown key "passwrd_env" '
            '(did you mean "password_env"?)',
        ),
        ('password = "hunter2"', "a password must not be written in the plant file"),
        ('password_env = "not a name"', "password_env must be the NAME of an environment"),
        ("port = 70000", 'p.toml:11: connection "broker": port must be an integer from 1'),
        ('ca = "ca.pem"', "ca needs tls = true"),
        ('subscribe = ["a/#/b"]', "is not a valid topic filter"),
        ('keyring = { service = "s" }', 'keyring must be { service = "...", name = "..." }'),
    ],
)
def test_connection_errors_are_located(conn_extra: str, expected: str) -> None:
    assert expected in error(conn_extra=conn_extra)


def test_bad_protocol_and_duplicate_id() -> None:
    base = BASE.replace("SOURCE", "{}").replace("CONN_EXTRA", "")
    text = base.replace('protocol = "modbus"', 'protocol = "modbis"')
    with pytest.raises(
        PlantError,
        match=r"protocol must be one of mqtt, opcua, modbus, got "
        r'"modbis" \(did you mean "modbus"\?\)',
    ):
        parse_plant(text, "p.toml")
    text = base.replace('id = "plc"', 'id = "broker"')
    with pytest.raises(
        PlantError,
        match=r'p.toml:14: connection "broker": duplicate connection '
        r'id "broker" \(first defined at line 8\)',
    ):
        parse_plant(text, "p.toml")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            '{ connection = "brokr", topic = "a" }',
            'source.connection "brokr" is not declared (did you mean "broker"?)',
        ),
        ('{ topic = "a" }', 'source needs connection = "..." (one of: broker, plc)'),
        (
            '{ connection = "broker", topik = "a" }',
            'source: unknown key "topik" for a mqtt connection (did you mean "topic"?)',
        ),
        ('{ connection = "broker" }', 'source needs topic = ... for mqtt connection "broker"'),
        (
            '{ connection = "broker", topic = "a", qos = 3 }',
            "source.qos must be an integer from 0 to 2, got 3",
        ),
        (
            '{ connection = "broker", topic = "a", time_path = "ts" }',
            "source.time_path needs json_path",
        ),
        (
            '{ connection = "broker", topic = "a", json_path = "data..x" }',
            "source.json_path 'data..x' is not a dotted path",
        ),
        (
            '{ connection = "plc", register = 100, type = "float" }',
            "source.type must be one of int16, uint16, int32, uint32, float32, int64, float64, "
            'got "float"',
        ),
        ('{ connection = "plc", register = -1 }', "source.register must be an integer from 0"),
        ('{ connection = "plc", register = 65535, type = "int32" }', "runs past 65535"),
        (
            '{ connection = "plc", register = 1, kind = "coil" }',
            "source.kind must be one of holding, input",
        ),
        ('{ connection = "plc", topic = "a" }', 'source: unknown key "topic" for a modbus'),
    ],
)
def test_binding_errors_name_file_line_asset_signal_and_field(source: str, expected: str) -> None:
    message = error(source)
    assert message.startswith('p.toml:28: asset "M07", signal "temp": '), message
    assert expected in message


def test_free_form_source_is_kept_in_a_plant_without_connections() -> None:
    temp = {
        "key": "temp",
        "rate_hz": 1,
        "normal": [0, 1],
        "source": {"topic": "x", "scale": [1, 2]},
    }
    p = build_plant(asset("M1", "motor", temp), path="old.toml")
    assert p.connections == () and p.signal("M1.temp").source["topic"] == "x"
    assert build_sources(p) == [] and simulated_plant(p) is p


def test_parse_binding_types() -> None:
    p = plant()
    conns = {c.id: c for c in p.connections}
    assert parse_binding({"connection": "broker", "topic": "t", "qos": 1}, conns) == MqttBinding(
        "t", qos=1
    )
    b = parse_binding({"connection": "plc", "register": 3, "type": "float32"}, conns)
    assert b == ModbusBinding(register=3, type="float32", unit_id=1) and b.words == 2
    opc = parse_plant(
        (PLANTS / "opcua_example.toml").read_text(encoding="utf-8"), "o.toml"
    ).connections
    node = parse_binding({"connection": "line_server", "node": "ns=2;i=7"}, {"line_server": opc[0]})
    assert node == OpcuaBinding("ns=2;i=7")
    with pytest.raises(ConfigError, match="OPC UA node id"):
        parse_binding({"connection": "line_server", "node": "Temp"}, {"line_server": opc[0]})


def test_opcua_security_needs_a_certificate() -> None:
    text = (PLANTS / "opcua_example.toml").read_text(encoding="utf-8")
    text = text.replace('cert = "certs/twindeck-client.der"\n', "").replace(
        'key = "certs/twindeck-client.pem"\n', ""
    )
    with pytest.raises(
        PlantError,
        match=r'connection "line_server": security_policy '
        r"Basic256Sha256 needs the client certificate",
    ):
        parse_plant(text, "o.toml")


def test_passwords_come_from_the_environment() -> None:
    conn = plant(conn_extra='username = "u"\npassword_env = "PW_VAR"').connections[0]
    assert resolve_password(conn, {"PW_VAR": "x"}) == "x"
    with pytest.raises(ConfigError, match="environment variable PW_VAR is not set"):
        resolve_password(conn, {})
    assert resolve_password(plant().connections[0], {}) is None
