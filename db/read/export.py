"""Export raw samples to CSV or Parquet, with progress and cancel.

Both write a long table (one row per sample: time, signal, value) into ``<path>.partial``
and rename it into place at the end, so a cancelled or failed export never leaves a file
that looks complete; the partial file is removed.

Values are written as exactly as they are recorded: float32 with 9 significant digits,
float64 with 17, int64 signals (counters, energy) as whole integers; "no value" is "nan"
in CSV and null in Parquet's exact ``value_int`` column.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from db.read.reader import HistoryReader
from twin.values import NO_INT, to_float

NS = 1_000_000_000
Progress = Callable[[float], bool]


def _slices(
    reader: HistoryReader,
    signal_ids: Sequence[str],
    t0: int,
    t1: int,
    slice_s: float,
    progress: Progress | None,
) -> Iterator[tuple[str, np.ndarray, np.ndarray] | None]:
    """(signal, t, v) per time slice of each signal; yields None once cancelled."""
    step = max(1, int(slice_s * NS))
    edges = [*list(range(t0, t1, step)), t1]
    total = len(signal_ids) * (len(edges) - 1)
    done = 0
    if progress is not None and not progress(0.0):
        yield None
        return
    for sid in signal_ids:
        for a, b in itertools.pairwise(edges):
            t, v = reader.read(sid, a, b)
            if t.size:
                yield sid, t, v
            done += 1
            if progress is not None and not progress(done / total):
                yield None
                return


def _finish(partial: Path, path: Path, ok: bool) -> bool:
    if ok:
        os.replace(partial, path)
    else:
        with contextlib.suppress(OSError):
            partial.unlink()
    return ok


def export_csv(
    reader: HistoryReader,
    signal_ids: Sequence[str],
    t0: int,
    t1: int,
    path: str | Path,
    progress: Progress | None = None,
    *,
    slice_s: float = 60.0,
) -> bool:
    """Write samples of ``signal_ids`` in [t0, t1) to a CSV file with the columns
    ``time_utc, t_ns, signal_id, value``. ``progress(fraction)`` is called as it goes;
    returning False cancels (the partial file is removed). Returns True when complete."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    ok = False
    try:
        with open(partial, "w", encoding="utf-8", newline="") as f:
            f.write("time_utc,t_ns,signal_id,value\n")
            for item in _slices(reader, signal_ids, t0, t1, slice_s, progress):
                if item is None:
                    break
                sid, t, v = item
                iso = np.datetime_as_string(t.astype("datetime64[ns]"), unit="ns")
                vals = csv_values(v)
                f.writelines(
                    f"{a}Z,{b},{sid},{c}\n"
                    for a, b, c in zip(iso.tolist(), t.tolist(), vals.tolist(), strict=True)
                )
            else:
                ok = True
    finally:
        _finish(partial, path, ok)
    return ok


def csv_values(v: np.ndarray) -> np.ndarray:
    """Values as CSV text, each as exact as its type: int64 in full, float64 with 17
    significant digits (round-trips), float32 with 9."""
    if v.dtype == np.int64:
        out = v.astype(str)
        out[v == NO_INT] = "nan"
        return out
    return np.char.mod("%.17g" if v.dtype == np.float64 else "%.9g", v.astype(np.float64))


def parquet_available() -> bool:
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def export_parquet(
    reader: HistoryReader,
    signal_ids: Sequence[str],
    t0: int,
    t1: int,
    path: str | Path,
    progress: Progress | None = None,
    *,
    slice_s: float = 600.0,
) -> bool:
    """Like export_csv, to Parquet (columns ``time`` timestamp[ns, UTC], ``signal_id``,
    ``value`` float32). Where a signal is float64 or int64, ``value`` is float64, and
    where one is int64 a column ``value_int`` (int64, null for other signals and for "no
    value") holds its exact integers. Needs pyarrow; raises ImportError without it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    kinds = set(reader.value_dtypes(signal_ids).values())
    has_int = np.dtype(np.int64) in kinds
    value_type = pa.float32() if kinds <= {np.dtype(np.float32)} else pa.float64()
    fields = [
        ("time", pa.timestamp("ns", tz="UTC")),
        ("signal_id", pa.dictionary(pa.int32(), pa.string())),
        ("value", value_type),
    ]
    arrow_schema = pa.schema([*fields, ("value_int", pa.int64())] if has_int else fields)
    ok = False
    writer: Any = None
    try:
        writer = pq.ParquetWriter(partial, arrow_schema, compression="zstd")
        for item in _slices(reader, signal_ids, t0, t1, slice_s, progress):
            if item is None:
                break
            sid, t, v = item
            ids = pa.DictionaryArray.from_arrays(np.zeros(t.size, np.int32), pa.array([sid]))
            columns = [
                pa.array(t, pa.int64()).cast(pa.timestamp("ns", tz="UTC")),
                ids,
                pa.array(to_float(v), value_type),
            ]
            if has_int:
                exact = v.dtype == np.int64
                mask = v == NO_INT if exact else np.ones(t.size, bool)
                ints = v if exact else np.zeros(t.size, np.int64)
                columns.append(pa.array(ints, pa.int64(), mask=mask))
            writer.write_table(pa.table(columns, schema=arrow_schema))
        else:
            ok = True
    finally:
        if writer is not None:
            writer.close()
        _finish(partial, path, ok)
    return ok
