"""Fixtures that start real servers on 127.0.0.1 (free ports) and stop them afterwards.

Missing server software skips the tests locally and fails them in CI, which sets
TWINDECK_REQUIRE_SERVERS=1 (see ``servers.skip_or_fail``).
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.twin.connectors.servers import (
    LoopThread,
    Mosquitto,
    Pki,
    UaServer,
    make_opcua_cert,
    make_pki,
    skip_or_fail,
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


@pytest.fixture(scope="session")
def ua_certs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    _need("asyncua")
    folder = tmp_path_factory.mktemp("ua-pki")
    return {
        "server": make_opcua_cert(folder, "server", "urn:twindeck:test:server"),
        "client": make_opcua_cert(folder, "client", "urn:twindeck:test:client"),
    }


@pytest.fixture
def secure_ua_server(
    ua_loop: LoopThread, ua_certs: dict[str, tuple[Path, Path]]
) -> Iterator[UaServer]:
    server = UaServer(ua_loop, secure=ua_certs["server"], users={"operator": "pa55"})
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def modbus_loop() -> Iterator[LoopThread]:
    _need("pymodbus")
    loop = LoopThread("test-modbus-server")
    yield loop
    loop.close()
