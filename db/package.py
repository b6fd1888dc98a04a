"""Incident packages: a time range of a recording in one file that another machine replays.

Format: a ZIP file (extension ``.twinpkg``) holding exactly three top-level members:

- ``manifest.json`` (deflated): format name and version, range [t0, t1) in int64 ns, plant
  name, signal ids, counts, views, title, and the size + SHA-256 of the other two members
  (see db.package_manifest).
- ``plant.toml`` (deflated): the plant file text, UTF-8.
- ``history.twinhist`` (stored: its chunks are packed already): an ordinary TwinDeck SQLite
  history in rollback-journal mode (not WAL, so a read-only open creates nothing beside
  it). It holds exactly the raw samples of the chosen signals in [t0, t1), re-chunked by
  ChunkSink with the min/max pyramid of that range; those signals' rows and their assets'
  rows; the events and bookmarks with t0 <= t < t1 (bookmarks as its users see them: with
  those of its sidecar, db.annotations); the recordings rows overlapping the
  range, with first_t/last_t clipped to it. Events of every signal are kept (the alarm list
  is plant-wide), and when alarms stood not NORMAL just before t0 an "alarm.snapshot" event
  at t0 carries that table, so the alarm list replays right from the first frame.

Export builds the history in a hidden temp folder beside the output (same disk, so a large
package does not fill a small /tmp), zips it into ``<out>.partial`` and renames: a cancelled
or failed export leaves neither the file nor the partial one.

Opening runs every check of db.package_manifest.verify (zip-slip, zip bombs, version,
checksums) before it writes a byte. Only then is the history streamed into a new private
folder, hashed again as it is written (in case the file changed underneath); the package
object owns that folder until ``close()``. The extracted history stands for the package file
(db.sidecar.link_origin): bookmarks added while replaying it go into the package's sidecar.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import shutil
import sqlite3
import tempfile
import weakref
import zipfile
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from db import catalog, schema
from db.annotations import AnnotatedBookmarks
from db.engine import open_history
from db.errors import translate
from db.history import History
from db.journal import Journal
from db.package_manifest import (
    HISTORY,
    PLANT,
    Manifest,
    PackageError,
    checksum_error,
    member_blocks,
    open_zip,
    read_member,
    verify,
    write_archive,
)
from db.read.reader import HistoryReader
from db.sidecar import link_origin
from db.write.sink import ChunkSink
from twin.batch import Batch, ChannelGroup
from twin.plant.loader import parse_plant

__all__ = ["IncidentPackage", "Manifest", "PackageError", "export_package", "open_package"]

NS = 1_000_000_000
Progress = Callable[[float], bool]
BUILD_SHARE = 0.9  # of the progress bar: building the history; the rest is zipping it
SLICE_SAMPLES = 2_000_000  # read a signal in slices of about this many samples
MIN_SLICE_NS = 60 * NS
FLUSH_SAMPLES = 4_000_000  # bounds the sink's memory
SPACE_MARGIN = 16 << 20


class _Cancelled(Exception):
    pass


# --- export -------------------------------------------------------------------------------


def export_package(
    source: History | str | os.PathLike[str],
    plant_text: str,
    t0: int,
    t1: int,
    out_path: str | os.PathLike[str],
    *,
    signal_ids: Sequence[str] | None = None,
    views: Sequence[Mapping[str, Any]] = (),
    title: str = "",
    description: str = "",
    progress: Progress | None = None,
) -> bool:
    """Write [t0, t1) of ``source`` (an open History, or a path/URL opened read-only) for
    ``signal_ids`` (default: every recorded signal) to ``out_path`` as an incident package.

    ``progress(fraction)`` is called as it goes; returning False cancels, and False is
    returned with no file left behind. Raises ValueError for a bad range, unknown signals or
    views that are not JSON objects, PlantError when ``plant_text`` is not a valid plant
    file (the package would not replay), HistoryError when reading or writing fails."""
    if t1 <= t0:
        raise ValueError(f"empty time range: t1 ({t1}) must be after t0 ({t0})")
    plant = parse_plant(plant_text, PLANT)
    view_list = [dict(v) for v in views]
    try:
        json.dumps(view_list, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"views must be JSON objects: {exc}") from None
    out = Path(out_path)
    partial = out.with_name(out.name + ".partial")
    src = source if isinstance(source, History) else open_history(source, read_only=True)
    ok = False
    try:
        ids = _choose_signals(src, signal_ids)
        with tempfile.TemporaryDirectory(prefix=".twinpkg-", dir=out.parent) as tmp:
            hist = Path(tmp) / HISTORY
            counts = _build_history(src, hist, ids, t0, t1, _scaled(progress, 0.0, BUILD_SHARE))
            manifest = Manifest(
                t0=t0,
                t1=t1,
                plant_name=plant.name,
                signal_ids=tuple(ids),
                members={},
                counts=counts,
                views=tuple(view_list),
                title=title,
                description=description,
                app_version=catalog.app_version(),
                created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            )
            write_archive(partial, plant_text, hist, manifest, _scaled(progress, BUILD_SHARE, 1.0))
        os.replace(partial, out)
        ok = True
    except _Cancelled:
        return False
    except (OSError, sqlite3.Error, SQLAlchemyError) as exc:
        # The package's history is a hidden temp file: name the package the user chose.
        raise translate(exc, str(out), "writing the incident package") from exc
    finally:
        if not ok:
            with contextlib.suppress(OSError):
                partial.unlink()
        if src is not source:
            src.close()
    return True


def _scaled(progress: Progress | None, a: float, b: float) -> Callable[[float], None]:
    """A tick function mapping [0, 1] onto [a, b] of ``progress``; raises _Cancelled."""

    def tick(f: float) -> None:
        if progress is not None and not progress(a + (b - a) * f):
            raise _Cancelled

    return tick


def _choose_signals(src: History, signal_ids: Sequence[str] | None) -> list[str]:
    known = HistoryReader(src).signal_ids()
    if signal_ids is None:
        return known
    ids = list(dict.fromkeys(signal_ids))
    have = set(known)
    missing = [s for s in ids if s not in have]
    if missing:
        raise ValueError(f"{src.where} has no recorded signal {', '.join(missing)}")
    return ids


def _build_history(
    src: History, path: Path, ids: list[str], t0: int, t1: int, tick: Callable[[float], None]
) -> dict[str, int]:
    """Create the package's history at ``path``; returns the counts for the manifest."""
    tick(0.0)
    dst = open_history(path)
    try:
        rates = _copy_catalog(src, dst, ids)
        samples = _copy_samples(src, dst, ids, rates, t0, t1, tick)
        counts = {"signals": len(ids), "samples": samples, **_copy_rows(src, dst, t0, t1)}
    finally:
        dst.close()
    # Fold the WAL into the file and leave WAL mode: one self-contained file that opens
    # read-only without creating -wal/-shm companions (or needing a writable folder).
    con = sqlite3.connect(path, isolation_level=None)
    try:
        mode = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        if str(mode).lower() != "delete":
            raise sqlite3.OperationalError(f"cannot leave WAL mode (journal_mode is {mode})")
    finally:
        con.close()
    return counts


def _copy_catalog(src: History, dst: History, ids: list[str]) -> dict[str, float]:
    """Copy the chosen signals' rows (unit, name, rate as recorded) and their assets';
    returns signal id -> rate (0 when unknown)."""
    sig, ast = schema.signals, schema.assets
    wanted = set(ids)
    # Filter in Python rather than with IN (...): a plant can have more signals than
    # SQLite allows bound parameters.
    with src.reading("reading its catalog for an incident package") as conn:
        cols = (sig.c.signal_id, sig.c.asset_id, sig.c.unit, sig.c.name, sig.c.rate_hz)
        sigs = [dict(r._mapping) for r in conn.execute(select(*cols))]
        sigs = [r for r in sigs if r["signal_id"] in wanted]
        owners = {r["asset_id"] for r in sigs}
        acols = (ast.c.asset_id, ast.c.name, ast.c.kind, ast.c.area)
        assets = [dict(r._mapping) for r in conn.execute(select(*acols))]
        assets = [r for r in assets if r["asset_id"] in owners]
    with dst.engine.begin() as conn:
        if sigs:
            conn.execute(sig.insert(), sigs)
        if assets:
            conn.execute(ast.insert(), assets)
    return {r["signal_id"]: float(r["rate_hz"] or 0.0) for r in sigs}


def _copy_samples(
    src: History,
    dst: History,
    ids: list[str],
    rates: Mapping[str, float],
    t0: int,
    t1: int,
    tick: Callable[[float], None],
) -> int:
    """Read each signal in slices and write it through the recorder's own ChunkSink, which
    re-chunks it and builds its pyramid; one group per signal (they need not share times)."""
    reader = HistoryReader(src)
    dtypes = reader.value_dtypes(ids)  # float64 and int64 signals are copied exactly
    groups = [
        ChannelGroup(f"s{i}", (sid,), rates.get(sid, 0.0), dtypes[sid].name)
        for i, sid in enumerate(ids)
    ]
    sink = ChunkSink(dst, groups, recording=False, stage=False)  # big slices: chunks directly
    total = 0
    for i, g in enumerate(groups):
        rate = g.rate_hz
        step = max(MIN_SLICE_NS, round(SLICE_SAMPLES / rate * NS)) if rate > 0 else MIN_SLICE_NS
        edges = [*range(t0, t1, step), t1]
        for j, (a, b) in enumerate(itertools.pairwise(edges)):
            t, v = reader.read(g.signal_ids[0], a, b)
            if t.size:
                total += sink.add(Batch(g.key, t, v[None, :]))
            if sink.pending_samples >= FLUSH_SAMPLES:
                sink.flush()
            tick((i + (j + 1) / (len(edges) - 1)) / len(groups))
        # final: this signal's partial pyramid buckets too (other groups have none).
        sink.flush(final=True)
    return total


def _copy_rows(src: History, dst: History, t0: int, t1: int) -> dict[str, int]:
    ev, bm, rec = schema.events, schema.bookmarks, schema.recordings
    with src.reading("reading its events for an incident package") as conn:
        ev_cols = [c for c in ev.c if c.name != "id"]
        events = conn.execute(
            select(*ev_cols).where(ev.c.t >= t0, ev.c.t < t1).order_by(ev.c.id)
        ).all()
        recs = conn.execute(
            select(*[c for c in rec.c if c.name != "id"])
            .where(rec.c.first_t.is_not(None), rec.c.first_t < t1, rec.c.last_t >= t0)
            .order_by(rec.c.id)
        ).all()
    marks = [
        {"t": b.t, "name": b.name, "created_at": b.created_at}
        for b in AnnotatedBookmarks(src).in_range(t0, t1)
    ]
    initial = Journal(src).states_at(t0 - 1)
    if initial:
        # Written first so that its id precedes every copied event: states_at folds the
        # events after the newest snapshot in id order.
        journal = Journal(dst)
        journal.resync(initial, t0)
        journal.close()
        if journal.error is not None:
            raise journal.error
    recordings = [
        dict(r._mapping, first_t=max(r.first_t, t0), last_t=min(r.last_t, t1 - 1)) for r in recs
    ]
    with dst.engine.begin() as conn:
        if events:
            conn.execute(ev.insert(), [dict(r._mapping) for r in events])
        if marks:
            conn.execute(bm.insert(), marks)
        if recordings:
            conn.execute(rec.insert(), recordings)
    return {
        "events": len(events) + (1 if initial else 0),
        "bookmarks": len(marks),
        "recordings": len(recordings),
    }


# --- open ---------------------------------------------------------------------------------


class IncidentPackage:
    """An opened, verified package. ``history_path`` is the extracted history; open it
    read-only (``open_history()``), and close that History before ``close()``, which
    removes the extracted files (Windows cannot delete an open file)."""

    def __init__(
        self, path: Path, manifest: Manifest, plant_text: str, history_path: Path, folder: Path
    ) -> None:
        self.path = path
        self.manifest = manifest
        self.plant_text = plant_text
        self.history_path = history_path
        self.views = manifest.views
        self.folder = folder
        # Also cleans up when the object is dropped without close() (or at exit).
        self._cleanup = weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)

    def open_history(self) -> History:
        """The extracted history, opened read-only."""
        return open_history(self.history_path, read_only=True)

    def close(self) -> None:
        """Remove the extracted files; idempotent."""
        self._cleanup()

    def __enter__(self) -> IncidentPackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"IncidentPackage({str(self.path)!r})"


def open_package(
    path: str | os.PathLike[str], workdir: str | os.PathLike[str] | None = None
) -> IncidentPackage:
    """Verify the package at ``path`` (see the module docstring), then extract its history
    into a new private folder inside ``workdir`` (default: the system temp folder).
    Raises PackageError, naming the file and the problem, with nothing extracted."""
    p = Path(path)
    where = str(p)
    try:
        f = open(p, "rb")  # noqa: SIM115 - a with-block would also catch later OSErrors
    except FileNotFoundError:
        raise PackageError(f"{where} does not exist.", kind="missing", where=where) from None
    except OSError as exc:
        raise PackageError(
            f"{where} cannot be read ({exc.strerror or exc}).", kind="missing", where=where
        ) from None
    with f:
        zf = open_zip(f, where)
        with zf:
            manifest = verify(zf, os.fstat(f.fileno()).st_size, where)
            return _extract(zf, p, manifest, workdir)


def _extract(
    zf: zipfile.ZipFile, path: Path, manifest: Manifest, workdir: str | os.PathLike[str] | None
) -> IncidentPackage:
    where = str(path)
    try:
        plant_text = read_member(zf, zf.getinfo(PLANT), where).decode("utf-8")
    except UnicodeDecodeError:
        raise PackageError(
            f"{where} is damaged: its {PLANT} is not UTF-8 text.", kind="damaged", where=where
        ) from None
    base = Path(workdir) if workdir is not None else Path(tempfile.gettempdir())
    need = manifest.members[HISTORY].size + SPACE_MARGIN
    try:
        base.mkdir(parents=True, exist_ok=True)
        if shutil.disk_usage(base).free < need:
            raise PackageError(
                f"{where}: not enough free space in {base} to unpack it ({need >> 20} MB).",
                kind="no_space",
                where=where,
            )
        folder = Path(tempfile.mkdtemp(prefix="twinpkg-", dir=base))
    except OSError as exc:
        raise _unpack_error(where, base, exc) from None
    target = folder / HISTORY
    try:
        h = hashlib.sha256()
        with open(target, "xb") as out:
            for block in member_blocks(zf, zf.getinfo(HISTORY), where):
                h.update(block)
                out.write(block)
        if h.hexdigest() != manifest.members[HISTORY].sha256:
            raise checksum_error(where, HISTORY)
        link_origin(target, path)
    except BaseException as exc:
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _unpack_error(where, base, exc) from None
        raise
    return IncidentPackage(path, manifest, plant_text, target, folder)


def _unpack_error(where: str, base: Path, exc: OSError) -> PackageError:
    return PackageError(
        f"{where}: cannot unpack it into {base} ({exc.strerror or exc}). Choose another "
        "folder with free space you can write to.",
        kind="io",
        where=where,
    )
