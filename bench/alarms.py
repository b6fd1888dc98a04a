"""Alarm engine benchmark: ``python bench/alarms.py``.

8,000 signals with 4 limits each (HH, H, L, LL) plus the default no-data alarm, in
channel groups of 100 to 1,000 signals at 10 Hz, fed as the simulator does: one batch of
10 samples per group per second. Scenarios: "steady" (a random walk inside its limits,
a few crossings), "storm" (every signal swinging across its limits), "roc" (steady plus
a rate-of-change alarm on every signal), "nan" (steady with 1 % NaN samples). Figures are
evaluation throughput in million samples/s (channels x samples per second of CPU) and the
latency of one ``on_batch`` call, from the fastest of several runs (the machine may be
shared); the baseline is a per-sample Python loop of the same limit rules on a subset.
The alarm list: 60,000 alarms in the Qt model and its filter
proxy, the time to load them, to sort by each column and to apply each filter
(``--list`` runs only these). The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import json
import math
import platform
import sys
import time
from collections.abc import Callable, Sequence

import numpy as np

from twin.alarms import (
    Action,
    AlarmEngine,
    AlarmEvent,
    AlarmKind,
    AlarmRule,
    AlarmState,
    AlarmStatus,
    Priority,
)
from twin.batch import Batch, ChannelGroup

NS = 1_000_000_000
T0 = 1_750_000_000 * NS
RATE_HZ = 10.0
K = 10  # samples per batch: 1 s at 10 Hz
GROUP_SIZES = [1000] * 4 + [500] * 4 + [250] * 4 + [100] * 10  # 8,000 signals
ROUNDS = 30  # seconds of plant time per run
RUNS = 7


def make_rules(groups: list[ChannelGroup], roc: bool) -> list[AlarmRule]:
    rules = []
    for g in groups:
        for sid in g.signal_ids:
            asset = sid.split(".")[0]
            for kind, limit in (("HH", 130.0), ("H", 110.0), ("L", 30.0), ("LL", 10.0)):
                rules.append(
                    AlarmRule(
                        sid,
                        asset,
                        AlarmKind(kind),
                        Priority.MEDIUM,
                        limit=limit,
                        deadband=2.0,
                        on_delay_s=0.5,
                    )
                )
            if roc:
                rules.append(AlarmRule(sid, asset, AlarmKind.ROC, Priority.LOW, limit=25.0))
            rules.append(AlarmRule(sid, asset, AlarmKind.NO_DATA, Priority.LOW, stale_s=2.0))
    return rules


def make_groups() -> list[ChannelGroup]:
    groups, n = [], 0
    for i, size in enumerate(GROUP_SIZES):
        groups.append(ChannelGroup(f"g{i}", tuple(f"m{n + c}.temp" for c in range(size)), RATE_HZ))
        n += size
    return groups


def make_batches(groups: list[ChannelGroup], scenario: str, seed: int = 0) -> list[Batch]:
    """ROUNDS seconds of batches, interleaved by group as the simulator emits them."""
    rng = np.random.default_rng(seed)
    n = ROUNDS * K
    t = T0 + np.arange(n, dtype=np.int64) * round(NS / RATE_HZ)
    values = []
    for g in groups:
        c = g.channels
        if scenario == "storm":
            phase = rng.uniform(0, 2 * np.pi, (c, 1))
            v = 70 + 70 * np.sin(np.arange(n) / 7.0 + phase)  # through every limit
        else:
            walk = np.cumsum(rng.normal(0, 0.8, (c, n)), axis=1)
            v = 70 + walk + rng.normal(0, 5, (c, 1))
            v[rng.random(c) < 0.01] += 45  # a few signals sit near or above H
        if scenario == "nan":
            v[rng.random(v.shape) < 0.01] = np.nan
        values.append(v.astype(np.float32))
    return [
        Batch(g.key, t[r * K : (r + 1) * K], v[:, r * K : (r + 1) * K])
        for r in range(ROUNDS)
        for g, v in zip(groups, values, strict=True)
    ]


def run_engine(scenario: str) -> dict[str, float]:
    """Best of RUNS runs (the machine may be shared: the best run measures the code)."""
    groups = make_groups()
    rules = make_rules(groups, roc=scenario == "roc")
    batches = make_batches(groups, "steady" if scenario == "roc" else scenario)
    samples = sum(b.v.size for b in batches)
    sizes = np.array([b.v.shape[0] for b in batches])
    best: tuple[float, np.ndarray, int] | None = None
    for _ in range(RUNS):
        engine = AlarmEngine(rules, groups, start_ns=T0)
        counted = [0]

        def count(evs: Sequence[AlarmEvent], c: list[int] = counted) -> None:
            c[0] += len(evs)

        engine.add_listener(count)
        per_batch = np.empty(len(batches))
        clock = time.perf_counter_ns
        start = clock()
        for i, b in enumerate(batches):
            t0 = clock()
            engine.on_batch(b)
            per_batch[i] = clock() - t0
        total = (clock() - start) / NS
        if best is None or total < best[0]:
            best = (total, per_batch / 1000, counted[0])
    assert best is not None
    total, lat, events = best
    return {
        f"{scenario}_eval_msamples_per_s": samples / total / 1e6,
        f"{scenario}_batch_us_p50": float(np.percentile(lat, 50)),
        f"{scenario}_batch_us_p99": float(np.percentile(lat, 99)),
        f"{scenario}_batch1000_us_p50": float(np.median(lat[sizes == 1000])),
        f"{scenario}_batch100_us_p50": float(np.median(lat[sizes == 100])),
        f"{scenario}_events": float(events),
        **({f"{scenario}_events_per_s": events / total} if scenario == "storm" else {}),
    }


def python_loop(signals: int = 200) -> float:
    """Baseline: the same limit rules checked one sample at a time in Python."""
    groups = make_groups()
    batches = [b for b in make_batches(groups, "steady") if b.group == "g0"]
    limits = [(130.0, 1.0), (110.0, 1.0), (-30.0, -1.0), (-10.0, -1.0)]
    on = round(0.5 * NS)
    state = [[False, -(2**62), False] for _ in range(signals * 4)]
    start = time.perf_counter()
    n = 0
    for b in batches:  # one run: it is ~30x slower than the engine
        t = b.t.tolist()
        for c, row in enumerate(b.v[:signals].tolist()):
            for j, (thr, sign) in enumerate(limits):
                s = state[c * 4 + j]
                for ti, vi in zip(t, row, strict=True):
                    x = sign * vi
                    if math.isnan(x):
                        continue
                    now = True if x > thr else False if x <= thr - 2.0 else s[0]
                    if now != s[0]:
                        s[0], s[1] = now, ti
                    if now and not s[2] and ti - s[1] >= on:
                        s[2] = True
                    elif not now and s[2]:
                        s[2] = False
            n += len(t)
    return n / (time.perf_counter() - start) / 1e6


LIST_ALARMS = 60_000  # 10,000 motors x 6 signals
LIST_RUNS = 3


def list_statuses(n: int = LIST_ALARMS, seed: int = 1) -> dict[str, AlarmStatus]:
    """``n`` alarms in every state and priority, over 10,000 assets in 10 halls."""
    rng = np.random.default_rng(seed)
    states = [s for s in AlarmState if s is not AlarmState.NORMAL]
    kinds = [AlarmKind.HH, AlarmKind.H, AlarmKind.L, AlarmKind.NO_DATA]
    keys = ("current", "voltage", "winding_temp", "bearing_temp", "vibration", "speed")
    out = {}
    for i in range(n):
        asset, sig = f"M{i // 6:05d}", keys[i % 6]
        kind = kinds[int(rng.integers(len(kinds)))]
        state = states[int(rng.integers(len(states)))]
        raised = T0 + int(rng.integers(0, 3600 * NS))
        s = AlarmStatus(
            f"{asset}.{sig}:{kind}",
            f"{asset}.{sig}",
            asset,
            kind,
            Priority(int(rng.integers(1, 5))),
            state,
            raised,
            state is not AlarmState.UNACK_RTN,
            value=float(rng.normal(80, 30)),
            raised_at=raised,
            acked_by="ann" if state is AlarmState.ACK_ACTIVE else None,
            acked_at=raised + NS if state is AlarmState.ACK_ACTIVE else None,
            shelved_until=raised + 3600 * NS if state is AlarmState.SHELVED else None,
        )
        out[s.alarm_id] = s
    return out


def ack_event(s: AlarmStatus) -> AlarmEvent:
    """An operator's acknowledgement of ``s`` (the state an ack leads to)."""
    to = AlarmState.ACK_ACTIVE if s.active else AlarmState.NORMAL
    return AlarmEvent(
        s.since + NS,
        s.alarm_id,
        s.signal_id,
        s.asset_id,
        s.kind,
        Action.ACK,
        s.state,
        to,
        s.priority,
        s.active,
        s.value,
        user="bo",
    )


def alarm_list() -> dict[str, float]:
    """Load, sort by every column and filter 60,000 alarms in the list's model and proxy
    (ms, best of LIST_RUNS; the proxy's own work, as a header click or a keystroke)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QTableView

    from app.alarms.model import AlarmTableModel, Column
    from app.alarms.proxy import AlarmFilterProxy

    app = QApplication.instance() or QApplication(sys.argv[:1])
    statuses = list_statuses()
    areas = {f"M{i:05d}": f"hall{i % 10}" for i in range(LIST_ALARMS // 6)}
    out: dict[str, float] = {}

    def best(name: str, fn: Callable[[], object], setup: Callable[[], object] = lambda: None):
        times = []
        for _ in range(LIST_RUNS):
            setup()
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        out[name] = min(times)

    model = AlarmTableModel()
    proxy = AlarmFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_areas(areas)
    view = QTableView()  # a view on the proxy, as in the window: it answers every change
    view.setModel(proxy)
    view.resize(1200, 600)
    view.show()
    proxy.sort(Column.PRIORITY, Qt.SortOrder.DescendingOrder)
    best("list_load_ms", lambda: model.set_statuses(statuses), lambda: model.set_statuses({}))
    assert proxy.rowCount() == LIST_ALARMS
    for col in Column:
        order = Qt.SortOrder.AscendingOrder
        best(
            f"list_sort_{col.name.lower()}_ms",
            lambda c=col, o=order: proxy.sort(c, o),
            lambda: proxy.sort(Column.PRIORITY, Qt.SortOrder.DescendingOrder),
        )
    filters: dict[str, Callable[[], object]] = {
        "text": lambda: proxy.set_text("m01234"),
        "priority": lambda: proxy.set_priorities([Priority.HIGH]),
        "state": lambda: proxy.set_states([AlarmState.UNACK_ACTIVE, AlarmState.UNACK_RTN]),
        "area": lambda: proxy.set_area("hall3"),
    }

    def clear() -> None:
        proxy.set_text("")
        proxy.set_priorities(None)
        proxy.set_states(None)
        proxy.set_area(None)

    for name, fn in filters.items():
        best(f"list_filter_{name}_ms", fn, clear)
    clear()
    acks = [ack_event(s) for s in list(statuses.values())[::600]]  # 100 acknowledgements
    best(
        "list_update_100_ms",
        lambda: model.apply_events(acks),
        lambda: model.set_statuses(statuses),
    )
    out["list_sort_worst_ms"] = max(v for k, v in out.items() if k.startswith("list_sort_"))
    out["list_filter_worst_ms"] = max(v for k, v in out.items() if k.startswith("list_filter_"))
    view.close()
    model.close()
    del app
    return out


def suppression(n: int = LIST_ALARMS) -> dict[str, float]:
    """A connection carrying ``n`` signals is lost: the engine's raise and suppressions
    (on the GUI thread's alarm tick) and the list taking the events in."""
    from PySide6.QtWidgets import QApplication

    from app.alarms.model import AlarmTableModel
    from app.alarms.proxy import AlarmFilterProxy
    from twin.alarms.rules import connection_rule

    app = QApplication.instance() or QApplication(sys.argv[:1])
    sids = [f"M{i // 6:05d}.s{i % 6}" for i in range(n)]
    rules = [AlarmRule(s, s.split(".")[0], AlarmKind.NO_DATA, Priority.LOW) for s in sids]
    engine = AlarmEngine([*rules, connection_rule("plc")], [], start_ns=T0)
    engine.follow_connections({"plc": sids})
    got: list[AlarmEvent] = []
    engine.add_listener(got.extend)
    t0 = time.perf_counter()
    engine.update_connections({"plc": (True, "refused")}, T0 + NS)
    lose_ms = (time.perf_counter() - t0) * 1000
    model = AlarmTableModel()
    proxy = AlarmFilterProxy()
    proxy.setSourceModel(model)
    t0 = time.perf_counter()
    model.apply_events(got)
    apply_ms = (time.perf_counter() - t0) * 1000
    assert proxy.rowCount() == n + 1
    model.close()
    del app
    return {
        "suppress_60k_engine_ms": lose_ms,
        "suppress_60k_list_ms": apply_ms,
        "suppress_60k_events": float(len(got)),
    }


def main() -> None:
    results: dict[str, float] = {}
    only_list = "--list" in sys.argv  # the alarm list figures alone
    for scenario in () if only_list else ("steady", "storm", "roc", "nan"):
        results.update(run_engine(scenario))
    results.update(alarm_list())
    results.update(suppression())
    if only_list:
        print(json.dumps({k: round(v, 3) for k, v in results.items()}))
        return
    results["python_loop_msamples_per_s"] = python_loop()
    results["steady_vs_python_loop"] = (
        results["steady_eval_msamples_per_s"] / results["python_loop_msamples_per_s"]
    )
    results["eval_msamples_per_s"] = results["steady_eval_msamples_per_s"]
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(
        f"{sum(GROUP_SIZES)} signals x 4 limits + no data, {len(GROUP_SIZES)} groups of "
        f"100-1000 channels x {K} samples; {ROUNDS} s of data, best of {RUNS} runs"
    )
    for key, value in results.items():
        print(f"  {key:36s} {value:12.2f}")
    print(json.dumps({k: round(v, 3) for k, v in results.items()}))


if __name__ == "__main__":
    main()
