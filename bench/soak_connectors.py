"""Connector soak: a generated plant's signals served over MQTT (a real Mosquitto broker, a
publisher process), OPC UA (an asyncua server process) and Modbus TCP (a pymodbus server
process), recorded by TwinDeck's connectors through the real runtime and Recorder into a
SQLite history for ``--minutes``, while the broker and the servers are restarted at random
(seeded): killed (SIGKILL), kept away for a few seconds, started again. An outage runs from
the kill until the new process accepts TCP connections (an asyncua server's start-up
included). The Modbus registers change 5 times slower than the other signals and are
polled at 20 Hz: a polled value must outlast a late poll.

Every value a server produced (each is logged by its producer before it is served) is then
looked up in the history: recorded exactly (the value, and for MQTT and OPC UA its source
timestamp; an OPC UA node's first value in a session is stamped at the session's start,
counted apart), or inside a marked gap (a NaN in the history between the finite samples around
it; for a polled value, logged less than one poll before that gap's last sample) no longer
than the outage it overlaps plus 2 s; anything else is unaccounted. Values
are ``signal index * 100000 + tick``, unique per signal and exact in float32.

Prints figures, then one JSON object last: ``gap_excess_s_max`` (<= 2), ``unaccounted_values``
(0), ``connector_deaths`` (0), ``outages``, ``values_produced``, ``values_recorded``.

    python -m bench.soak_connectors [--minutes 30] [--seed 1] [--signals 8] [--rate 5]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import signal as signals
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bench.soak_serve import serve
from db.engine import open_history
from db.read.reader import HistoryReader
from db.write.recorder import Recorder, RetentionPolicy
from tests.plants import asset, build_plant
from tests.twin.connectors.servers import Mosquitto, free_port, port_open
from twin.ingest.ingestor import Sink
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Plant
from twin.sources.connections.factory import build_sources
from twin.sources.connections.feed import ConnectorSource
from twin.sources.connections.health import ConnState

PROTOCOLS = ("mqtt", "opcua", "modbus")
ASSET = {"mqtt": "MQ01", "opcua": "UA01", "modbus": "MB01"}
EXCESS_S = 2.0
# A polled register must hold each value for many polls: in one busy process a poll may be
# late by a few hundred ms. Modbus values change this many times slower than the others.
MODBUS_SLOWER = 5
NS = 1_000_000_000
POLL_NS = 50_000_000  # the Modbus poll interval (20 Hz)


@dataclass
class Outage:
    protocol: str
    down_ns: int
    up_ns: int

    @property
    def seconds(self) -> float:
        return (self.up_ns - self.down_ns) / NS


@dataclass
class Endpoint:
    """One protocol's server side: what the bench starts, kills and starts again."""

    protocol: str
    port: int
    start: Callable[[], None]
    kill: Callable[[], None]


@dataclass
class Watch:
    """Connector deaths: a source whose thread ended, or that went FAILED, during the run."""

    deaths: set[str] = field(default_factory=set)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self, sources: Sequence[ConnectorSource]) -> None:
        while not self.stop.wait(1.0):
            for s in sources:
                if not s.running or s.health.state is ConnState.FAILED:
                    self.deaths.add(s.name)


def make_plant(ports: dict[str, int], n: int, rate: float) -> Plant:
    """One asset per protocol with ``n`` signals each, every one bound to its server."""
    rows: dict[str, list[str]] = {p: [] for p in PROTOCOLS}
    for i in range(n):
        common = f'key = "s{i}", rate_hz = {rate}, normal = [0, 1e9]'
        rows["mqtt"].append(
            f'{{ {common}, source = {{ connection = "mqtt", topic = "soak/s{i}", '
            'json_path = "v", time_path = "t", time_unit = "ns", qos = 1 } }'
        )
        rows["opcua"].append(
            f'{{ {common}, source = {{ connection = "opcua", node = "ns=2;s=soak.s{i}" }} }}'
        )
        rows["modbus"].append(
            f'{{ {common}, source = {{ connection = "modbus", register = {2 * i}, '
            'type = "uint32" } }'
        )
    host = "127.0.0.1"
    # Default reconnect options throughout: the default backoff is what is soaked.
    connections = [
        {"id": "mqtt", "protocol": "mqtt", "host": host, "port": ports["mqtt"]},
        {"id": "opcua", "protocol": "opcua", "host": host, "port": ports["opcua"]},
        {
            "id": "modbus",
            "protocol": "modbus",
            "host": host,
            "port": ports["modbus"],
            "poll_interval_ms": POLL_NS // 1_000_000,
        },
    ]
    assets = [
        asset(ASSET[p], "motor", *rows[p], position=(4.0 * k, 0, 0))
        for k, p in enumerate(PROTOCOLS)
    ]
    return build_plant(*assets, connections=connections, path="soak.toml")


def child(argv: list[str], log: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "bench.soak_connectors", "--serve", *argv, "--log", str(log)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def endpoints(
    folder: Path, n: int, rate: float, t0: int
) -> tuple[dict[str, Endpoint], subprocess.Popen[bytes]]:
    """The three server sides, and the MQTT publisher (a process that runs all along)."""
    broker = Mosquitto(folder / "mosquitto")
    procs: dict[str, subprocess.Popen[bytes] | None] = {"opcua": None, "modbus": None}
    ports = {"opcua": free_port(), "modbus": free_port()}
    common = ["--signals", str(n), "--t0", str(t0)]
    rates = {"mqtt": rate, "opcua": rate, "modbus": rate / MODBUS_SLOWER}

    def starter(protocol: str) -> Callable[[], None]:
        def start() -> None:
            argv = [protocol, "--port", str(ports[protocol]), "--rate", str(rates[protocol])]
            argv += common
            procs[protocol] = child(argv, folder / f"{protocol}.log")
            wait_port(ports[protocol], procs[protocol])

        return start

    def killer(protocol: str) -> Callable[[], None]:
        def kill() -> None:
            proc = procs[protocol]
            if proc is not None and proc.poll() is None:
                proc.send_signal(signals.SIGKILL)  # a crash, not a clean shutdown
                proc.wait(10)

        return kill

    def broker_kill() -> None:
        if broker.proc is not None and broker.proc.poll() is None:
            broker.proc.send_signal(signals.SIGKILL)
            broker.proc.wait(10)
        broker.proc = None

    eps = {
        "mqtt": Endpoint("mqtt", broker.port, broker.start, broker_kill),
        "opcua": Endpoint("opcua", ports["opcua"], starter("opcua"), killer("opcua")),
        "modbus": Endpoint("modbus", ports["modbus"], starter("modbus"), killer("modbus")),
    }
    for ep in eps.values():
        ep.start()
    argv = ["mqtt", "--port", str(broker.port), "--rate", str(rate), *common]
    publisher = child(argv, folder / "mqtt.log")
    return eps, publisher


def wait_port(port: int, proc: subprocess.Popen[bytes] | None, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not port_open(port):
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"nothing listens on port {port} after {timeout_s} s")
        time.sleep(0.02)


def restart_loop(
    eps: dict[str, Endpoint], rng: random.Random, until: float, every: tuple[float, float],
    away: tuple[float, float], outages: list[Outage], stop: threading.Event,
) -> None:  # fmt: skip
    """Until ``until`` (monotonic): wait a random while, kill a random server, keep it
    away a random while, start it again."""
    while not stop.wait(rng.uniform(*every)):
        protocol = rng.choice(PROTOCOLS)
        seconds = rng.uniform(*away)
        if time.monotonic() + seconds + 10 > until:
            break
        ep = eps[protocol]
        down = time.time_ns()
        ep.kill()
        stop.wait(seconds)
        ep.start()
        outages.append(Outage(protocol, down, time.time_ns()))
        print(f"  {protocol} away {outages[-1].seconds:.1f} s", flush=True)


@dataclass
class Account:
    produced: int = 0
    recorded: int = 0
    in_gaps: int = 0
    restamped: int = 0  # recorded with another time (an OPC UA session's first value)
    unaccounted: int = 0
    gap_excess_s: list[float] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)


def read_produced(path: Path, t_begin: int, t_end: int) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Signal index -> (t ns, value) of the values its producer logged in the window."""
    rows = np.loadtxt(path, dtype=np.int64, ndmin=2) if path.stat().st_size else np.zeros((0, 3))
    rows = rows[(rows[:, 1] >= t_begin) & (rows[:, 1] <= t_end)]
    out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for i in np.unique(rows[:, 0]):
        mine = rows[:, 0] == i
        out[int(i)] = (rows[mine, 1], rows[mine, 2])
    return out


def marked_gaps(t: np.ndarray, v: np.ndarray) -> list[tuple[int, int]]:
    """(last finite before, first finite after) around each run of NaN samples."""
    finite = np.isfinite(v)
    gaps = []
    for k in np.flatnonzero(~finite):
        if k > 0 and finite[k - 1]:
            after = np.flatnonzero(finite[k:])
            end = int(t[k + after[0]]) if len(after) else (2**62)
            gaps.append((int(t[k - 1]), end))
    return gaps


def account(
    protocol: str, produced: dict[int, tuple[np.ndarray, np.ndarray]], reader: HistoryReader,
    outages: list[Outage], t_begin: int, t_end: int, acc: Account,
) -> None:  # fmt: skip
    """Look up every produced value of ``protocol`` in the history (see the module doc)."""
    mine = [o for o in outages if o.protocol == protocol]
    exact_time = protocol != "modbus"  # polled values carry the poll's time
    for i, (tp, vp) in produced.items():
        t, v = reader.read(f"{ASSET[protocol]}.s{i}", t_begin - 60 * NS, t_end + 60 * NS)
        gaps = marked_gaps(t, v)
        for g0, g1 in gaps:
            if g1 < t_begin or g0 > t_end:
                continue
            overlap = [o.seconds for o in mine if o.down_ns < g1 and o.up_ns > g0]
            acc.gap_excess_s.append((g1 - g0) / NS - max(overlap, default=0.0))
        by_value = dict(zip(v.astype(np.float64).tolist(), t.tolist(), strict=True))
        for t_one, v_one in zip(tp.tolist(), vp.tolist(), strict=True):
            acc.produced += 1
            seen = by_value.get(float(np.float32(v_one)))
            if seen is not None:
                acc.recorded += 1
                acc.restamped += int(exact_time and seen != t_one)
                continue
            # A polled value is stamped at the poll that read it; one logged less than a
            # poll before the last read ahead of the outage was never served long enough
            # to be read (its server died first): it belongs to the gap as well.
            early = 0 if exact_time else POLL_NS
            gap = next(((a, b) for a, b in gaps if a - early < t_one < b), None)
            if gap is not None:
                overlap = [o.seconds for o in mine if o.down_ns < gap[1] and o.up_ns > gap[0]]
                if (gap[1] - gap[0]) / NS <= max(overlap, default=0.0) + EXCESS_S:
                    acc.in_gaps += 1
                    continue
            acc.unaccounted += 1
            if len(acc.examples) < 5:
                acc.examples.append(f"{protocol} s{i} value {v_one} at {t_one}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--signals", type=int, default=8, help="signals per protocol")
    parser.add_argument("--rate", type=float, default=5.0,
                        help="values a second of a signal (Modbus: / 5)")  # fmt: skip
    parser.add_argument("--every", type=float, nargs=2, default=(20.0, 90.0),
                        help="seconds between restarts, min max")  # fmt: skip
    parser.add_argument("--away", type=float, nargs=2, default=(2.0, 15.0),
                        help="seconds a server is away, min max")  # fmt: skip
    parser.add_argument("--serve", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    logging.basicConfig(level=logging.WARNING)
    # Each lost session / refused connect is logged by the client libraries as well; the
    # connectors' health has them already.
    logging.getLogger("asyncua").setLevel(logging.CRITICAL)
    logging.getLogger("pymodbus").setLevel(logging.CRITICAL)
    folder = Path(tempfile.mkdtemp(prefix="twindeck-soak-"))
    t0 = time.time_ns() // 1_000_000 * 1_000_000  # whole ms: OPC UA stamps keep microseconds
    eps, publisher = endpoints(folder, args.signals, args.rate, t0)
    plant = make_plant({p: e.port for p, e in eps.items()}, args.signals, args.rate)
    sources = build_sources(plant)
    runtime = PlantRuntime(plant, sources)
    history_path = folder / "soak.twinhist"
    recorder = Recorder.open(history_path, runtime.store.groups, plant, RetentionPolicy(None, None))
    runtime.connect([Sink("history", recorder.offer)])
    runtime.start()
    watch = Watch()
    outages: list[Outage] = []
    stop = threading.Event()
    began = time.monotonic()
    until = began + args.minutes * 60
    try:
        while not all(s.health.state is ConnState.CONNECTED for s in sources):  # type: ignore[attr-defined]
            if time.monotonic() - began > 60:
                raise RuntimeError("the connectors did not all connect within 60 s")
            time.sleep(0.1)
        t_begin = time.time_ns() + 2 * NS
        threading.Thread(target=watch.run, args=(sources,), daemon=True).start()
        print(f"recording {args.minutes:g} min into {history_path}", flush=True)
        restarts = threading.Thread(
            target=restart_loop,
            args=(eps, random.Random(args.seed), until, args.every, args.away, outages, stop),
            daemon=True,
        )
        restarts.start()
        while time.monotonic() < until:
            time.sleep(1.0)
        stop.set()
        restarts.join(60)
        t_end = time.time_ns() - 2 * NS
        time.sleep(1.0)  # the last values through the connectors and into the writer
        watch.stop.set()
    finally:
        runtime.stop()
        recorder.close()
        publisher.send_signal(signals.SIGKILL)
        publisher.wait(10)
        for ep in eps.values():
            ep.kill()
    report(folder, history_path, outages, t_begin, t_end, watch, args)


def report(
    folder: Path, history_path: Path, outages: list[Outage], t_begin: int, t_end: int,
    watch: Watch, args: argparse.Namespace,
) -> None:  # fmt: skip
    history = open_history(history_path, read_only=True)
    reader = HistoryReader(history)
    acc = Account()
    for protocol in PROTOCOLS:
        before = acc.produced, acc.unaccounted
        produced = read_produced(folder / f"{protocol}.log", t_begin, t_end)
        account(protocol, produced, reader, outages, t_begin, t_end, acc)
        n_out = sum(o.protocol == protocol for o in outages)
        print(f"{protocol}: {n_out} outages, {acc.produced - before[0]} values produced, "
              f"{acc.unaccounted - before[1]} unaccounted", flush=True)  # fmt: skip
    history.close()
    excess = max(acc.gap_excess_s, default=0.0)
    print(f"outages: {len(outages)} ({', '.join(f'{o.seconds:.1f}' for o in outages)} s)")
    print(f"values: {acc.produced} produced, {acc.recorded} recorded exactly "
          f"({acc.restamped} at a session's start), {acc.in_gaps} in marked gaps, "
          f"{acc.unaccounted} unaccounted")  # fmt: skip
    print(f"marked gaps: {len(acc.gap_excess_s)}, longest excess over its outage {excess:.2f} s")
    for line in acc.examples:
        print(f"  unaccounted: {line}")
    print(json.dumps({
        "minutes": args.minutes, "seed": args.seed, "signals_per_protocol": args.signals,
        "rate_hz": args.rate, "outages": len(outages),
        "outage_s_max": round(max((o.seconds for o in outages), default=0.0), 2),
        "values_produced": acc.produced, "values_recorded": acc.recorded,
        "values_in_gaps": acc.in_gaps, "unaccounted_values": acc.unaccounted,
        "gap_excess_s_max": round(excess, 3), "connector_deaths": len(watch.deaths),
    }))  # fmt: skip
    if not os.environ.get("TWINDECK_KEEP_SOAK"):  # set it to look at the history and logs
        _remove(folder)


def _remove(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    folder.rmdir()


if __name__ == "__main__":
    main()
