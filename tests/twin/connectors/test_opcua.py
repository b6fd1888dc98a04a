"""OPC UA connector against a real asyncua server on 127.0.0.1."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

import numpy as np

from tests.plants import asset, build_plant
from tests.twin.connectors import running
from tests.twin.connectors.running import run_source
from tests.twin.connectors.servers import UaServer, wait_until
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Plant
from twin.sources.connections.health import ConnState
from twin.sources.connections.opcua import OpcuaSource
from twin.sources.connections.opcua_browse import browse


def make_plant(server: UaServer, *signals: str, **extra: object) -> Plant:
    signals = signals or (
        f'{{ key = "temp", rate_hz = 10, normal = [0, 100], '
        f'source = {{ connection = "ua", node = "{server.node("M01.Temp")}" }} }}',
        f'{{ key = "current", rate_hz = 10, normal = [0, 100], '
        f'source = {{ connection = "ua", node = "{server.node("M01.Current")}", scale = 2 }} }}',
    )
    ua = {
        "id": "ua",
        "protocol": "opcua",
        "host": "127.0.0.1",
        "port": server.port,
        "path": server.PATH,
        "publishing_interval_ms": 20,
        "reconnect_min_s": 0.05,
        "reconnect_max_s": 0.5,
        "timeout_s": 3,
        **extra,
    }
    return build_plant(
        asset("M01", "motor", *signals), connections=[ua], path=str(Path("/plants/ua.toml"))
    )


def run(plant: Plant, env: dict[str, str] | None = None) -> tuple[PlantRuntime, OpcuaSource]:
    return run_source(plant, OpcuaSource, env)


def wait_connected(source: OpcuaSource, connects: int = 1, timeout: float = 15.0) -> None:
    running.wait_connected(source, connects, timeout)


def series(runtime: PlantRuntime, signal_id: str) -> tuple[np.ndarray, np.ndarray]:
    return runtime.store.snapshot(signal_id, 10_000)


def last(runtime: PlantRuntime, signal_id: str) -> float | None:
    """The newest value (NaN included), or None before the first."""
    v = series(runtime, signal_id)[1]
    return float(v[-1]) if len(v) else None


def last_is(runtime: PlantRuntime, signal_id: str, value: float) -> bool:
    return last(runtime, signal_id) == value


def last_is_nan(runtime: PlantRuntime, signal_id: str) -> bool:
    value = last(runtime, signal_id)
    return value is not None and np.isnan(value)


def test_subscription_delivers_values_with_source_timestamps(ua_server: UaServer) -> None:
    runtime, source = run(make_plant(ua_server))
    try:
        wait_connected(source)
        # The initial values arrive with the subscription.
        wait_until(lambda: len(series(runtime, "M01.current")[0]) >= 1, 5, "initial values")
        assert last(runtime, "M01.current") == 10.0  # 5.0 x scale 2
        # Device time 5 s ahead of ours (whole ms: OPC UA's DateTime is 100 ns, Python's us).
        t_src = (time.time_ns() // 1_000_000) * 1_000_000 + 5_000_000_000
        for i in range(3):
            ua_server.write("M01.Temp", 30.0 + i, source_ns=t_src + i * 100_000_000)
            wait_until(partial(last_is, runtime, "M01.temp", 30.0 + i), 5, f"value {i}")
        t, v = series(runtime, "M01.temp")
        assert v[-3:].tolist() == [30.0, 31.0, 32.0]
        # SourceTimestamp is used, not the arrival time.
        assert t[-3:].tolist() == [t_src, t_src + 100_000_000, t_src + 200_000_000]
        ua_server.write("M01.Temp", 99.0, source_ns=t_src + 300_000_000, good=False)
        wait_until(lambda: last_is_nan(runtime, "M01.temp"), 5, "bad status as NaN")
        snap = source.health.snapshot()
        assert snap.bad.get(ua_server.node("M01.Temp")) == 1
        assert snap.bad_kinds.get("bad_status") == 1
    finally:
        runtime.stop()


def test_server_restart_resubscribes_and_leaves_a_gap(ua_server: UaServer) -> None:
    runtime, source = run(make_plant(ua_server))
    try:
        wait_connected(source)
        ua_server.write("M01.Temp", 41.0)
        wait_until(lambda: last(runtime, "M01.temp") == 41.0, 5, "value before")
        ua_server.stop()
        wait_until(lambda: last_is_nan(runtime, "M01.temp"), 10, "the NaN gap")
        ua_server.start()
        wait_connected(source, connects=2)
        ua_server.write("M01.Temp", 42.0)
        wait_until(lambda: last(runtime, "M01.temp") == 42.0, 5, "value after")
        t, v = series(runtime, "M01.temp")
        assert 41.0 in v.tolist() and np.isnan(v).any()
        assert np.all(np.diff(t) > 0)
    finally:
        runtime.stop()


def test_unknown_node_and_wrong_type_are_counted(ua_server: UaServer) -> None:
    signals = (
        f'{{ key = "temp", rate_hz = 10, normal = [0, 100], '
        f'source = {{ connection = "ua", node = "{ua_server.node("M01.Temp")}" }} }}',
        '{ key = "ghost", rate_hz = 10, normal = [0, 100], '
        'source = { connection = "ua", node = "ns=2;s=No.Such.Node" } }',
        f'{{ key = "name", rate_hz = 10, normal = [0, 100], '
        f'source = {{ connection = "ua", node = "{ua_server.node("M01.Name")}" }} }}',
        f'{{ key = "running", rate_hz = 10, normal = [0, 1], '
        f'source = {{ connection = "ua", node = "{ua_server.node("M01.Running")}" }} }}',
    )
    runtime, source = run(make_plant(ua_server, *signals))
    try:
        wait_connected(source)
        wait_until(lambda: len(series(runtime, "M01.running")[0]) >= 1, 5, "the boolean")
        assert last(runtime, "M01.running") == 1.0
        wait_until(lambda: source.health.snapshot().bad_total >= 2, 5, "the counts")
        snap = source.health.snapshot()
        assert snap.bad["ns=2;s=No.Such.Node"] == 1
        assert snap.bad[ua_server.node("M01.Name")] >= 1
        assert snap.bad_kinds["unknown_node"] == 1 and snap.bad_kinds["wrong_type"] >= 1
        ua_server.write("M01.Temp", 55.0)
        wait_until(lambda: last(runtime, "M01.temp") == 55.0, 5, "the good signal")
    finally:
        runtime.stop()


def test_secured_endpoint_with_user_and_password(
    secure_ua_server: UaServer, ua_certs: dict[str, tuple[Path, Path]]
) -> None:
    cert, key = ua_certs["client"]
    extra = {
        "security_policy": "Basic256Sha256",
        "cert": str(cert),
        "key": str(key),
        "username": "operator",
        "password_env": "TEST_UA_PASSWORD",
    }
    plant = make_plant(secure_ua_server, **extra)
    runtime, source = run(plant, env={"TEST_UA_PASSWORD": "pa55"})
    try:
        wait_connected(source)
        secure_ua_server.write("M01.Temp", 61.0)
        wait_until(lambda: last(runtime, "M01.temp") == 61.0, 5, "the secured value")
    finally:
        runtime.stop()
    entries = browse(
        secure_ua_server.endpoint,
        connection=plant.connections[0],
        env={"TEST_UA_PASSWORD": "pa55"},
    )
    by_id = {e.node_id: e for e in entries}
    temp = by_id[secure_ua_server.node("M01.Temp")]
    assert (temp.display_name, temp.data_type, temp.path) == ("Temp", "Double", "/M01/Temp")
    assert by_id[secure_ua_server.node("M01.Running")].data_type == "Boolean"


def test_wrong_password_gives_a_clear_error(
    secure_ua_server: UaServer, ua_certs: dict[str, tuple[Path, Path]]
) -> None:
    cert, key = ua_certs["client"]
    extra = {
        "security_policy": "Basic256Sha256",
        "cert": str(cert),
        "key": str(key),
        "username": "operator",
        "password_env": "TEST_UA_PASSWORD",
    }
    runtime, source = run(make_plant(secure_ua_server, **extra), env={"TEST_UA_PASSWORD": "nope"})
    try:
        wait_until(lambda: source.health.state is ConnState.FAILED, 15, "the refusal")
        error = source.health.snapshot().last_error or ""
        assert error.startswith(secure_ua_server.endpoint + ": ")
        assert "user 'operator' was rejected" in error and "password" in error
    finally:
        runtime.stop()
