"""float64 and int64 signals are kept exactly by the history: staged rows, compaction,
chunks, the pyramid's min/max, raw reads, CSV / Parquet export and incident packages;
float32 signals are stored as before."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from db import ChunkSink, History, HistoryReader, open_history
from db.chunks import V_F32, V_F32_DELTA_Z, V_F32_SHUF_Z
from db.package import export_package, open_package
from db.read.export import export_csv, export_parquet, parquet_available
from db.write.compactor import compact
from tests.db.history_helpers import NS
from tests.plants import asset, plant_toml
from twin.batch import Batch, ChannelGroup
from twin.values import NO_INT

ENERGY0 = 2**53 + 1  # above 2**53 float64 has no odd integers, float32 far fewer still
SECONDS = 1200  # 20 minutes at 1 Hz: the minute level of the pyramid is stored
T0 = 1_749_999_600 * NS  # on the hour: minute buckets fall whole into 120 s bins


def slow_groups() -> list[ChannelGroup]:
    return [
        ChannelGroup("energy", ("M1.energy", "M2.energy"), 1.0, "int64"),
        ChannelGroup("precise", ("M1.position",), 1.0, "float64"),
        ChannelGroup("temps", ("M1.temp",), 1.0),
    ]


def slow_values(t: np.ndarray) -> dict[str, np.ndarray]:
    i = np.arange(t.shape[0], dtype=np.int64)
    energy = np.stack([ENERGY0 + 3 * i + (i % 7 == 0), ENERGY0 * 2 + i * i]).astype(np.int64)
    energy[0, 100:105] = NO_INT  # a gap: no value, never a value of -9.2e18
    return {
        "energy": energy,
        "precise": (1e9 + i * 0.1 + 1e-7 * (i % 3))[None, :],
        "temps": (20 + np.sin(i / 50.0))[None, :].astype(np.float32),
    }


def record(h: History, groups: list[ChannelGroup], t: np.ndarray, v: dict, per: int) -> None:
    sink = ChunkSink(h, groups)
    for a in range(0, t.shape[0], per):
        for g in groups:
            sink.add(Batch(g.key, t[a : a + per], v[g.key][:, a : a + per]))
        sink.flush()
    sink.flush(final=True)


@pytest.fixture
def recorded(history_url: str):
    t = T0 + np.arange(SECONDS, dtype=np.int64) * NS
    v = slow_values(t)
    h = open_history(history_url)
    record(h, slow_groups(), t, v, per=10)
    yield h, t, v
    h.close()


def test_int64_and_float64_read_back_bit_exact_before_and_after_compaction(recorded) -> None:
    h, t, v = recorded
    reader = HistoryReader(h)
    for stage in ("staged", "compacted"):
        if stage == "compacted":
            compact(h, force=True)
        got = reader.read_many(["M1.energy", "M2.energy", "M1.position", "M1.temp"], 0, 2**62)
        for ch, sid in enumerate(("M1.energy", "M2.energy")):
            gt, gv = got[sid]
            assert gv.dtype == np.int64, stage
            assert np.array_equal(gt, t) and np.array_equal(gv, v["energy"][ch]), stage
        assert got["M1.position"][1].dtype == np.float64
        assert got["M1.position"][1].tobytes() == v["precise"][0].tobytes()  # bit for bit
        assert got["M1.temp"][1].dtype == np.float32
        assert np.array_equal(got["M1.temp"][1], v["temps"][0])


def test_the_pyramid_keeps_exact_int64_minimum_and_maximum(recorded) -> None:
    h, _t, v = recorded
    compact(h, force=True)
    bins = 10  # 120 s bins: read from the stored minute level, not from raw samples
    starts, mn, mx = HistoryReader(h).read_decimated("M1.energy", T0, T0 + SECONDS * NS, bins)
    assert mn.dtype == np.int64 and mx.dtype == np.int64
    energy = v["energy"][0]
    width = SECONDS // bins
    for b, start in enumerate(starts.tolist()):
        assert start == T0 + b * width * NS
        part = energy[b * width : (b + 1) * width]
        part = part[part != NO_INT]
        assert (int(mn[b]), int(mx[b])) == (int(part.min()), int(part.max()))
    _s, mean_mn, mean_mx = HistoryReader(h).read_decimated("M1.position", T0, T0 + 600 * NS, 5)
    assert mean_mn.dtype == np.float64
    assert mean_mx[-1] == v["precise"][0][:600].max()


def test_fast_int64_chunks_are_exact_too(history_url: str) -> None:
    g = ChannelGroup("meter", ("P1.pulses",), 500.0, "int64")  # written as chunks directly
    t = T0 + np.arange(2500, dtype=np.int64) * (NS // 500)
    pulses = (2**62 + np.arange(2500, dtype=np.int64) * 977)[None, :]
    with open_history(history_url) as h:
        record(h, [g], t, {"meter": pulses}, per=500)
        got_t, got_v = HistoryReader(h).read("P1.pulses", 0, 2**62)
    assert got_v.dtype == np.int64
    assert np.array_equal(got_t, t) and np.array_equal(got_v, pulses[0])


def test_float32_signals_keep_their_float32_codecs(recorded) -> None:
    h, _t, _v = recorded
    compact(h, force=True)
    with h.raw() as conn:
        cur = conn.cursor()
        cur.execute(
            "SELECT c.codec FROM chunks c JOIN signals s ON s.id = c.signal "
            "WHERE s.signal_id = 'M1.temp'"
        )
        codecs = {(int(r[0]) >> 4) & 0xF for r in cur.fetchall()}
    assert codecs and codecs <= {V_F32, V_F32_SHUF_Z, V_F32_DELTA_Z}


def test_csv_and_parquet_export_write_the_exact_values(tmp_path: Path) -> None:
    t = T0 + np.arange(60, dtype=np.int64) * NS
    v = slow_values(t)
    with open_history(tmp_path / "x.twinhist") as h:
        record(h, slow_groups(), t, v, per=10)
        reader = HistoryReader(h)
        out = tmp_path / "x.csv"
        assert export_csv(reader, ["M1.energy", "M1.position"], T0, T0 + 60 * NS, out)
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        energy = [r["value"] for r in rows if r["signal_id"] == "M1.energy"]
        assert energy[:2] == [str(ENERGY0 + 1), str(ENERGY0 + 3)]  # 9007199254740994, ...
        assert [int(x) for x in energy] == v["energy"][0].tolist()
        position = [float(r["value"]) for r in rows if r["signal_id"] == "M1.position"]
        assert position == v["precise"][0].tolist()  # 17 digits: every float64 round-trips
        if not parquet_available():
            pytest.skip("pyarrow is not installed")
        import pyarrow.parquet as pq

        pq_out = tmp_path / "x.parquet"
        assert export_parquet(reader, ["M1.energy", "M1.position"], T0, T0 + 60 * NS, pq_out)
        table = pq.read_table(pq_out).to_pydict()
    ints = [
        x for x, s in zip(table["value_int"], table["signal_id"], strict=True) if s == "M1.energy"
    ]
    assert ints == v["energy"][0].tolist()
    floats = [
        x for x, s in zip(table["value"], table["signal_id"], strict=True) if s == "M1.position"
    ]
    assert floats == v["precise"][0].tolist()


def test_an_incident_package_keeps_int64_and_float64_exactly(tmp_path: Path) -> None:
    t = T0 + np.arange(120, dtype=np.int64) * NS
    v = slow_values(t)

    def row(key: str, dtype: str = "float32") -> dict[str, object]:
        return {"key": key, "rate_hz": 1, "normal": [0, 1e19], "dtype": dtype}

    plant = plant_toml(
        asset("M1", "motor", row("energy", "int64"), row("position", "float64"), row("temp")),
        asset("M2", "motor", row("energy", "int64")),
    )
    out = tmp_path / "incident.twinpkg"
    with open_history(tmp_path / "src.twinhist") as h:
        record(h, slow_groups(), t, v, per=10)
        assert export_package(h, plant, T0, T0 + 120 * NS, out)
    with open_package(out, tmp_path) as pkg, pkg.open_history() as copy:
        got = HistoryReader(copy).read_many(["M1.energy", "M2.energy", "M1.position"], 0, 2**62)
    assert got["M1.energy"][1].dtype == np.int64
    assert np.array_equal(got["M1.energy"][1], v["energy"][0])  # NO_INT gap included
    assert np.array_equal(got["M2.energy"][1], v["energy"][1])
    assert got["M1.position"][1].tobytes() == v["precise"][0].tobytes()
