"""The whole application at plant size: a generated plant of N motors live in the real
window (under Xvfb), recording and alarms on, one motor overloading; then the recording
replayed and read back.

    xvfb-run -a -s "-screen 0 1920x1080x24" python -m bench.plant \
        [--motors 10000] [--minutes 15] [--db sqlite|postgresql] [--keep DIR]

The program runs as an installed one starts (``python -m app --plant ... --db ... --fault
... --metrics FILE``, its modules compiled to bytecode beforehand); this script samples its
CPU time and RSS from /proc every second, reads its frame and sample counts from the
``--metrics`` lines, stops it with SIGTERM as a service manager would, then:

- counts every recorded sample (``lost_samples`` = taken in minus recorded),
- writes the same samples to Parquet with zstd for the size ratio,
- times ``HistoryReader.read_many`` of every signal of 1,000 motors over the whole run,
- launches ``--replay`` on the recording and times it to its first frame.

Human-readable lines, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bench.storage import ROOT, disk_bytes, motor_plant_file
from db import HistoryReader, open_history

READ_MOTORS = 1000
SIGNALS_PER_MOTOR = 6
TICK_S = 1.0
PACKAGES = ("app", "db", "twin")


@dataclass
class Sample:
    wall_s: float  # since launch
    cpu_s: float  # process user + system
    rss_mb: float
    frames: int
    rss_anon_mb: float = 0.0  # of rss_mb: the heap and arrays
    rss_file_mb: float = 0.0  # of rss_mb: mapped files (libraries, the history's pages)


@dataclass
class LiveRun:
    samples: list[Sample] = field(default_factory=list)
    first_frame_s: float = float("nan")
    final: dict[str, Any] = field(default_factory=dict)


def proc_figures(pid: int) -> tuple[float, float]:
    """(CPU seconds, RSS MB) of a process, from /proc."""
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    rss_pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return cpu, rss_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def installed_env(folder: Path) -> dict[str, str]:
    """The environment of a program whose modules are compiled (as an installed one's
    are): bytecode cached under ``folder``, the project compiled into it now, and the
    libraries it imports at start (the cache prefix has none of theirs) by one import."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    code = f"import compileall, sys; [compileall.compile_dir(p, quiet=1) for p in {PACKAGES}]"
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)
    warm = "import app.compose.run, app.compose.replay, app.compose.live"
    subprocess.run([sys.executable, "-c", warm], check=True, env=env, cwd=ROOT)
    return env


def rss_parts(pid: int) -> tuple[float, float]:
    """(anonymous, file-backed) resident MB of a process, from /proc/PID/status."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return tuple(int(fields[k].split()[0]) / 1024 for k in ("RssAnon", "RssFile"))  # type: ignore[return-value]


def metrics_lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.endswith("}")]


def app_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "app", "--size", "1600x1000", *args]


@contextlib.contextmanager
def launched(
    args: list[str], log: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """The program running (in ``env``, default this one's); SIGTERM (then kill) when the
    block leaves."""
    with log.open("wb") as err:
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err, env=env)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=600)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_for(path: Path, event: str, proc: subprocess.Popen[bytes], timeout: float) -> dict:
    """The first ``event`` line of a --metrics file; RuntimeError if the program dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in metrics_lines(path):
            if line["event"] == event:
                return line
        if proc.poll() is not None:
            raise RuntimeError(f"the program exited ({proc.returncode}) before {event}")
        time.sleep(0.05)
    raise RuntimeError(f"no {event} within {timeout:.0f} s")


def run_live(
    plant: Path, target: str, fault: str, minutes: float, folder: Path, env: dict[str, str]
) -> LiveRun:
    metrics = folder / "live.jsonl"
    run = LiveRun()
    args = app_command("--plant", str(plant), "--db", target, "--fault", fault)
    with launched([*args, "--metrics", str(metrics)], folder / "live.log", env) as proc:
        launched_at = time.monotonic()
        run.first_frame_s = wait_for(metrics, "first_frame", proc, 300)["age_s"]
        end = time.monotonic() + minutes * 60
        while time.monotonic() < end and proc.poll() is None:
            time.sleep(TICK_S)
            lines = metrics_lines(metrics)
            cpu, rss = proc_figures(proc.pid)
            frames = lines[-1]["frames"] if lines else 0
            anon, mapped = rss_parts(proc.pid)
            wall = time.monotonic() - launched_at
            run.samples.append(Sample(wall, cpu, rss, frames, anon, mapped))
            if len(run.samples) % 60 == 0:
                print(f"  {run.samples[-1].wall_s:5.0f} s: RSS {rss:,.0f} MB, {frames} frames")
        if proc.poll() is not None:
            raise RuntimeError(f"the program exited early ({proc.returncode}); see its log")
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=900)
    run.final = metrics_lines(metrics)[-1]
    if run.final["event"] != "stopped":
        raise RuntimeError("the program did not stop cleanly (no 'stopped' line)")
    return run


def live_figures(run: LiveRun) -> dict[str, float]:
    """CPU after the first minute, RSS growth from minute 2, median frame rate."""
    s = run.samples
    total = s[-1].wall_s
    warm = min(60.0, total / 3)
    settle = 120.0 if total >= 180 else total / 2
    after = [x for x in s if x.wall_s >= warm]
    a, b = after[0], after[-1]
    at_settle = min(s, key=lambda x: abs(x.wall_s - settle))
    fps = [(y.frames - x.frames) / (y.wall_s - x.wall_s) for x, y in itertools.pairwise(after)]
    return {
        "cpu_cores": (b.cpu_s - a.cpu_s) / (b.wall_s - a.wall_s),
        "rss_mb": s[-1].rss_mb,
        "rss_growth_pct": 100.0 * (s[-1].rss_mb / at_settle.rss_mb - 1.0),
        "rss_anon_mb": s[-1].rss_anon_mb,
        "rss_anon_growth_pct": 100.0 * (s[-1].rss_anon_mb / at_settle.rss_anon_mb - 1.0),
        "rss_file_mb": s[-1].rss_file_mb,
        "fps": statistics.median(fps),
        "fps_p10": float(np.percentile(fps, 10)),
    }


def replay_open_s(target: str, folder: Path, env: dict[str, str], runs: int = 3) -> float:
    """Median launch-to-first-frame of ``--replay`` on the recording."""
    times = []
    for i in range(runs):
        metrics = folder / f"replay{i}.jsonl"
        args = app_command("--replay", target, "--metrics", str(metrics))
        with launched(args, folder / f"replay{i}.log", env) as proc:
            times.append(wait_for(metrics, "first_frame", proc, 300)["age_s"])
    return statistics.median(times)


def motor_ids(reader: HistoryReader, motors: int) -> list[str]:
    wanted = {f"M{i + 1:05d}" for i in range(motors)}
    return [sid for sid in reader.signal_ids() if sid.split(".", 1)[0] in wanted]


def read_back(target: str, folder: Path) -> dict[str, float]:
    """Count every recorded sample, write them to Parquet (zstd), time one bulk read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("time", pa.timestamp("ns", tz="UTC")),
            ("signal_id", pa.dictionary(pa.int32(), pa.string())),
            ("value", pa.float32()),
        ]
    )
    parquet = folder / "samples.parquet"
    recorded = 0
    with open_history(target, read_only=True) as history:
        reader = HistoryReader(history)
        span = reader.time_range()
        assert span is not None, "nothing was recorded"
        t0, t1 = span[0], span[1] + 1
        ids = sorted(reader.signal_ids())
        with pq.ParquetWriter(parquet, schema, compression="zstd") as writer:
            for a in range(0, len(ids), 6000):
                block = reader.read_many(ids[a : a + 6000], t0, t1)
                recorded += sum(t.size for t, _ in block.values())
                writer.write_table(_table(block, schema))
        some = motor_ids(reader, READ_MOTORS)
        best = float("inf")
        for _ in range(3):
            w0 = time.perf_counter()
            got = reader.read_many(some, t0, t1)
            best = min(best, time.perf_counter() - w0)
        read = sum(t.size for t, _ in got.values())
    return {
        "recorded_samples": recorded,
        "parquet_bytes": parquet.stat().st_size,
        "read_samples": read,
        "read_msamples_per_s": read / best / 1e6,
    }


def _table(block: dict[str, tuple[np.ndarray, np.ndarray]], schema: Any) -> Any:
    import pyarrow as pa

    names = list(block)
    sizes = [block[n][0].size for n in names]
    codes = np.repeat(np.arange(len(names), dtype=np.int32), sizes)
    times = np.concatenate([block[n][0] for n in names])
    values = np.concatenate([block[n][1].astype(np.float32) for n in names])
    return pa.table(
        [
            pa.array(times).cast(pa.timestamp("ns", tz="UTC")),
            pa.DictionaryArray.from_arrays(codes, pa.array(names)),
            pa.array(values),
        ],
        schema=schema,
    )


def history_bytes(target: str, database: str | None) -> int:
    """The history's size on disk: the SQLite file and its WAL, or the PostgreSQL
    database's size above that of an empty database on the same server."""
    if database is None:
        return disk_bytes(Path(target))
    from tests.pg_server import PgServer

    port = int(target.split(":")[-1].split("/")[0])
    server = PgServer(port)
    server.create_database("bench_empty")  # what any database costs: not the history's
    with server.admin() as conn:
        size = "SELECT pg_database_size(%s)"
        used = int(conn.execute(size, (database,)).fetchone()[0])
        empty = int(conn.execute(size, ("bench_empty",)).fetchone()[0])
    server.drop_database("bench_empty")
    return used - empty


@contextlib.contextmanager
def history_target(kind: str, folder: Path) -> Iterator[tuple[str, str | None]]:
    """(URL or path, PostgreSQL database name or None) of a fresh history."""
    if kind == "sqlite":
        yield str(folder / "plant.twinhist"), None
        return
    from tests.pg_server import postgres_server

    with postgres_server() as server:
        yield server.create_database("bench_plant"), "bench_plant"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--motors", type=int, default=10_000)
    parser.add_argument("--minutes", type=float, default=15.0)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--keep", type=Path, help="keep the plant, history and logs here")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="twindeck-bench-plant-"))
    folder.mkdir(parents=True, exist_ok=True)
    plant = motor_plant_file(args.motors, folder)
    fault = "M00001:overload@60"
    if not os.environ.get("DISPLAY"):
        parser.error("no display: run it under xvfb-run (see the docstring)")
    with history_target(args.db, folder) as (target, database):
        print(f"{args.motors:,} motors live for {args.minutes:g} min into {args.db}, {fault}")
        env = installed_env(folder)
        run = run_live(plant, target, fault, args.minutes, folder, env)
        live = live_figures(run)
        size = history_bytes(target, database)
        print("reading back...")
        back = read_back(target, folder)
        replay = replay_open_s(target, folder, env)
    report(args, run, live, size, back, replay)


def report(
    args: argparse.Namespace,
    run: LiveRun,
    live: dict[str, float],
    size: int,
    back: dict[str, float],
    replay: float,
) -> None:
    recorded = back["recorded_samples"]
    bps = size / recorded
    figures = {
        "motors": args.motors,
        "minutes": args.minutes,
        "db": args.db,
        "bytes_per_sample": round(bps, 3),
        "ratio_vs_parquet_zstd": round(bps / (back["parquet_bytes"] / recorded), 3),
        "cpu_cores": round(live["cpu_cores"], 3),
        "rss_growth_pct": round(live["rss_growth_pct"], 2),
        "rss_mb": round(live["rss_mb"], 1),
        "rss_anon_mb": round(live["rss_anon_mb"], 1),
        "rss_anon_growth_pct": round(live["rss_anon_growth_pct"], 2),
        "rss_file_mb": round(live["rss_file_mb"], 1),
        "fps": round(live["fps"], 1),
        "fps_p10": round(live["fps_p10"], 1),
        "start_s": round(run.first_frame_s, 2),
        "replay_open_s": round(replay, 2),
        "read_msamples_per_s": round(back["read_msamples_per_s"], 2),
        "lost_samples": int(run.final["samples_in"] - recorded),
        "samples_in": int(run.final["samples_in"]),
        "recorded_samples": int(recorded),
        "dropped_samples": int(run.final.get("dropped_samples", 0)),
    }
    print(
        f"history: {size / 2**20:,.1f} MB for {recorded / 1e6:.1f} M samples = {bps:.2f} B/sample"
        f" ({figures['ratio_vs_parquet_zstd']:.2f}x Parquet zstd)\n"
        f"CPU {live['cpu_cores']:.2f} cores · RSS {live['rss_mb']:,.0f} MB"
        f" ({live['rss_growth_pct']:+.1f} % since minute 2; anonymous {live['rss_anon_mb']:,.0f} MB"
        f" {live['rss_anon_growth_pct']:+.1f} %, mapped files {live['rss_file_mb']:,.0f} MB)"
        f" · {live['fps']:.0f} fps median\n"
        f"first frame {run.first_frame_s:.2f} s after launch · replay opens in {replay:.2f} s\n"
        f"read {back['read_samples'] / 1e6:.1f} M samples of {READ_MOTORS:,} motors at "
        f"{back['read_msamples_per_s']:.1f} M/s · lost {figures['lost_samples']}"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
