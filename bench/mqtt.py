"""MQTT ingest: N messages published at QoS 1 to a local mosquitto started here, received
by the real ``MqttSource`` and carried through the ``Ingestor`` into the ``SignalStore``
and a ``HistoryWriter`` recording into a temporary SQLite file.

The publishers stand in for devices on other machines, so they are made cheap: each is
a separate process that writes pre-encoded MQTT 3.1.1 PUBLISH packets (QoS 1, JSON
``{"v": i, "t": <its clock, ns>}``) over a plain socket, up to 1,000 unacknowledged, and
counts the broker's PUBACKs; it speaks only those few packets. (paho publishers cost
about as much CPU per message as the receiver, and on this 2-core machine they capped
the figure at their own rate rather than the receiver's.) The receiving side is
unchanged by this: it is the app's connector on paho-mqtt.

Two runs: ``live``, the publishers start once the source is connected and publish while
it receives (publishers, broker and receiver share the cores); ``backlog``, everything is
published first into the source's persistent session and then drained (the receiving
side alone). Reports the sustained receive rate (first to last message,
``mqtt_msgs_per_s`` for live, ``mqtt_drain_msgs_per_s`` for backlog) and the messages
lost (``loss``: published values missing from the store; must be 0 at QoS 1), checked
against the recorded history as well. Prints lines, then one JSON object last.

    python -m bench.mqtt [--messages 200000] [--signals 20] [--publishers 2]
"""

from __future__ import annotations

import argparse
import getpass
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from db import HistoryReader, HistoryWriter, open_history
from twin.ingest.runtime import PlantRuntime
from twin.plant.loader import parse_plant
from twin.sources.connections.factory import build_sources
from twin.sources.connections.mqtt import MqttSource

PUBLISHER = r"""
import socket, sys, time
port, n, signals, first, step = map(int, sys.argv[1:6])
WINDOW = 1000  # QoS 1 messages in flight (unacknowledged); message ids are 16 bit
CHUNK = 100  # messages encoded and written per send

def varint(x):  # MQTT's remaining length
    out = bytearray()
    while True:
        b, x = x & 0x7F, x >> 7
        out.append(b | (0x80 if x else 0))
        if not x:
            return bytes(out)

def packet(kind, body):
    return bytes([kind]) + varint(len(body)) + body

def string(s):
    b = s.encode()
    return len(b).to_bytes(2, "big") + b

sock = socket.create_connection(("127.0.0.1", port))
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
# CONNECT, MQTT 3.1.1, clean session, no keep-alive; the broker answers CONNACK 0.
sock.sendall(packet(0x10, string("MQTT") + bytes([4, 0x02, 0, 0]) + string(f"bench-pub-{first}")))
connack = b""
while len(connack) < 4:
    connack += sock.recv(4 - len(connack))
assert connack == b"\x20\x02\x00\x00", connack
topics = [string(f"bench/s{i}") for i in range(signals)]
# This process publishes messages first, first + step, ...; each topic belongs to one
# process (signals is a multiple of step), so every topic's timestamps increase.
mine = range(first, n, step)
sent = acked = 0
acks = b""
start = time.perf_counter()
while acked < len(mine):
    room = min(WINDOW - (sent - acked), CHUNK, len(mine) - sent)
    if room > 0:
        out = bytearray()
        for k in range(sent, sent + room):
            i = mine[k]
            # Stamped like a device would: its own clock at publishing.
            payload = b'{"v": %d, "t": %d}' % (i, time.time_ns())
            # PUBLISH at QoS 1: topic, message id, payload.
            out += packet(0x32, topics[i % signals] + (k % 65535 + 1).to_bytes(2, "big") + payload)
        sock.sendall(out)
        sent += room
    # The only packets the broker sends now are PUBACKs, four bytes each. Wait for them
    # only when the window is full (or all is sent).
    full = sent - acked >= WINDOW or sent == len(mine)
    try:
        data = sock.recv(65536, 0 if full else socket.MSG_DONTWAIT)
    except BlockingIOError:
        continue
    if not data:
        raise SystemExit("the broker closed the connection")
    acks += data
    acked += len(acks) // 4
    acks = acks[len(acks) // 4 * 4 :]
print('{"publish_s": %f}' % (time.perf_counter() - start), flush=True)
sock.sendall(b"\xe0\x00")  # DISCONNECT
sock.close()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_mosquitto(folder: Path, port: int) -> subprocess.Popen[bytes]:
    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    conf = folder / "mosquitto.conf"
    conf.write_text(
        f"user {getpass.getuser()}\nlistener {port} 127.0.0.1\nallow_anonymous true\n"
        "persistence false\n"
        # A subscriber that falls behind must not lose QoS 1 messages to the queue limit
        # (default 1000), and a 20-message in-flight window would cap the rate by latency.
        "max_queued_messages 0\nmax_inflight_messages 1000\n"
        f"log_dest file {folder / 'mosquitto.log'}\n"
    )
    proc = subprocess.Popen([binary, "-c", str(conf)], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("mosquitto did not start") from None
            time.sleep(0.01)


def plant_text(port: int, signals: int, rate_hz: float) -> str:
    rows = "\n".join(
        f'  {{ key = "s{i}", rate_hz = {rate_hz:g}, normal = [0, 1], source = {{ connection = '
        f'"b", topic = "bench/s{i}", json_path = "v", time_path = "t", time_unit = "ns", '
        f"qos = 1 }} }},"
        for i in range(signals)
    )
    return f"""
[plant]
name = "mqtt bench"
[[areas]]
id = "bay"
[[connections]]
id = "b"
protocol = "mqtt"
host = "127.0.0.1"
port = {port}
client_id = "bench-sub"
[[assets]]
id = "M"
kind = "motor"
area = "bay"
position = [0, 0, 0]
signals = [
{rows}
]
"""


def publish_all(
    port: int, messages: int, signals: int, publishers: int
) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                PUBLISHER,
                str(port),
                str(messages),
                str(signals),
                str(k),
                str(publishers),
            ],
            stdout=subprocess.PIPE,
        )
        for k in range(publishers)
    ]


def publish_seconds(pubs: list[subprocess.Popen[bytes]]) -> float:
    return max(
        json.loads(p.communicate(timeout=300)[0].decode().strip().splitlines()[-1])["publish_s"]
        for p in pubs
    )


def make_session(port: int) -> None:
    """Open the subscriber's persistent session (what the source will resume) and leave,
    so that the broker queues the QoS 1 messages published before the source connects."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-sub", clean_session=False)
    c.connect("127.0.0.1", port)
    info = c.subscribe("bench/#", qos=1)
    deadline = time.monotonic() + 10
    while info[0] == 0 and time.monotonic() < deadline:
        c.loop(0.05)
    for _ in range(10):
        c.loop(0.05)  # the SUBACK
    c.disconnect()


def run(
    messages: int, signals: int, publishers: int, folder: Path, backlog: bool
) -> dict[str, object]:
    """``backlog``: publish everything first, then start the source and time how fast it
    drains the broker's queue (the receiving side alone). Otherwise the publishers run
    while the source receives (both sides share the machine's cores)."""
    if signals % publishers:
        raise ValueError("signals must be a multiple of publishers (one publisher per topic)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    broker = start_mosquitto(folder, port)
    try:
        publish_s = None
        if backlog:
            make_session(port)
            publish_s = publish_seconds(publish_all(port, messages, signals, publishers))
        # Rate per signal such that the ring holds every message (retention 60 s).
        rate = max(1.0, math.ceil(messages / signals / 60) * 1.1)
        plant = parse_plant(plant_text(port, signals, rate), "bench.toml")
        sources = build_sources(plant)
        source = sources[0]
        assert isinstance(source, MqttSource)
        runtime = PlantRuntime(plant, sources, retention_s=60)
        history = open_history(folder / "bench.twinhist")
        writer = HistoryWriter(history, runtime.store.groups, plant=plant)
        runtime.ingestor.add_sink(writer.offer)
        runtime.start()
        deadline = time.monotonic() + 10
        while source.health.snapshot().state != "connected":
            if time.monotonic() > deadline:
                raise RuntimeError(f"source did not connect: {source.health.snapshot()}")
            time.sleep(0.01)
        pubs = [] if backlog else publish_all(port, messages, signals, publishers)
        first = last = None
        cpu0 = time.process_time()
        seen = 0
        deadline = time.monotonic() + max(60.0, messages / 2000)
        while seen < messages and time.monotonic() < deadline:
            seen = source.health.snapshot().messages
            now = time.perf_counter()
            if seen and first is None:
                first = now
            last = now
            time.sleep(0.002)
        cpu = time.process_time() - cpu0
        if not backlog:
            publish_s = publish_seconds(pubs)
        runtime.stop()  # flushes the feed into the store and the writer
        writer.close()
        values = np.concatenate(
            [runtime.store.snapshot(f"M.s{i}", messages)[1] for i in range(signals)]
        )
        got = np.unique(values[np.isfinite(values)].astype(np.int64))
        reader = HistoryReader(history)
        recorded = sum(
            int(np.isfinite(reader.read(f"M.s{i}", 0, 2**62)[1]).sum()) for i in range(signals)
        )
        history.close()
        elapsed = (last or 0.0) - (first or 0.0)
        snap = source.health.snapshot()
        return {
            "messages": messages,
            "signals": signals,
            "publishers": publishers,
            "received": snap.messages,
            "mqtt_msgs_per_s": messages / elapsed if elapsed > 0 else 0.0,
            "loss": messages - int(got.size),
            "history_loss": messages - recorded,
            "publish_msgs_per_s": messages / (publish_s or math.inf),
            "cpu_per_wall": cpu / elapsed if elapsed > 0 else 0.0,
            "ingest_batches": runtime.ingestor.batches_in,
            "ingest_dropped_batches": runtime.ingestor.dropped_batches,
            "bad_payloads": snap.bad_total,
            "seconds": elapsed,
        }
    finally:
        broker.terminate()
        broker.wait(10)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=200_000)
    ap.add_argument("--signals", type=int, default=20)
    ap.add_argument("--publishers", type=int, default=2, help="publishing processes")
    args = ap.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory(prefix="twindeck-mqtt-bench-") as d:
        for mode in ("live", "backlog"):
            r = run(args.messages, args.signals, args.publishers, Path(d) / mode, mode == "backlog")
            results[mode] = r
            print(
                f"{mode}: received {r['received']:,} of {r['messages']:,} QoS 1 messages on "
                f"{r['signals']} topics in {r['seconds']:.2f} s: {r['mqtt_msgs_per_s']:,.0f} "
                f"msg/s sustained (target >= 20,000); {r['publishers']} publisher process(es) "
                f"{r['publish_msgs_per_s']:,.0f} msg/s"
            )
            print(
                f"{mode}: loss {r['loss']} in the store, {r['history_loss']} in the history; "
                f"{r['ingest_batches']:,} batches ingested ({r['ingest_dropped_batches']} "
                f"dropped); receiving process CPU {r['cpu_per_wall']:.2f} s per wall second"
            )
    live, drain = results["live"], results["backlog"]
    summary = {
        "mqtt_msgs_per_s": live["mqtt_msgs_per_s"],  # publishers running at the same time
        "loss": int(live["loss"]) + int(drain["loss"]),  # type: ignore[call-overload]
        "history_loss": int(live["history_loss"]) + int(drain["history_loss"]),  # type: ignore[call-overload]
        "mqtt_drain_msgs_per_s": drain["mqtt_msgs_per_s"],  # the receiving side alone
        "publish_msgs_per_s": live["publish_msgs_per_s"],
        "messages": args.messages,
        "signals": args.signals,
        "publishers": args.publishers,
        "receiver_cpu_per_wall": drain["cpu_per_wall"],
    }
    print(json.dumps({k: round(v, 1) if isinstance(v, float) else v for k, v in summary.items()}))
    sys.stdout.flush()
    os._exit(0 if summary["loss"] == 0 else 1)


if __name__ == "__main__":
    main()
