"""The connector parts that need no server: payload mapping, feed, backoff, health."""

from __future__ import annotations

import random

import numpy as np
import pytest

from twin.batch import ChannelGroup
from twin.sources.connections.backoff import Backoff
from twin.sources.connections.feed import SignalFeed
from twin.sources.connections.health import MAX_KEYS, OTHER, ConnectionHealth, ConnState
from twin.sources.connections.payload import FieldMap, PayloadError, TopicMapper, loads, to_ns

S = 1_000_000_000
T0 = 1_750_000_000 * S


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1_750_000_000, "auto", T0),
        (1_750_000_000.25, "auto", T0 + S // 4),
        (1_750_000_000_123, "auto", T0 + 123_000_000),
        (1_750_000_000_123_456, "auto", T0 + 123_456_000),
        (T0 + 7, "auto", T0 + 7),
        ("1750000000", "auto", T0),
        ("2025-06-15T15:06:40Z", "auto", T0),
        ("2025-06-15T17:06:40.5+02:00", "iso", T0 + S // 2),
        ("2025-06-15T15:06:40", "auto", T0),  # naive: UTC
        (1_750_000_000_000, "ms", T0),
        (5, "s", 5 * S),
    ],
)
def test_timestamps_in_every_form(value: object, unit: str, expected: int) -> None:
    assert to_ns(value, unit) == expected


@pytest.mark.parametrize("value", ["yesterday", None, True, float("nan"), [1]])
def test_bad_timestamps(value: object) -> None:
    with pytest.raises(PayloadError) as info:
        to_ns(value)
    assert info.value.kind == "bad_time"


def test_topic_mapper_one_parse_many_fields_and_partial_failure() -> None:
    mapper = TopicMapper(
        [
            FieldMap(0, ("a",), ("ts",)),
            FieldMap(1, ("b", "1"), None, scale=2, offset=1),
            FieldMap(2, ("missing",)),
            FieldMap(3, ("on",)),
        ]
    )
    samples, errors = mapper.map(b'{"ts": 1750000000, "a": 1.5, "b": [0, 3], "on": true}', 42)
    assert samples == [(0, T0, 1.5), (1, 42, 7.0), (3, 42, 1.0)]
    assert [e.kind for e in errors] == ["missing_path"]
    plain = TopicMapper([FieldMap(0, None, scale=10)])
    assert plain.map(b" 2.5\n", 7) == ([(0, 7, 25.0)], ())
    assert plain.map(b"nope", 7)[1][0].kind == "not_a_number"


def test_map_many_reads_each_message_as_map_did() -> None:
    """A batch of one topic's messages gives, per signal, the values and timestamps of
    the messages in order, and every message's errors in order; a bad message or field
    costs only itself."""
    mapper = TopicMapper(
        [
            FieldMap(0, ("a",), ("ts",)),
            FieldMap(1, ("b", "1"), None, scale=2, offset=1),
            FieldMap(2, ("on",)),
        ]
    )
    payloads = [
        b'{"ts": 1750000000, "a": 1.5, "b": [0, 3], "on": true}',
        b"{not json",
        b'{"ts": "soon", "a": 2, "b": [0, 4], "on": false}',  # bad time: only field 0
        b'{"a": NaN, "ts": 1750000001, "b": [0]}',  # NaN is bad data (not allowed)
        '{"a": 3, "ts": "2025-06-15T15:06:42Z", "b": [1, 2], "on": 1}'.encode("utf-16"),
        b'{"a": "x", "b": [0, 5], "on": 2}',
    ]
    recv = [100 + i for i in range(len(payloads))]
    columns, errors = mapper.map_many(payloads, recv)
    got = {index: (ts, vs) for index, ts, vs in columns}
    assert got[0] == ([T0, T0 + 2 * S], [1.5, 3.0])
    assert got[1] == ([100, 102, 104, 105], [7.0, 9.0, 5.0, 11.0])
    assert got[2] == ([100, 102, 104, 105], [1.0, 0.0, 1.0, 2.0])
    kinds = [e.kind for e in errors]
    assert kinds == [
        "not_json",
        "bad_time",
        "non_finite",
        "missing_path",
        "missing_path",
        "wrong_type",
    ]
    # One message at a time gives the same samples.
    one_by_one = [s for p, r in zip(payloads, recv, strict=True) for s in mapper.map(p, r)[0]]
    batched = [(i, t, v) for i, ts, vs in columns for t, v in zip(ts, vs, strict=True)]
    np.testing.assert_array_equal(sorted(one_by_one), sorted(batched))


def test_map_many_plain_numbers() -> None:
    mapper = TopicMapper([FieldMap(0, None), FieldMap(3, None, scale=10, offset=-1)])
    columns, errors = mapper.map_many([b"1.5", b"hot", b" 2\n", b"\xff\xfe", b"-0.5"], range(1, 6))
    assert [(i, ts, vs) for i, ts, vs in columns] == [
        (0, [1, 3, 5], [1.5, 2.0, -0.5]),
        (3, [1, 3, 5], [14.0, 19.0, -6.0]),
    ]
    assert [e.kind for e in errors] == ["not_a_number", "not_a_number"]
    assert "'hot'" in errors[0].detail
    assert mapper.map_many([b"x"], [1])[0] == []


def test_loads_reads_json_or_says_why_not() -> None:
    assert loads(b'{"v": 1e400}') == {"v": float("inf")}
    assert loads('{"v": 1}'.encode("utf-16")) == {"v": 1}
    with pytest.raises(PayloadError) as info:
        loads(b"{nope")
    assert info.value.kind == "not_json" and "{nope" in info.value.detail


def test_feed_takes_columns_as_it_takes_samples() -> None:
    groups = [ChannelGroup("g0", ("s0",), 10.0), ChannelGroup("g1", ("s1",), 10.0)]
    by_sample, by_column = SignalFeed(groups), SignalFeed(groups)
    by_sample.down = by_column.down = False
    by_sample.push([(0, T0 + 2, 2.0), (1, T0 + 1, 5.0), (0, T0 + 1, 1.0)], T0)
    by_column.push_columns([(0, [T0 + 2, T0 + 1], [2.0, 1.0]), (1, [T0 + 1], [5.0])], T0)
    for a, b in zip(by_sample.flush(T0), by_column.flush(T0), strict=True):
        assert a.group == b.group
        assert a.t.tolist() == b.t.tolist() and a.v.tolist() == b.v.tolist()


def test_feed_orders_coalesces_and_marks_gaps() -> None:
    groups = [ChannelGroup("g0", ("s0",), 10.0), ChannelGroup("g1", ("s1",), 10.0)]
    feed = SignalFeed(groups, coalesce_s=0.05, stale_periods=3)
    feed.down = False
    now = T0
    feed.push([(0, now + 30, 3.0), (0, now + 10, 1.0), (0, now + 20, 2.0), (0, now + 20, 2.5)], now)
    (batch,) = feed.flush(now + 1)
    assert batch.group == "g0"
    assert batch.t.tolist() == [now + 10, now + 20, now + 30]
    assert batch.v.tolist() == [[1.0, 2.5, 3.0]]  # a duplicate timestamp keeps the last value
    assert feed.flush(now + 200_000_000) == []  # silent for 2 periods: no gap yet
    (gap,) = feed.flush(now + 301_000_000)  # more than 3 periods (300 ms)
    assert gap.t.tolist() == [now + 31] and np.isnan(gap.v).all()  # right after the last
    assert feed.flush(now + 900_000_000) == []  # one NaN per gap
    feed.push([(1, now + S, 5.0)], now + S)
    feed.down = True  # the link drops: the live signal ends at once
    (b1,) = feed.flush(now + S + 1)
    assert b1.group == "g1" and b1.v[0, 0] == 5.0 and np.isnan(b1.v[0, 1])
    assert b1.t[1] > b1.t[0]


def test_feed_without_staleness_only_gaps_on_disconnect() -> None:
    feed = SignalFeed([ChannelGroup("g", ("s",), 100.0)], stale_periods=0)
    feed.down = False
    feed.push([(0, T0, 1.0)], T0)
    assert len(feed.flush(T0)) == 1
    assert feed.flush(T0 + 3600 * S) == []
    feed.down = True
    assert np.isnan(feed.flush(T0 + 3600 * S)[0].v).all()


def test_feed_re_stamps_a_vouched_steady_value_and_never_loses_a_late_one() -> None:
    feed = SignalFeed([ChannelGroup("g", ("s",), 10.0)], stale_periods=0)
    feed.down = False
    feed.push([(0, T0 - 3600 * S, 4.0)], T0)  # a steady value: it last changed an hour ago
    assert len(feed.flush(T0)) == 1
    assert feed.flush(T0 + S) == []  # silence alone re-stamps nothing
    feed.vouch(T0)
    (held,) = feed.flush(T0 + S)
    assert held.t.tolist() == [T0] and held.v.tolist() == [[4.0]]  # stamped as vouched
    feed.vouch(T0 + 200_000_000)  # alive, but too soon after the last stamp to re-stamp
    assert feed.flush(T0 + S) == []
    feed.vouch(T0 + S)
    (held,) = feed.flush(T0 + S)
    assert held.t.tolist() == [T0 + S] and held.v.tolist() == [[4.0]]
    assert feed.flush(T0 + S) == []  # once per vouch
    # A real change stamped before that re-stamp (it arrived late) is kept, just after it.
    feed.push([(0, T0 + S // 2, 5.0)], T0 + S + 1)
    (late,) = feed.flush(T0 + S + 1)
    assert late.t.tolist() == [T0 + S + 1] and late.v.tolist() == [[5.0]]
    # A device clock ahead of ours: nothing to re-stamp until ours passes its last sample.
    feed.push([(0, T0 + 10 * S, 6.0)], T0 + 2 * S)
    feed.flush(T0 + 2 * S)
    feed.vouch(T0 + 5 * S)
    assert feed.flush(T0 + 5 * S) == []
    feed.vouch(T0 + 11 * S)
    assert [b.t.tolist() for b in feed.flush(T0 + 11 * S)] == [[T0 + 11 * S]]
    feed.down = True  # a lost link ends the value; vouching no longer re-stamps
    assert np.isnan(feed.flush(T0 + 12 * S)[0].v).all()
    feed.vouch(T0 + 13 * S)
    assert feed.flush(T0 + 13 * S) == []


def test_feed_holds_an_old_stamped_value_in_its_first_batch_when_vouched() -> None:
    feed = SignalFeed([ChannelGroup("g", ("s",), 10.0)], stale_periods=0)
    feed.down = False
    feed.vouch(T0 - 250_000_000)  # the notification itself shows the link alive
    feed.push([(0, T0 - 3600 * S, 4.0)], T0)
    (batch,) = feed.flush(T0)
    assert batch.t.tolist() == [T0 - 3600 * S, T0 - 250_000_000]
    assert batch.v.tolist() == [[4.0, 4.0]]
    feed.push([(0, T0 + 50_000_000, 5.0)], T0 + 60_000_000)  # a fresh change: no re-stamp
    feed.vouch(T0 - 190_000_000)
    (fresh,) = feed.flush(T0 + 60_000_000)
    assert fresh.t.tolist() == [T0 + 50_000_000] and fresh.v.tolist() == [[5.0]]


def test_backoff_grows_caps_jitters_and_resets() -> None:
    b = Backoff(0.5, 4.0, jitter=0.25, rng=random.Random(1))
    delays = [b.next() for _ in range(8)]
    caps = [0.5, 1, 2, 4, 4, 4, 4, 4]
    assert all(0.75 * c <= d <= c for d, c in zip(delays, caps, strict=True))
    assert len(set(delays)) == len(delays)  # jittered
    b.reset()
    assert b.next() <= 0.5


def test_health_snapshot_rate_and_bounded_counters() -> None:
    clock = [T0]
    h = ConnectionHealth("c", "mqtt", "mqtt://h:1", clock=lambda: clock[0])
    assert h.snapshot().state is ConnState.CONNECTING
    h.set_state(ConnState.CONNECTED)
    for _ in range(50):
        h.count_messages()
    clock[0] += S
    h.count_messages()
    snap = h.snapshot()
    assert (snap.msgs_per_s, snap.messages, snap.connects) == (50.0, 51, 1)
    for i in range(MAX_KEYS + 5):
        h.bad_payload(f"t/{i}", "not_json", "x")
    snap = h.snapshot()
    assert len(snap.bad) == MAX_KEYS + 1 and snap.bad[OTHER] == 5
    assert snap.bad_kinds == {"not_json": MAX_KEYS + 5}
    h.unknown_source("t/x", 3)
    h.unknown_source("t/x")
    assert h.snapshot().unknown == {"t/x": 4}
    h.set_state(ConnState.RECONNECTING, "mqtt://h:1: gone")
    assert h.snapshot().last_error == "mqtt://h:1: gone"
