"""Fixtures that start real servers on 127.0.0.1 (free ports) and stop them afterwards.

Missing server software skips the tests locally and fails them in CI, which sets
TWINDECK_REQUIRE_SERVERS=1 (see ``servers.skip_or_fail``).

``any_ua_server`` and ``any_modbus_host`` run a test against each implementation of the
protocol: the one the suite is built on (asyncua, pymodbus) and a second, independent one
(open62541 through ``o6``, modbus-tk), the latter in a subprocess per test module.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.twin.connectors.servers import (
    LoopThread,
    ModbusServer,
    Mosquitto,
    Pki,
    UaServer,
    make_opcua_cert,
    make_pki,
    skip_or_fail,
)
from tests.twin.connectors.servers.script import (
    AnyModbusServer,
    AnyUaServer,
    O6UaServer,
    ScriptServer,
    TkModbusServer,
)


def _need(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        skip_or_fail(f"the Python package {module} is not installed")


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Mosquitto]:
    """A fresh anonymous mosquitto broker."""
    _need("paho")
    b = Mosquitto(tmp_path / "mosquitto")
    b.start()
    yield b
    b.stop()


@pytest.fixture
def publisher(broker: Mosquitto) -> Iterator[Any]:
    """A paho client connected to ``broker``, its network loop running."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"pub-{time.time_ns()}")
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    yield client
    client.disconnect()
    client.loop_stop()


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    _need("cryptography")
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def secure_broker(tmp_path: Path, pki: Pki) -> Iterator[Mosquitto]:
    """A broker with user 'twin' / password 's3cret', and a TLS listener that requires a
    client certificate signed by the test CA."""
    _need("paho")
    b = Mosquitto(tmp_path / "mosquitto", users={"twin": "s3cret"}, pki=pki)
    b.start()
    yield b
    b.stop()


@pytest.fixture(scope="module")
def ua_loop() -> Iterator[LoopThread]:
    _need("asyncua")
    loop = LoopThread("test-opcua-server")
    yield loop
    loop.close()


@pytest.fixture
def ua_server(ua_loop: LoopThread) -> Iterator[UaServer]:
    server = UaServer(ua_loop)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def o6_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScriptServer]:
    """The open62541 server script, one process per test module (its unlicensed mode
    ends a process after ten minutes; a module takes well under one)."""
    _need("o6")
    host = ScriptServer("o6_opcua.py", tmp_path_factory.mktemp("o6") / "o6.log")
    yield host
    host.close()


@pytest.fixture(params=["asyncua", "open62541"])
def any_ua_server(request: pytest.FixtureRequest) -> Iterator[AnyUaServer]:
    """The test's OPC UA server, from each stack in turn, started; stopped after."""
    server: AnyUaServer
    if request.param == "asyncua":
        server = UaServer(request.getfixturevalue("ua_loop"))
        server.start()
        yield server
        server.stop()
    else:
        server = O6UaServer(request.getfixturevalue("o6_host"))
        server.start()
        yield server
        server.close()


@pytest.fixture(scope="session")
def ua_certs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    _need("asyncua")
    folder = tmp_path_factory.mktemp("ua-pki")
    return {
        "server": make_opcua_cert(folder, "server", "urn:twindeck:test:server"),
        "client": make_opcua_cert(folder, "client", "urn:twindeck:test:client"),
    }


@pytest.fixture(params=["asyncua", "open62541"])
def any_secure_ua_server(
    request: pytest.FixtureRequest, ua_certs: dict[str, tuple[Path, Path]]
) -> Iterator[AnyUaServer]:
    """An OPC UA server offering Basic256Sha256 with the test certificate and user
    'operator' / password 'pa55' (anonymous refused), from each stack in turn."""
    server: AnyUaServer
    users = {"operator": "pa55"}
    if request.param == "asyncua":
        server = UaServer(
            request.getfixturevalue("ua_loop"), secure=ua_certs["server"], users=users
        )
        server.start()
        yield server
        server.stop()
    else:
        host = request.getfixturevalue("o6_host")
        uri = "urn:twindeck:test:server"  # as in the server's certificate
        server = O6UaServer(host, secure=ua_certs["server"], application_uri=uri, users=users)
        server.start()
        yield server
        server.close()


@pytest.fixture
def secure_only_o6_server(
    o6_host: ScriptServer, ua_certs: dict[str, tuple[Path, Path]]
) -> Iterator[O6UaServer]:
    """An open62541 server with secured endpoints only (Basic256Sha256 and newer), user
    'operator' / password 'pa55': it refuses every unsecured channel, discovery's too."""
    uri = "urn:twindeck:test:server"
    server = O6UaServer(
        o6_host,
        secure=ua_certs["server"],
        application_uri=uri,
        users={"operator": "pa55"},
        secure_only=True,
    )
    server.start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def modbus_loop() -> Iterator[LoopThread]:
    _need("pymodbus")
    loop = LoopThread("test-modbus-server")
    yield loop
    loop.close()


@pytest.fixture(scope="module")
def tk_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScriptServer]:
    """The modbus-tk slave script, one process per test module."""
    _need("modbus_tk")
    host = ScriptServer("tk_modbus.py", tmp_path_factory.mktemp("tk") / "tk.log")
    yield host
    host.close()


@pytest.fixture(params=["pymodbus", "modbus_tk"])
def any_modbus(
    request: pytest.FixtureRequest,
) -> Iterator[Callable[[Mapping[int, int], Mapping[int, int]], AnyModbusServer]]:
    """Starts the test's Modbus server, ``any_modbus(holding, inputs)``, from each
    implementation in turn; unit ids other than 1 go unanswered. Stopped after."""
    made: list[AnyModbusServer] = []

    def make(holding: Mapping[int, int], inputs: Mapping[int, int]) -> AnyModbusServer:
        server: AnyModbusServer
        if request.param == "pymodbus":
            loop = request.getfixturevalue("modbus_loop")
            server = ModbusServer(loop, holding, inputs, silent_units=True)
        else:
            server = TkModbusServer(request.getfixturevalue("tk_host"), holding, inputs)
        server.start()
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop()
