"""The alarm journal on SQLite and PostgreSQL: round trip, filters, restarts, the alarm
table as it stood at any time, snapshots, CSV export and health from the journal."""

from __future__ import annotations

import csv
import math
import random
import time
from pathlib import Path

import numpy as np
import pytest

from db import open_history
from db.journal import Journal
from tests.twin.test_alarm_suppression import ND1, Rig, _run_until_lost
from twin.alarms import (
    Action,
    AlarmEngine,
    AlarmEvent,
    AlarmKind,
    AlarmRule,
    AlarmState,
    AlarmStatus,
    AlarmTable,
    Priority,
    apply_event,
)
from twin.batch import Batch, ChannelGroup

S = AlarmState
NS = 1_000_000_000
T0 = 1_750_000_000 * NS
RULES = [
    AlarmRule("m1.temp", "m1", AlarmKind.HH, Priority.HIGH, limit=130.0),
    AlarmRule("m1.temp", "m1", AlarmKind.H, Priority.MEDIUM, limit=110.0, deadband=2.0),
    AlarmRule("m2.volt", "m2", AlarmKind.LL, Priority.CRITICAL, limit=360.0),
    AlarmRule("m2.volt", "m2", AlarmKind.NO_DATA, Priority.LOW, stale_s=3.0),
]
HH, H, LL, ND = (r.alarm_id for r in RULES)


def same_events(a: list[AlarmEvent], b: list[AlarmEvent]) -> bool:
    def key(e: AlarmEvent) -> tuple:
        return (*[getattr(e, f) for f in e.__slots__ if f != "value"], repr(e.value))

    return [key(e) for e in a] == [key(e) for e in b]


def table_with_journal(journal: Journal) -> tuple[AlarmTable, list[AlarmEvent]]:
    table = AlarmTable(RULES, clock=lambda: T0)
    seen: list[AlarmEvent] = []
    table.add_listener(seen.extend)
    table.add_listener(journal.write)
    return table, seen


def process(table: AlarmTable, aid: str, t: int, active: bool, value: float = math.nan) -> None:
    with table.lock:
        table.emit(table.process(table.rules.index(aid), t, active, value))


def scenario(table: AlarmTable) -> None:
    """HH raised at +10 s, acknowledged at +20 s by ann, cleared at +30 s; H shelved."""
    process(table, HH, T0 + 10 * NS, True, 131.5)
    table.acknowledge(HH, "ann", "checking the fan", t=T0 + 20 * NS)
    process(table, HH, T0 + 30 * NS, False, 125.0)
    process(table, H, T0 + 12 * NS, True, 112.0)
    table.shelve(H, "bob", until=T0 + 100 * NS, comment="known", t=T0 + 15 * NS)
    process(table, LL, T0 + 40 * NS, True, 355.0)
    table.remove_from_service(ND, "tech", "cable cut", t=T0 + 41 * NS)


def test_round_trip_and_restart(history_url: str) -> None:
    with open_history(history_url) as h:
        journal = Journal(h)
        table, seen = table_with_journal(journal)
        scenario(table)
        assert journal.flush()
        back = journal.read(T0, T0 + 3600 * NS)
        assert same_events(back, sorted(seen, key=lambda e: e.t))
        journal.close()
        assert journal.last_error is None and journal.written == len(seen)
    with open_history(history_url) as h:  # survives a restart
        journal = Journal(h)
        assert same_events(journal.read(T0, T0 + 3600 * NS), sorted(seen, key=lambda e: e.t))
        live = table.snapshot()
        restored = journal.states_at(T0 + 3600 * NS)
        assert restored.keys() == live.keys() == {H, LL, ND}
        assert all(restored[k].same_as(live[k]) for k in live)
        journal.close()


def test_states_at_before_during_and_after_an_acknowledged_alarm(history_url: str) -> None:
    with open_history(history_url) as h:
        journal = Journal(h)
        table, _ = table_with_journal(journal)
        scenario(table)
        journal.flush()
        assert HH not in journal.states_at(T0 + 9 * NS)  # before: NORMAL
        raised = journal.states_at(T0 + 10 * NS)[HH]
        assert (raised.state, raised.since, raised.acked_by, raised.value) == (
            S.UNACK_ACTIVE, T0 + 10 * NS, None, 131.5,
        )  # fmt: skip
        acked = journal.states_at(T0 + 25 * NS)[HH]
        assert (acked.state, acked.since, acked.raised_at) == (
            S.ACK_ACTIVE,
            T0 + 20 * NS,
            T0 + 10 * NS,
        )
        assert (acked.acked_by, acked.acked_at, acked.comment) == (
            "ann",
            T0 + 20 * NS,
            "checking the fan",
        )
        assert HH not in journal.states_at(T0 + 31 * NS)  # after: NORMAL again
        shelved = journal.states_at(T0 + 31 * NS)[H]
        assert (shelved.state, shelved.shelved_until, shelved.user) == (
            S.SHELVED,
            T0 + 100 * NS,
            "bob",
        )
        assert journal.states_at(T0 + 45 * NS)[ND].state is S.OUT_OF_SERVICE
        journal.close()


def test_filters(history_url: str) -> None:
    with open_history(history_url) as h:
        journal = Journal(h)
        table, _ = table_with_journal(journal)
        scenario(table)
        journal.flush()
        span = (T0, T0 + 3600 * NS)
        assert {e.alarm_id for e in journal.read(*span, alarm_ids=[HH])} == {HH}
        assert {e.alarm_id for e in journal.read(*span, signal_ids=["m2.volt"])} == {LL, ND}
        assert {e.asset_id for e in journal.read(*span, asset_ids=["m1"])} == {"m1"}
        assert {e.kind for e in journal.read(*span, kinds=["LL", AlarmKind.H])} == {
            AlarmKind.LL, AlarmKind.H,
        }  # fmt: skip
        ops = journal.read(*span, actions=[Action.ACK, "shelve", Action.REMOVE])
        assert [(e.action, e.user) for e in ops] == [
            (Action.SHELVE, "bob"), (Action.ACK, "ann"), (Action.REMOVE, "tech"),
        ]  # fmt: skip
        assert {e.user for e in journal.read(*span, users=["ann"])} == {"ann"}
        crit = journal.read(*span, min_priority=Priority.CRITICAL)
        assert [e.alarm_id for e in crit] == [LL]
        assert [e.to_state for e in journal.read(*span, states=[S.NORMAL])] == [S.NORMAL]
        assert len(journal.read(*span, limit=2)) == 2
        assert len(journal.read(*span, alarm_ids=[HH], limit=2)) == 2
        assert journal.read(T0 + 10 * NS, T0 + 11 * NS)[0].t == T0 + 10 * NS  # half-open
        assert journal.read(T0, T0 + 10 * NS) == []
        journal.close()


def random_journal(seed: int, table: AlarmTable, n: int = 300) -> None:
    rng = random.Random(seed)
    t = T0
    for _ in range(n):
        t += rng.randint(0, 3) * NS
        aid = rng.choice([HH, H, LL, ND])
        op = rng.choice(["raise", "clear", "raise", "clear", "ack", "shelve", "unshelve",
                         "remove", "return", "comment", "tick"])  # fmt: skip
        if op in ("raise", "clear"):
            process(table, aid, t, op == "raise", rng.uniform(0, 500))
        elif op == "ack":
            table.acknowledge(aid, rng.choice(["ann", "bob"]), t=t)
        elif op == "shelve":
            table.shelve(aid, "ann", until=t + rng.randint(1, 30) * NS, t=t)
        elif op == "unshelve":
            table.unshelve(aid, "ann", t=t)
        elif op == "remove":
            table.remove_from_service(aid, "tech", t=t)
        elif op == "return":
            table.return_to_service(aid, "tech", t=t)
        elif op == "comment":
            table.comment(aid, "ann", f"note {t}", t=t)
        else:
            table.expire_shelves(t)


@pytest.mark.parametrize("snapshot_every", [1, 7, 10_000])
def test_states_at_any_time_equals_folding_the_events(
    history_url: str, snapshot_every: int
) -> None:
    with open_history(history_url) as h:
        journal = Journal(h, snapshot_every=snapshot_every)
        table, seen = table_with_journal(journal)
        random_journal(snapshot_every, table)
        journal.close()  # also writes a final snapshot
        journal = Journal(h)
        last = max(e.t for e in seen)
        for t in [T0 - 1, *range(T0, last + 2 * NS, NS * 7)]:
            expected: dict[str, AlarmStatus] = {}
            for e in seen:  # in the order written, events with a time <= t
                if e.t <= t:
                    s = apply_event(expected.get(e.alarm_id), e)
                    expected.pop(e.alarm_id, None) if s is None else expected.update(
                        {e.alarm_id: s}
                    )
            got = journal.states_at(t)
            assert got.keys() == expected.keys(), t
            assert all(got[k].same_as(expected[k]) for k in got), t
        now = journal.states_at(last + NS)
        live = table.snapshot()
        assert now.keys() == live.keys() and all(now[k].same_as(live[k]) for k in live)
        journal.close()


def test_a_restarted_journal_continues_the_fold(history_url: str) -> None:
    with open_history(history_url) as h:
        journal = Journal(h, snapshot_every=5)
        table, _ = table_with_journal(journal)
        random_journal(1, table, 40)
        journal.close()
        journal = Journal(h, snapshot_every=5)  # a new session, table restored from it
        table2 = AlarmTable(RULES)
        table2.restore(journal.states_at(T0 + 10**6 * NS))
        table2.add_listener(journal.write)
        random_journal(2, table2, 40)
        journal.close()
        journal = Journal(h)
        now = journal.states_at(T0 + 10**6 * NS)
        live = table2.snapshot()
        assert now.keys() == live.keys() and all(now[k].same_as(live[k]) for k in live)
        journal.close()


def test_resync_records_a_fresh_table(tmp_path: Path) -> None:
    with open_history(tmp_path / "h.twinhist") as h:
        journal = Journal(h)
        table, _ = table_with_journal(journal)
        scenario(table)
        journal.resync({}, T0 + 50 * NS)  # a new session that did not restore: all NORMAL
        journal.close()
        journal = Journal(h)
        assert journal.states_at(T0 + 45 * NS).keys() == {H, LL, ND}
        assert journal.states_at(T0 + 50 * NS) == {}
        journal.close()


def test_export_csv(tmp_path: Path) -> None:
    with open_history(tmp_path / "h.twinhist") as h:
        journal = Journal(h)
        table, _ = table_with_journal(journal)
        scenario(table)
        table.comment(HH, "ann", 'fan "B", replaced\nnext shift', t=T0 + 60 * NS)
        journal.flush()
        out = tmp_path / "alarms.csv"
        assert journal.export_csv(T0, T0 + 3600 * NS, out) == 8
        with open(out, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert not (tmp_path / "alarms.csv.partial").exists()
        assert rows[0]["time_utc"].endswith("Z") and rows[0]["t_ns"] == str(T0 + 10 * NS)
        assert (rows[0]["alarm_id"], rows[0]["action"], rows[0]["to_state"]) == (
            HH, "raise", "UNACK_ACTIVE",
        )  # fmt: skip
        assert rows[0]["value"] == "131.5" and rows[0]["priority"] == "high"
        assert rows[-1]["comment"] == 'fan "B", replaced\nnext shift'
        assert journal.export_csv(T0, T0 + 3600 * NS, out, users=["ann"]) == 2
        journal.close()


def test_health_from_the_journal(tmp_path: Path) -> None:
    with open_history(tmp_path / "h.twinhist") as h:
        journal = Journal(h)
        table, _ = table_with_journal(journal)
        for k in range(4):
            process(table, HH, T0 + k * 10 * NS, True)
            process(table, HH, T0 + k * 10 * NS + NS, False)
        process(table, LL, T0 - 30 * 3600 * NS, True)  # standing since yesterday
        journal.flush()
        rep = journal.health(T0, T0 + 3600 * NS)
        assert rep.annunciated == 4
        assert [c.alarm_id for c in rep.chattering] == [HH]
        assert [(s.alarm_id, s.until) for s in rep.standing] == [(LL, None)]
        journal.close()


def test_engine_to_journal_and_write_never_waits(tmp_path: Path) -> None:
    group = ChannelGroup("g", ("m1.temp", "m2.volt"), 10.0)
    with open_history(tmp_path / "h.twinhist") as h:
        journal = Journal(h)
        engine = AlarmEngine(RULES, [group], start_ns=T0)
        engine.add_listener(journal.write)
        t = T0 + np.arange(2000, dtype=np.int64) * NS // 10
        temp = 100 + 40 * np.sin(np.arange(2000) / 20)  # crosses H and HH again and again
        volt = np.full(2000, 380.0)
        v = np.vstack([temp, volt])
        slowest = 0.0
        for i in range(0, 2000, 10):
            start = time.perf_counter()
            engine.on_batch(Batch("g", t[i : i + 10], v[:, i : i + 10]))
            slowest = max(slowest, time.perf_counter() - start)
        assert journal.flush()
        written = journal.read(T0, T0 + 3600 * NS)
        assert len(written) == journal.written > 40
        assert {e.alarm_id for e in written} == {HH, H}
        assert slowest < 0.05, slowest  # no batch waited for the database
        journal.close()


def test_a_read_only_history_is_readable_but_not_writable(tmp_path: Path) -> None:
    path = tmp_path / "h.twinhist"
    with open_history(path) as h:
        journal = Journal(h)
        table, _ = table_with_journal(journal)
        scenario(table)
        journal.close()
        assert journal.write(journal.read(T0, T0 + 3600 * NS)) is False  # closed
    with open_history(path, read_only=True) as h:
        journal = Journal(h)
        assert len(journal.read(T0, T0 + 3600 * NS)) == 7
        assert journal.states_at(T0 + 3600 * NS).keys() == {H, LL, ND}
        e = journal.read(T0, T0 + 3600 * NS)[0]
        assert journal.write([e]) is False
        journal.close()


def test_a_write_error_stops_the_journal_but_not_the_alarms(tmp_path: Path) -> None:
    with open_history(tmp_path / "h.twinhist") as h:
        journal = Journal(h)
        table, seen = table_with_journal(journal)
        process(table, HH, T0, True)
        assert journal.flush()
        with h.engine.begin() as conn:  # sabotage: the next insert fails
            conn.exec_driver_sql("ALTER TABLE events RENAME TO events_gone")
        process(table, HH, T0 + NS, False)
        assert journal.flush()
        assert journal.last_error is not None and str(h.path) in journal.last_error
        process(table, HH, T0 + 2 * NS, True)  # the table goes on; the journal refuses
        assert len(seen) == 3 and not journal.write(seen[-1:])
        journal.close()


def test_suppression_by_a_lost_connection_is_journaled_and_rebuilt(tmp_path: Path) -> None:
    rig = Rig()
    with open_history(tmp_path / "h.twinhist") as history:
        journal = Journal(history)
        rig.engine.add_listener(journal.write)
        _run_until_lost(rig)
        mid = rig.engine.table.snapshot()
        assert journal.flush()
        t_lost = max(e.t for e in rig.events)
        rig.links["plc1"] = (False, "connected")
        rig.tick(15.0)
        rig.feed("plc1", 15.2)
        assert journal.flush()
        suppressed = journal.read(0, t_lost + 1, actions=[Action.SUPPRESS])
        assert sorted(e.alarm_id for e in suppressed) == sorted(ND1)
        assert all(e.to_state is AlarmState.SUPPRESSED for e in suppressed)
        then = journal.states_at(t_lost)
        assert all(then[a].same_as(mid[a]) for a in ND1)
        after = journal.states_at(rig.engine.table.clock() + 10**12)
        assert not set(ND1) & set(after)
        journal.close()
