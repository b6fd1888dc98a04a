"""The bookmark sidecar of a history TwinDeck must not write: a small SQLite file beside it.

A trainer replays a recording read-only (another TwinDeck records into it, it sits on a
read-only share, or it is an incident package), yet bookmarks it. Those bookmarks, and the
renames and deletions of the recording's own bookmarks, go into the sidecar; the recording
itself is never modified (db.annotations merges the two).

Where it lives: beside the file it annotates, as ``<file>.bookmarks.sqlite``, when that
folder can be written; else in the user's data folder, ``<data>/bookmarks/<key>.sqlite``,
keyed by the file's identity: its resolved path and when its first recording started (so a
different recording put at the same path does not inherit them; inode numbers are reused
at once on many file systems, and unstable on network shares). Only a write decides where:
reading never creates anything.
The history extracted from an incident package stands for the package file: db.package
writes the package's path into ``<history>.origin``, and its sidecar is the package's.

The file is an ordinary SQLite database in rollback-journal mode (no -wal/-shm left beside
the recording); two sessions may share it, each change being one transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlalchemy import func, select

from db import schema
from db.errors import translating
from db.history import History

SUFFIX = ".bookmarks.sqlite"
ORIGIN_SUFFIX = ".origin"  # beside an extracted history: the file it stands for
FORMAT = "twindeck-bookmarks"
VERSION = 1

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # Bookmarks added here; the merged view shows them with negative ids.
    "CREATE TABLE IF NOT EXISTS added (id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "t INTEGER NOT NULL, name TEXT NOT NULL, created_at INTEGER NOT NULL)",
    # Renames (name) and deletions of the recording's own bookmarks. Keyed by created_at
    # too: SQLite may give a new bookmark the id of a deleted one.
    "CREATE TABLE IF NOT EXISTS changed (base_id INTEGER NOT NULL, "
    "base_created INTEGER NOT NULL, name TEXT, deleted INTEGER NOT NULL DEFAULT 0, "
    "changed_at INTEGER NOT NULL, PRIMARY KEY (base_id, base_created))",
)


@dataclass(frozen=True, slots=True)
class Added:
    """A bookmark added in the sidecar (``t`` and ``created_at``: int64 ns)."""

    id: int
    t: int
    name: str
    created_at: int


@dataclass(frozen=True, slots=True)
class Change:
    """A rename (``name``) or deletion of the recording's own bookmark."""

    name: str | None
    deleted: bool


def data_folder() -> Path:
    """Where sidecars of files in read-only folders go."""
    return platformdirs.user_data_path("TwinDeck", appauthor=False) / "bookmarks"


class Sidecar:
    """The sidecar of ``anchor``: a history file's path, or (a database server's history)
    the text naming it. Cheap to make; the file is opened for each operation."""

    def __init__(self, anchor: Path | str, stamp: Callable[[], str] = str) -> None:
        self.anchor = anchor
        self._stamp = stamp  # what tells this recording from another at the same path
        self._found: Path | None = None
        self._key: str | None = None

    @classmethod
    def of(cls, history: History) -> Sidecar:
        """The sidecar of an open history (of the package file it was extracted from)."""
        anchor = history.where if history.path is None else origin(history.path) or history.path
        return cls(anchor, lambda: _first_start(history))

    @property
    def beside(self) -> Path | None:
        """Its place beside the anchor file (None for a server's history)."""
        if isinstance(self.anchor, str):
            return None
        return self.anchor.with_name(self.anchor.name + SUFFIX)

    @property
    def in_data_folder(self) -> Path:
        """Its place in the user's data folder, keyed by the anchor's identity."""
        if self._key is None:
            self._key = _identity(self.anchor, self._stamp())
        return data_folder() / f"{self._key}.sqlite"

    @property
    def path(self) -> Path | None:
        """The existing sidecar file (beside the anchor first), or None."""
        if self._found is not None and self._found.exists():
            return self._found
        for place in (self.beside, self.in_data_folder):
            if place is not None and place.is_file():
                self._found = place
                return place
        return None

    # --- reading --------------------------------------------------------------------------

    def added(self, t0: int | None = None, t1: int | None = None) -> list[Added]:
        """Bookmarks added here with t0 <= t < t1 (either end open when None), by time."""
        where, args = [], []
        if t0 is not None:
            where.append("t >= ?")
            args.append(int(t0))
        if t1 is not None:
            where.append("t < ?")
            args.append(int(t1))
        cond = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self._read(f"SELECT id, t, name, created_at FROM added{cond} ORDER BY t, id", args)
        return [Added(int(r[0]), int(r[1]), str(r[2]), int(r[3])) for r in rows]

    def changes(self) -> dict[tuple[int, int], Change]:
        """(base id, base created_at) -> its rename or deletion."""
        rows = self._read("SELECT base_id, base_created, name, deleted FROM changed", [])
        return {(int(r[0]), int(r[1])): Change(r[2], bool(r[3])) for r in rows}

    def _read(self, sql: str, args: list[int]) -> list[tuple]:
        path = self.path
        if path is None:
            return []
        with translating(str(path), "reading its bookmarks"):
            conn = sqlite3.connect(_uri(path, "ro"), uri=True)
            try:
                return conn.execute(sql, args).fetchall()
            finally:
                conn.close()

    # --- writing --------------------------------------------------------------------------

    def add(self, t: int, name: str, created_at: int) -> int:
        """Store a new bookmark; its id in the sidecar (positive)."""
        with self._writing("adding a bookmark") as conn:
            cur = conn.execute(
                "INSERT INTO added (t, name, created_at) VALUES (?, ?, ?)",
                (int(t), name, int(created_at)),
            )
            assert cur.lastrowid is not None
            return int(cur.lastrowid)

    def rename_added(self, added_id: int, name: str) -> bool:
        """Rename a bookmark added here; False when there is no such bookmark."""
        with self._writing("renaming a bookmark") as conn:
            cur = conn.execute("UPDATE added SET name = ? WHERE id = ?", (name, added_id))
            return cur.rowcount > 0

    def delete_added(self, added_id: int) -> bool:
        """Remove a bookmark added here; False when there is no such bookmark."""
        with self._writing("deleting a bookmark") as conn:
            return conn.execute("DELETE FROM added WHERE id = ?", (added_id,)).rowcount > 0

    def change(self, base: tuple[int, int], change: Change, at: int) -> None:
        """Rename or delete the recording's own bookmark ``base`` (id, created_at)."""
        doing = "deleting a bookmark" if change.deleted else "renaming a bookmark"
        with self._writing(doing) as conn:
            conn.execute(
                "INSERT OR REPLACE INTO changed (base_id, base_created, name, deleted, "
                "changed_at) VALUES (?, ?, ?, ?, ?)",
                (base[0], base[1], change.name, int(change.deleted), int(at)),
            )

    def forget(self, base: tuple[int, int]) -> None:
        """Drop any change of ``base`` (it was changed in the recording itself)."""
        if self.path is None:
            return
        with self._writing("renaming a bookmark") as conn:
            conn.execute("DELETE FROM changed WHERE base_id = ? AND base_created = ?", base)

    @contextlib.contextmanager
    def _writing(self, doing: str) -> Iterator[sqlite3.Connection]:
        """A transaction on the sidecar, created where it can be (see the module docstring)."""
        path = self.path or self._create(doing)
        with translating(str(path), doing):
            conn = sqlite3.connect(_uri(path, "rw"), uri=True, isolation_level=None)
            try:
                conn.execute("PRAGMA busy_timeout=5000")  # another session changing it
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                conn.close()

    def _create(self, doing: str) -> Path:
        """Create the sidecar beside the anchor, else in the data folder; its path."""
        beside = self.beside
        if beside is not None:
            existed = beside.exists()
            try:
                return self._initialise(beside)
            except (OSError, sqlite3.Error):
                # A read-only folder (or disk): the data folder takes it. Leave nothing
                # half-made beside the recording.
                if not existed:
                    with contextlib.suppress(OSError):
                        beside.unlink()
        place = self.in_data_folder
        with translating(str(place), doing):
            place.parent.mkdir(parents=True, exist_ok=True)
            return self._initialise(place)

    def _initialise(self, path: Path) -> Path:
        conn = sqlite3.connect(_uri(path, "rwc"), uri=True, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA:
                conn.execute(statement)
            conn.executemany(
                "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                [
                    ("format", FORMAT),
                    ("version", str(VERSION)),
                    ("annotates", str(self.anchor)),
                    ("recording_started_ns", self._stamp()),
                ],
            )
            conn.execute("COMMIT")
        finally:
            conn.close()
        self._found = path
        return path


def origin(history_path: Path) -> Path | None:
    """The file an extracted history stands for (see ``link_origin``), or None."""
    try:
        text = Path(str(history_path) + ORIGIN_SUFFIX).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return Path(text) if text else None


def link_origin(history_path: Path, anchor: Path) -> None:
    """Make ``anchor`` (an incident package) the file the extracted history at
    ``history_path`` stands for, so that both share one sidecar. Raises OSError."""
    text = str(anchor.expanduser().absolute())
    Path(str(history_path) + ORIGIN_SUFFIX).write_text(text, encoding="utf-8")


def _first_start(history: History) -> str:
    """When the history's first recording started (wall clock ns), "" when it has none."""
    with history.reading("reading when it was recorded") as conn:
        first = conn.execute(select(func.min(schema.recordings.c.started_ns))).scalar()
    return "" if first is None else str(int(first))


def _identity(anchor: Path | str, stamp: str) -> str:
    """A file name for the anchor: a hash of its resolved path (or its text) and stamp."""
    where = anchor if isinstance(anchor, str) else str(anchor.expanduser().resolve())
    key = f"{where}\0{stamp}"
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _uri(path: Path, mode: str) -> str:
    return "file:" + urllib.parse.quote(str(path)) + "?mode=" + mode


__all__ = ["Added", "Change", "Sidecar", "link_origin", "origin"]
