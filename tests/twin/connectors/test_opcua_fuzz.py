"""Fuzzing the OPC UA connection through a real asyncua server: values of wrong variant
types, non-finite numbers, huge strings and byte strings, bad and uncertain status codes,
source timestamps far in the past or future, and arrays where a scalar is bound, between
good values. The server writes them as a lax server would send them (no type check of its
own). The subscription stays up, every good value arrives at its own timestamp, and each
bad one is counted once and ends the node's value with a NaN."""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.twin.connectors.servers import UaServer, wait_until
from tests.twin.connectors.test_opcua import make_plant, run, series, wait_connected
from twin.sources.connections.health import ConnState

SIGNAL = "M01.fuzz"

# (variant, status, source timestamp in ns or None for "now") as the server sends it
Item = tuple[Any, Any, int | None]


def _variant(value: object, kind: str) -> Any:
    from asyncua import ua

    return ua.Variant(value, getattr(ua.VariantType, kind))


def _status(name: str) -> Any:
    from asyncua import ua

    return ua.StatusCode(getattr(ua.StatusCodes, name))


def _far(year: int) -> int:
    return int(dt.datetime(year, 1, 1, tzinfo=dt.UTC).timestamp()) * 1_000_000_000


good_items = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(
        lambda v: (("Double", v), "Good", None)
    ),
    st.integers(-(2**24), 2**24).map(lambda v: (("Int32", v), "Good", None)),
)
wrong_types = st.one_of(
    st.text(max_size=40).map(lambda v: ("String", v)),
    st.binary(max_size=40).map(lambda v: ("ByteString", v)),
    st.integers(100_000, 1_000_000).map(lambda n: ("String", "x" * n)),  # huge
    st.integers(100_000, 1_000_000).map(lambda n: ("ByteString", b"\xff" * n)),
    st.lists(st.floats(width=32), max_size=5).map(lambda v: ("Double", v)),  # an array
    st.just(("DateTime", dt.datetime(2026, 1, 1))),
)
bad_items = st.one_of(
    wrong_types.map(lambda v: (v, "Good", None)),
    st.sampled_from([math.nan, math.inf, -math.inf]).map(lambda v: (("Double", v), "Good", None)),
    st.tuples(
        st.floats(-1e6, 1e6),
        st.sampled_from(["BadSensorFailure", "BadCommunicationError", "UncertainLastUsableValue"]),
    ).map(lambda p: (("Double", p[0]), p[1], None)),
    st.tuples(st.floats(-1e6, 1e6), st.sampled_from([1601, 1900, 1990, 2100, 2262])).map(
        lambda p: (("Double", p[0]), "Good", _far(p[1]))
    ),
)
items = st.lists(
    st.one_of(good_items.map(lambda i: ("good", i)), bad_items.map(lambda i: ("bad", i))),
    min_size=1,
    max_size=8,
)


@dataclass
class Sent:
    """What the server sent so far (after the node's initial value)."""

    good_t: list[int] = field(default_factory=list)
    good_v: list[float] = field(default_factory=list)
    bad: int = 0
    written: int = 0
    last: str = repr(("Double", 0.0, "Good"))  # the node's initial value
    last_good: bool = True  # whether the last value sent was a good one

    def repeats(self, kind: str, vtype: str, value: object, status: str) -> bool:
        """Whether sending this would be no change (the server would send nothing), or a
        good value equal to the good one just before (not told apart from a re-stamp)."""
        key = repr((vtype, value, status))[:200]
        same_good = kind == "good" and self.last_good and float(value) == self._last_value()  # type: ignore[arg-type]
        return key == self.last or same_good

    def _last_value(self) -> float:
        return self.good_v[-1] if self.good_v else 0.0


def raw_write(server: UaServer, name: str, variant: Any, status: Any, stamp_ns: int) -> None:
    """Set the variable's value and notify its monitored items, without the type check of
    asyncua's own write: what a server that checks nothing would send."""
    from asyncua import ua

    # Datetimes of a year outside Python's range cannot be made: stay inside it.
    stamp: Any = dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=stamp_ns // 1000)
    dv = ua.DataValue(variant, StatusCode=status, SourceTimestamp=stamp)
    node_id = server.vars[name].nodeid

    async def write() -> None:
        attval = server.server.iserver.aspace._nodes[node_id].attributes[ua.AttributeIds.Value]
        attval.value, attval.value_callback = dv, None
        for handle, callback in list(attval.datachange_callbacks.items()):
            await callback(handle, dv)

    server.loop.run(write())


def test_fuzzed_values_never_stop_the_subscription_nor_lose_good_values(
    ua_server: UaServer,
) -> None:
    node = ua_server.add_variable("M01", "Fuzz", 0.0)
    row = (
        f'{{ key = "fuzz", rate_hz = 10, normal = [0, 1], '
        f'source = {{ connection = "ua", node = "{node}" }} }}'
    )
    runtime, source = run(make_plant(ua_server, row))
    sent = Sent()
    try:
        wait_connected(source)
        wait_until(lambda: len(series(runtime, SIGNAL)[0]) >= 1, 5, "the initial value")
        start_ns = int(series(runtime, SIGNAL)[0][-1])
        sent.written = source.health.snapshot().messages

        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(items)
        def send_and_check(batch: list[tuple[str, Item]]) -> None:
            for kind, ((vtype, value), status, stamp) in batch:
                if sent.repeats(kind, vtype, value, status):
                    continue
                sent.last, sent.last_good = repr((vtype, value, status))[:200], kind == "good"
                t_ns = stamp
                if t_ns is None:  # a fresh stamp of our clock, in whole ms, increasing
                    last = sent.good_t[-1] if sent.good_t else start_ns
                    t_ns = max(time.time_ns() // 1_000_000, last // 1_000_000 + 1) * 1_000_000
                if kind == "good":
                    sent.good_t.append(t_ns)
                    sent.good_v.append(float(value))
                else:
                    sent.bad += 1
                raw_write(ua_server, "M01.Fuzz", _variant(value, vtype), _status(status), t_ns)
                sent.written += 1
                wait_until(lambda: source.health.snapshot().messages == sent.written, 10, f"{sent}")
            wait_until(lambda: _stored(runtime, start_ns) == sent.good_v, 5, "good values")

        send_and_check()
        t, v = _good_samples(runtime, start_ns)
        assert v.tolist() == sent.good_v and t.tolist() == sent.good_t
        snap = source.health.snapshot()
        assert snap.state is ConnState.CONNECTED and snap.connects == 1 and source.running
        assert snap.bad_total == sent.bad and sent.bad > 0 and sent.good_v
        assert set(snap.bad) == {node}
        assert set(snap.bad_kinds) <= {"wrong_type", "non_finite", "bad_status", "bad_time"}
    finally:
        runtime.stop()


def _good_samples(runtime: Any, start_ns: int) -> tuple[np.ndarray, np.ndarray]:
    """The finite samples after ``start_ns`` that are not re-stamps of the value before
    them (a live subscription re-stamps a steady value every half second)."""
    t, v = series(runtime, SIGNAL)
    fresh = np.ones(len(v), dtype=bool)
    fresh[1:] = v[1:] != v[:-1]  # NaN differs from everything, itself included
    keep = fresh & np.isfinite(v) & (t > start_ns)
    return t[keep], v[keep].astype(np.float64)


def _stored(runtime: Any, start_ns: int) -> list[float]:
    return _good_samples(runtime, start_ns)[1].tolist()
