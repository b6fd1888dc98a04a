"""``open_history``: an SQLite path or an SQLAlchemy URL to an open History.

Opening is split by backend (db.sqlite_file, db.server); both check a target before
writing anything, so a file or database that is not ours, is newer, corrupt or in use is
never modified. ``History`` itself lives in db.history (re-exported here).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

from db.errors import HistoryError, translating
from db.history import History
from db.server import open_server
from db.sqlite_file import open_sqlite

__all__ = ["History", "open_history"]


def open_history(
    url_or_path: str | os.PathLike[str], *, read_only: bool = False, create: bool = True
) -> History:
    """Open (or create) a history at an SQLite path or an SQLAlchemy URL
    (``sqlite:///file.twinhist``, ``postgresql+psycopg://user@host/db``).

    Writable opens take the recorder lock (one recording process per history) and upgrade
    an older schema. Raises HistoryError, leaving the file untouched, when the target is not
    a TwinDeck history, is corrupt, has a newer schema, is locked, or cannot be written.
    """
    target = os.fspath(url_or_path)
    if "://" not in target:
        return open_sqlite(Path(target), read_only=read_only, create=create)
    with translating(target, "reading its URL"):
        url = make_url(target)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise HistoryError(
                f"{target}: an in-memory database cannot hold a history.", where=target
            )
        return open_sqlite(Path(url.database), read_only=read_only, create=create)
    return open_server(target, read_only=read_only, create=create)
