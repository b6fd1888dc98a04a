"""OPC UA connector against real servers on 127.0.0.1: asyncua's, and for the core
behaviour (``any_ua_server``) open62541's as well, a stack written independently."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

import numpy as np

from tests.plants import asset, build_plant
from tests.twin.connectors import running
from tests.twin.connectors.running import run_source
from tests.twin.connectors.servers import UaServer, wait_until
from tests.twin.connectors.servers.script import AnyUaServer, O6UaServer
from twin.alarms.model import Action, AlarmEvent, AlarmKind
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Plant
from twin.sources.connections.factory import build_sources
from twin.sources.connections.health import ConnState
from twin.sources.connections.opcua import OpcuaSource, status_text
from twin.sources.connections.opcua_browse import browse
from twin.status import State, StatusEvaluator

HOUR = 3600 * 1_000_000_000


def make_plant(server: AnyUaServer, *signals: str, **extra: object) -> Plant:
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


def test_subscription_delivers_values_with_source_timestamps(any_ua_server: AnyUaServer) -> None:
    runtime, source = run(make_plant(any_ua_server))
    try:
        wait_connected(source)
        # The initial values arrive with the subscription.
        wait_until(lambda: len(series(runtime, "M01.current")[0]) >= 1, 5, "initial values")
        assert last(runtime, "M01.current") == 10.0  # 5.0 x scale 2
        # Device time 5 s ahead of ours (whole ms: OPC UA's DateTime is 100 ns, Python's us).
        t_src = (time.time_ns() // 1_000_000) * 1_000_000 + 5_000_000_000
        for i in range(3):
            any_ua_server.write("M01.Temp", 30.0 + i, source_ns=t_src + i * 100_000_000)
            wait_until(partial(last_is, runtime, "M01.temp", 30.0 + i), 5, f"value {i}")
        t, v = series(runtime, "M01.temp")
        assert v[-3:].tolist() == [30.0, 31.0, 32.0]
        # SourceTimestamp is used, not the arrival time.
        assert t[-3:].tolist() == [t_src, t_src + 100_000_000, t_src + 200_000_000]
        any_ua_server.write("M01.Temp", 99.0, source_ns=t_src + 300_000_000, good=False)
        wait_until(lambda: last_is_nan(runtime, "M01.temp"), 5, "bad status as NaN")
        snap = source.health.snapshot()
        assert snap.bad.get(any_ua_server.node("M01.Temp")) == 1
        assert snap.bad_kinds.get("bad_status") == 1
    finally:
        runtime.stop()


def test_server_restart_resubscribes_and_leaves_a_gap(any_ua_server: AnyUaServer) -> None:
    runtime, source = run(make_plant(any_ua_server))
    try:
        wait_connected(source)
        any_ua_server.write("M01.Temp", 41.0)
        wait_until(lambda: last(runtime, "M01.temp") == 41.0, 5, "value before")
        any_ua_server.stop()
        wait_until(lambda: last_is_nan(runtime, "M01.temp"), 10, "the NaN gap")
        any_ua_server.start()
        wait_connected(source, connects=2)
        any_ua_server.write("M01.Temp", 42.0)
        wait_until(lambda: last(runtime, "M01.temp") == 42.0, 5, "value after")
        t, v = series(runtime, "M01.temp")
        assert 41.0 in v.tolist() and np.isnan(v).any()
        assert np.all(np.diff(t) > 0)
    finally:
        runtime.stop()


def test_unknown_node_and_wrong_type_are_counted(any_ua_server: AnyUaServer) -> None:
    signals = (
        f'{{ key = "temp", rate_hz = 10, normal = [0, 100], '
        f'source = {{ connection = "ua", node = "{any_ua_server.node("M01.Temp")}" }} }}',
        '{ key = "ghost", rate_hz = 10, normal = [0, 100], '
        'source = { connection = "ua", node = "ns=2;s=No.Such.Node" } }',
        f'{{ key = "name", rate_hz = 10, normal = [0, 100], '
        f'source = {{ connection = "ua", node = "{any_ua_server.node("M01.Name")}" }} }}',
        f'{{ key = "running", rate_hz = 10, normal = [0, 1], '
        f'source = {{ connection = "ua", node = "{any_ua_server.node("M01.Running")}" }} }}',
    )
    runtime, source = run(make_plant(any_ua_server, *signals))
    try:
        wait_connected(source)
        wait_until(lambda: len(series(runtime, "M01.running")[0]) >= 1, 5, "the boolean")
        assert last(runtime, "M01.running") == 1.0
        wait_until(lambda: source.health.snapshot().bad_total >= 2, 5, "the counts")
        snap = source.health.snapshot()
        assert snap.bad["ns=2;s=No.Such.Node"] == 1
        assert snap.bad[any_ua_server.node("M01.Name")] >= 1
        assert snap.bad_kinds["unknown_node"] == 1 and snap.bad_kinds["wrong_type"] >= 1
        # The refusal by its standard name and what to check, never the raw number.
        error = snap.last_error or ""
        assert "ns=2;s=No.Such.Node" in error and "BadNodeIdUnknown" in error
        assert "check the binding's node id" in error and "StatusCode(" not in error
        any_ua_server.write("M01.Temp", 55.0)
        wait_until(lambda: last(runtime, "M01.temp") == 55.0, 5, "the good signal")
    finally:
        runtime.stop()


def test_secured_endpoint_with_user_and_password(
    any_secure_ua_server: AnyUaServer, ua_certs: dict[str, tuple[Path, Path]]
) -> None:
    cert, key = ua_certs["client"]
    extra = {
        "security_policy": "Basic256Sha256",
        "cert": str(cert),
        "key": str(key),
        "username": "operator",
        "password_env": "TEST_UA_PASSWORD",
    }
    plant = make_plant(any_secure_ua_server, **extra)
    runtime, source = run(plant, env={"TEST_UA_PASSWORD": "pa55"})
    try:
        wait_connected(source)
        any_secure_ua_server.write("M01.Temp", 61.0)
        wait_until(lambda: last(runtime, "M01.temp") == 61.0, 5, "the secured value")
    finally:
        runtime.stop()
    entries = browse(
        any_secure_ua_server.endpoint,
        connection=plant.connections[0],
        env={"TEST_UA_PASSWORD": "pa55"},
    )
    by_id = {e.node_id: e for e in entries}
    temp = by_id[any_secure_ua_server.node("M01.Temp")]
    assert (temp.display_name, temp.data_type, temp.path) == ("Temp", "Double", "/M01/Temp")
    assert by_id[any_secure_ua_server.node("M01.Running")].data_type == "Boolean"


def test_wrong_password_gives_a_clear_error(
    any_secure_ua_server: AnyUaServer, ua_certs: dict[str, tuple[Path, Path]]
) -> None:
    cert, key = ua_certs["client"]
    extra = {
        "security_policy": "Basic256Sha256",
        "cert": str(cert),
        "key": str(key),
        "username": "operator",
        "password_env": "TEST_UA_PASSWORD",
    }
    runtime, source = run(
        make_plant(any_secure_ua_server, **extra), env={"TEST_UA_PASSWORD": "nope"}
    )
    try:
        wait_until(lambda: source.health.state is ConnState.FAILED, 15, "the refusal")
        error = source.health.snapshot().last_error or ""
        assert error.startswith(any_secure_ua_server.endpoint + ": ")
        assert "user 'operator' was rejected" in error and "password" in error
    finally:
        runtime.stop()


def test_a_server_with_secured_endpoints_only_is_reached_with_its_certificate_named(
    secure_only_o6_server: O6UaServer, ua_certs: dict[str, tuple[Path, Path]]
) -> None:
    server = secure_only_o6_server
    cert, key = ua_certs["client"]
    extra = {
        "security_policy": "Basic256Sha256",
        "cert": str(cert),
        "key": str(key),
        "username": "operator",
        "password_env": "TEST_UA_PASSWORD",
    }
    env = {"TEST_UA_PASSWORD": "pa55"}
    # Without server_cert the client would read the certificate over an unsecured channel.
    runtime, source = run(make_plant(server, **extra), env=env)
    try:
        wait_until(lambda: source.health.state is ConnState.FAILED, 15, "the refusal")
        error = source.health.snapshot().last_error or ""
        assert "BadSecurityPolicyRejected" in error and "set server_cert" in error
    finally:
        runtime.stop()
    runtime, source = run(make_plant(server, **extra, server_cert=str(ua_certs["server"][0])), env)
    try:
        wait_connected(source)
        server.write("M01.Temp", 62.0)
        wait_until(lambda: last(runtime, "M01.temp") == 62.0, 5, "the secured value")
    finally:
        runtime.stop()


def test_status_codes_show_by_standard_name_with_what_to_check() -> None:
    from asyncua import ua

    text = status_text(ua.StatusCode(ua.UInt32(ua.StatusCodes.BadNodeIdUnknown)))
    assert text.startswith(f"BadNodeIdUnknown (0x{ua.StatusCodes.BadNodeIdUnknown:08X}): ")
    assert "does not exist" in text and "check the binding's node id" in text
    sensor = status_text(ua.StatusCodes.BadSensorFailure)  # an int works as well
    assert sensor.startswith("BadSensorFailure (") and "check the sensor" in sensor
    assert status_text(0x80FF0000).startswith("unknown status (0x80FF0000)")


def test_a_node_id_with_a_namespace_uri_is_resolved_at_connect(any_ua_server: AnyUaServer) -> None:
    node = "nsu=urn:twindeck:test;s=M01.Temp"
    signals = (
        f'{{ key = "temp", rate_hz = 10, normal = [0, 100], '
        f'source = {{ connection = "ua", node = "{node}" }} }}',
        '{ key = "other", rate_hz = 10, normal = [0, 100], '
        'source = { connection = "ua", node = "nsu=urn:not:there;s=M01.Temp" } }',
    )
    runtime, source = run(make_plant(any_ua_server, *signals))
    try:
        wait_connected(source)
        any_ua_server.write("M01.Temp", 33.0)
        wait_until(lambda: last(runtime, "M01.temp") == 33.0, 5, "the value by namespace URI")
        snap = source.health.snapshot()
        assert node not in snap.bad
        assert snap.bad["nsu=urn:not:there;s=M01.Temp"] == 1
        assert "'urn:not:there' is not on the server" in (snap.last_error or "")
        assert "urn:twindeck:test" in (snap.last_error or "")  # what the server has
    finally:
        runtime.stop()


def test_a_monitoring_failure_is_reported_for_its_node_and_the_rest_goes_on(
    ua_server: UaServer,
) -> None:
    from asyncua import ua

    ua_server.fail_monitoring("M01.Current", ua.StatusCodes.BadTooManyMonitoredItems)
    runtime, source = run(make_plant(ua_server))
    try:
        wait_connected(source)
        ua_server.write("M01.Temp", 44.0)
        wait_until(lambda: last(runtime, "M01.temp") == 44.0, 5, "the other node's value")
        snap = source.health.snapshot()
        assert snap.state is ConnState.CONNECTED and snap.connects == 1
        assert snap.bad == {ua_server.node("M01.Current"): 1}
        error = snap.last_error or ""
        assert ua_server.node("M01.Current") in error and "BadTooManyMonitoredItems" in error
        assert "cannot connect" not in error
    finally:
        runtime.stop()


def test_a_steady_value_stays_current_while_the_subscription_is_alive(
    any_ua_server: AnyUaServer,
) -> None:
    # OPC UA sends changes only: a temperature that holds still sends nothing after its
    # initial value. Kept alive by the subscription, it must not turn "no data" (status)
    # nor raise NO_DATA alarms, although 10 Hz means a 2 s stale time.
    # Its source timestamp is when it last changed: an hour ago.
    any_ua_server.write("M01.Temp", 20.0, source_ns=time.time_ns() // 1_000_000 * 1_000_000 - HOUR)
    plant = make_plant(any_ua_server)
    runtime = PlantRuntime(plant, build_sources(plant))
    events: list[AlarmEvent] = []
    runtime.alarms.add_listener(events.extend)
    runtime.connect([runtime.alarm_sink()])
    runtime.start()
    source = runtime.sources[0]
    assert isinstance(source, OpcuaSource)
    evaluator = StatusEvaluator(plant)
    ids = list(evaluator.signal_ids)
    try:
        wait_connected(source)
        both = ("M01.temp", "M01.current")
        wait_until(lambda: all(len(series(runtime, k)[0]) for k in both), 5, "initial values")
        since = time.time_ns()

        def held_for_5_s() -> bool:
            now = time.time_ns()
            runtime.alarms.check_stale(now)
            states = evaluator.signal_states(*runtime.store.values_at(ids, now), now)
            assert (states != State.NO_DATA).all(), states  # at every look, not only the last
            return int(series(runtime, "M01.temp")[0][-1]) - since > 5_000_000_000

        wait_until(held_for_5_s, 15, "the steady value held for 5 s")
        t, v = series(runtime, "M01.temp")
        assert set(v.tolist()) == {20.0}  # the value as it was, re-stamped
        # Known from the connect on, not from the hour-old change; then held.
        assert since - 15_000_000_000 < t[0] < since and np.all(np.diff(t) > 0)
        assert np.diff(t).max() < 2_000_000_000
        assert not [e for e in events if e.kind is AlarmKind.NO_DATA and e.action is Action.RAISE]
        # Kept alive all along: never given up for want of keep-alives (open62541 grants a
        # slower publishing interval than asked, 100 ms for 20).
        assert source.health.snapshot().connects == 1
        any_ua_server.write("M01.Temp", 21.0)  # a change after re-stamps is not lost
        wait_until(lambda: last(runtime, "M01.temp") == 21.0, 5, "the change")
    finally:
        runtime.stop()


def test_a_subscription_the_server_stops_is_recovered(ua_server: UaServer) -> None:
    runtime, source = run(make_plant(ua_server))
    try:
        wait_connected(source)
        wait_until(lambda: last(runtime, "M01.temp") == 20.0, 5, "the initial value")
        ua_server.silence_subscriptions()  # no data, no keep-alive; the session stays up
        ua_server.write("M01.Temp", 23.0)
        wait_until(lambda: last(runtime, "M01.temp") == 23.0, 10, "values again")
        t, v = series(runtime, "M01.temp")
        assert np.all(np.diff(t) > 0) and set(v[np.isfinite(v)].tolist()) == {20.0, 23.0}
    finally:
        runtime.stop()
