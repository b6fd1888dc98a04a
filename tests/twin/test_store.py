"""SignalStore: sizing, routing, errors, bulk reads and copies."""

from __future__ import annotations

import numpy as np
import pytest

from twin.batch import Batch, ChannelGroup
from twin.store.signal_store import NO_TIME, SignalStore


def groups() -> list[ChannelGroup]:
    return [
        ChannelGroup("temps", ("m1.temp", "m2.temp", "m3.temp"), rate_hz=10.0),
        ChannelGroup("vib", ("m1.vib",), rate_hz=5000.0),
        ChannelGroup("slow", ("m1.energy", "m2.energy"), rate_hz=1 / 3),
        ChannelGroup("idle", ("m9.temp",), rate_hz=0.01),
    ]


def fill(store: SignalStore, group: str, t0: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Append k samples whose value encodes (timestamp, channel)."""
    channels = store.ring(group).channels
    t = np.arange(t0, t0 + k, dtype=np.int64)
    v = (t[None, :] * 10 + np.arange(channels)[:, None]).astype(np.float32)
    assert store.append(Batch(group, t, v)) == k
    return t, v


def test_capacity_is_rate_times_retention() -> None:
    store = SignalStore(groups(), retention_s=600.0)
    assert store.ring("temps").capacity == 6000
    assert store.ring("vib").capacity == 3_000_000
    assert store.ring("slow").capacity == 200  # not 201 from float rounding
    assert store.ring("idle").capacity == 16  # min_capacity
    assert SignalStore(groups()[:1], retention_s=0.05, min_capacity=1).ring("temps").capacity == 1
    assert SignalStore(groups()[:1]).retention_s == 600.0  # the default: ten minutes


def test_structure_and_memory() -> None:
    store = SignalStore(groups(), retention_s=10.0, dtype=np.float64)
    assert store.signal_ids[:4] == ("m1.temp", "m2.temp", "m3.temp", "m1.vib")
    assert [g.key for g in store.groups] == ["temps", "vib", "slow", "idle"]
    assert store.locate("m2.energy") == ("slow", 1) and "m1.vib" in store
    assert store.ring("vib").dtype == np.float64
    assert store.nbytes == sum(store.ring(g.key).nbytes for g in store.groups)
    # 50,000 vibration samples: int64 time + float64 value, both stored twice.
    assert store.ring("vib").nbytes == 50_000 * 2 * (8 + 8)


def test_a_signal_belongs_to_one_group() -> None:
    dup = ChannelGroup("more", ("m4.temp", "m2.temp"), rate_hz=1.0)
    with pytest.raises(ValueError, match=r"'m2\.temp'.*'temps'.*'more'"):
        SignalStore([*groups(), dup])
    with pytest.raises(ValueError, match="'twice'"):
        SignalStore([ChannelGroup("twice", ("a", "a"), 1.0)])
    with pytest.raises(ValueError, match="'temps' is declared twice"):
        SignalStore([groups()[0], groups()[0]])
    with pytest.raises(ValueError, match="'bad'"):
        SignalStore([ChannelGroup("bad", ("x",), 0.0)])


def test_routing_and_errors_name_the_group_or_signal() -> None:
    store = SignalStore(groups(), retention_s=60.0)
    t, v = fill(store, "temps", 100, 5)
    fill(store, "vib", 100, 3)
    got_t, got_v = store.latest("m2.temp", 10)
    np.testing.assert_array_equal(got_t, t)
    np.testing.assert_array_equal(got_v, v[1])
    assert len(store.ring("vib")) == 3 and len(store.ring("slow")) == 0
    with pytest.raises(KeyError, match="'nope'"):
        store.append(Batch("nope", t, v))
    with pytest.raises(ValueError, match="'vib'"):
        store.append(Batch("vib", t, v))
    with pytest.raises(KeyError, match=r"'m7\.temp'"):
        store.latest("m7.temp", 1)
    with pytest.raises(KeyError, match="'nope'"):
        store.ring("nope")
    with pytest.raises(KeyError, match=r"'m7\.temp'"):
        store.latest_values(("m1.temp", "m7.temp"))


def test_single_signal_reads() -> None:
    store = SignalStore(groups(), retention_s=1.0)  # temps holds 16 samples
    _, v = fill(store, "temps", 0, 40)
    wt, wv = store.window("m3.temp", 30, 33)
    np.testing.assert_array_equal(wt, [30, 31, 32, 33])
    np.testing.assert_array_equal(wv, v[2, 30:34])
    st, sv = store.snapshot_window("m3.temp", 30, 33)
    np.testing.assert_array_equal(st, wt)
    np.testing.assert_array_equal(sv, wv)
    assert store.value_at("m1.temp", 35) == 350.0
    assert np.isnan(store.value_at("m1.temp", 3))  # before the retained window
    assert np.isnan(store.value_at("m1.energy", 35))


def test_snapshots_are_independent_copies() -> None:
    store = SignalStore(groups(), retention_s=1.0)
    fill(store, "temps", 0, 10)
    st, sv = store.snapshot("m1.temp", 5)
    before = sv.copy()
    sv[:] = -1.0
    st[:] = -1
    np.testing.assert_array_equal(store.latest("m1.temp", 5)[1], before)
    fill(store, "temps", 10, 30)  # laps the 16-sample ring
    np.testing.assert_array_equal(st, -1)
    view_t, _ = store.latest("m1.temp", 5)
    assert np.shares_memory(view_t, store.ring("temps")._t)
    assert not np.shares_memory(store.snapshot("m1.temp", 5)[0], store.ring("temps")._t)


def test_latest_values_matches_per_signal_reads() -> None:
    store = SignalStore(groups(), retention_s=60.0)
    fill(store, "temps", 0, 7)
    fill(store, "vib", 0, 1000)
    fill(store, "slow", 3, 2)
    rng = np.random.default_rng(0)
    ids = list(store.signal_ids)
    for _ in range(5):
        order = tuple(rng.permutation(ids)[: rng.integers(1, len(ids) + 1)])
        values, times = store.latest_values(order)
        assert values.dtype == np.float64 and times.dtype == np.int64
        for sid, value, t in zip(order, values, times, strict=True):
            if sid == "m9.temp":
                assert np.isnan(value) and t == NO_TIME
                continue
            lt, lv = store.latest(sid, 1)
            assert (value, t) == (lv[0], lt[0])
    # All signals in store order: the fast path without a gather.
    values, times = store.latest_values(store.signal_ids)
    assert values[0] == 60.0 and values[3] == 9990.0 and times[3] == 999
    # Values move on with the data; the cached plan is reused, lists work too.
    fill(store, "temps", 7, 1)
    assert store.latest_values(["m3.temp", "m1.vib"])[0].tolist() == [72.0, 9990.0]
    assert store.latest_values(())[0].shape == (0,)


def test_latest_values_plan_is_cached() -> None:
    store = SignalStore(groups(), retention_s=60.0)
    ids = ("m3.temp", "m1.temp")
    store.latest_values(ids)
    plan = store._last_plan
    assert plan is not None
    store.latest_values(ids)
    assert store._last_plan is plan
    store.latest_values(("m1.vib",))
    store.latest_values(tuple(ids))  # equal tuple, different object: found in the cache
    assert store._last_plan is not None and store._last_plan[1] is plan[1]


def test_totals_version_rejected_invalid() -> None:
    store = SignalStore(groups(), retention_s=60.0)
    assert store.version == 0
    fill(store, "temps", 10, 5)
    v1 = store.version
    fill(store, "vib", 0, 3)
    assert store.version > v1
    t = np.array([5, 20, 20], dtype=np.int64)  # 5 is old, the second 20 a duplicate
    v = np.array([[1.0, np.inf, 2.0]] * 3)
    assert store.append(Batch("temps", t, v)) == 1
    assert store.rejected == 2 and store.invalid == 3
