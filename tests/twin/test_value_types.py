"""Signal value types: the plant file's dtype, the binding's default, and the live store
keeping int64 and float64 exactly."""

from __future__ import annotations

import numpy as np
import pytest

from tests.plants import asset, build_plant
from twin.batch import Batch, ChannelGroup
from twin.plant.loader import PlantError
from twin.store.ring import RingBuffer
from twin.store.signal_store import SignalStore
from twin.values import NO_INT, exact_of

PLC = {"id": "plc", "protocol": "modbus", "host": "127.0.0.1"}
OPC = {"id": "opc", "protocol": "opcua", "host": "127.0.0.1"}


def signal(key: str, **fields: object) -> dict[str, object]:
    return {"key": key, "rate_hz": 1, "normal": [0, 1], **fields}


def modbus(key: str, typ: str, dtype: str | None = None, **more: object) -> dict[str, object]:
    named = {} if dtype is None else {"dtype": dtype}
    return signal(key, source={"connection": "plc", "register": 10, "type": typ, **more}, **named)


def test_each_binding_type_gives_its_default_and_the_plant_file_can_name_one() -> None:
    plant = build_plant(
        asset(
            "P1",
            "press",
            modbus("u16", "uint16"),
            modbus("u32", "uint32"),
            modbus("i32", "int32"),
            modbus("i64", "int64"),
            modbus("f32", "float32"),
            modbus("f64", "float64"),
            modbus("scaled", "uint32", scale=0.1),
            modbus("named", "uint16", dtype="int64"),
            signal("opc_int", source={"connection": "opc", "node": "ns=2;s=N", "type": "UInt32"}),
            signal("opc_dbl", source={"connection": "opc", "node": "ns=2;s=D", "type": "Double"}),
            signal("opc_any", source={"connection": "opc", "node": "ns=2;s=A"}),
            signal("sim"),
            signal("sim64", dtype="float64"),
        ),
        connections=[PLC, OPC],
    )
    got = {s.key: s.dtype for s in plant.signals}
    assert got == {
        "u16": "float32",  # 16-bit integers are exact in float32
        "u32": "int64",
        "i32": "int64",
        "i64": "int64",
        "f32": "float32",
        "f64": "float64",
        "scaled": "float64",  # a scaled integer is a fraction
        "named": "int64",
        "opc_int": "int64",
        "opc_dbl": "float64",
        "opc_any": "float32",
        "sim": "float32",
        "sim64": "float64",
    }


def test_a_bad_dtype_names_the_file_line_and_field() -> None:
    with pytest.raises(PlantError) as err:
        build_plant(asset("P1", "press", signal("a"), signal("b", dtype="int32")), path="p.toml")
    e = err.value
    assert e.path == "p.toml" and e.line is not None and 'signal "b"' in e.where
    assert "dtype" in e.reason and "float32, float64, int64" in e.reason.replace('"', "")
    with pytest.raises(PlantError) as err:
        build_plant(
            asset("P1", "press", modbus("c", "uint32", scale=2.0, dtype="int64")),
            connections=[PLC],
            path="p.toml",
        )
    assert err.value.line is not None and err.value.reason.startswith("dtype")
    assert "scale" in err.value.reason


def test_an_int64_ring_keeps_values_above_2_53_and_its_gaps() -> None:
    ring = RingBuffer(8, 1, np.int64)
    big = 2**62 + 1
    ring.append(np.array([1, 2, 3], np.int64), np.array([[big, NO_INT, big + 2]], np.int64))
    ring.append(np.array([4, 5], np.int64), np.array([[np.nan, np.inf]]))  # floats: no value
    _t, v = ring.snapshot(8)
    assert v.tolist() == [[big, NO_INT, big + 2, NO_INT, NO_INT]]
    assert ring.invalid == 1  # the inf; NaN is simply "no value"
    out = np.empty(1)
    assert ring.read_at(3, out) == 3 and out[0] == float(big + 2)
    assert ring.read_at(2, out) == 2 and np.isnan(out[0])


def test_values_at_carries_the_exact_integers_beside_the_floats() -> None:
    store = SignalStore(
        [
            ChannelGroup("e", ("M.energy",), 1.0, "int64"),
            ChannelGroup("x", ("M.pos",), 1.0, "float64"),
            ChannelGroup("f", ("M.temp",), 1.0),
        ],
        retention_s=10,
    )
    t = np.array([10, 20], np.int64)
    store.append(Batch("e", t, np.array([[2**53 + 1, 2**53 + 3]], np.int64)))
    store.append(Batch("x", t, np.array([[0.1, 1e9 + 1e-6]])))
    store.append(Batch("f", t, np.array([[0.1, 20.5]])))
    ids = ("M.temp", "M.energy", "M.pos")
    values, times = store.values_at(ids, 15)
    assert times.tolist() == [10, 10, 10]
    assert exact_of(values, 1) == 2**53 + 1 and exact_of(values, 0) is None
    assert values[0] == np.float32(0.1) and values[2] == 0.1  # float64 not cut to float32
    latest, _ = store.latest_values(ids)
    assert exact_of(latest, 1) == 2**53 + 3 and latest[2] == 1e9 + 1e-6
    assert store.ring("e").dtype == np.int64 and store.ring("f").dtype == np.float32
