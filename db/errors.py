"""The one exception the history raises, and the translation of driver errors into it.

Every message names the file (or database URL) and says what the user can do about it, so
the UI can show it as is.
"""

from __future__ import annotations

import errno
import sqlite3


class HistoryError(Exception):
    """A history file or database cannot be opened, read or written.

    ``kind`` is a short machine-readable tag ("not_twindeck", "corrupt", "newer_schema",
    "older_schema", "locked", "read_only", "disk_full", "missing", "unreachable", "io")
    for callers that want to react differently; ``str(err)`` is the sentence for the user.
    """

    def __init__(self, message: str, *, kind: str = "io", where: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.where = where


def _root_cause(exc: BaseException) -> BaseException:
    # SQLAlchemy wraps DBAPI errors; the driver's own exception carries the useful text.
    orig = getattr(exc, "orig", None)
    return orig if isinstance(orig, BaseException) else exc


def translate(exc: BaseException, where: str, doing: str) -> HistoryError:
    """Turn a driver / OS error raised while ``doing`` something with ``where`` into a
    HistoryError with a message a user can act on."""
    if isinstance(exc, HistoryError):
        return exc
    cause = _root_cause(exc)
    text = str(cause).lower()
    code = getattr(cause, "errno", None)
    if code == errno.ENOSPC or "disk is full" in text or "no space left" in text:
        return HistoryError(
            f"{where}: the disk is full while {doing}. Free some space (or apply a shorter "
            "retention), then start recording again.",
            kind="disk_full",
            where=where,
        )
    if code == errno.EFBIG or "file too large" in text:
        return HistoryError(
            f"{where}: the file reached the size limit of this system while {doing}. "
            "Record into a new file or apply a shorter retention.",
            kind="disk_full",
            where=where,
        )
    name = str(getattr(cause, "sqlite_errorname", ""))
    if (
        name.startswith("SQLITE_IOERR_WRITE")
        or name.startswith("SQLITE_IOERR_FSYNC")
        or ("disk i/o error" in text and "writ" in doing)
    ):
        return HistoryError(
            f"{where}: the disk refused a write while {doing} (it is full, over a size "
            "limit, or failing). Free some space or record into another disk, then start "
            "recording again.",
            kind="disk_full",
            where=where,
        )
    if (
        code in (errno.EACCES, errno.EROFS, errno.EPERM)
        or "readonly" in text
        or "read-only" in text
        or "permission denied" in text
    ):
        return HistoryError(
            f"{where}: cannot write here while {doing} (read-only file, folder or disk). "
            "Choose a folder you can write to, or open the history read-only to replay it.",
            kind="read_only",
            where=where,
        )
    if "malformed" in text or "corrupt" in text:
        return HistoryError(
            f"{where} is damaged (the database is corrupt) — found while {doing}. Restore it "
            "from a backup or record into a new file; TwinDeck did not change it.",
            kind="corrupt",
            where=where,
        )
    if "not a database" in text:
        return HistoryError(
            f"{where} is not a TwinDeck history (not an SQLite database, or its header is "
            "damaged). Choose another file; TwinDeck did not change it.",
            kind="not_twindeck",
            where=where,
        )
    if "locked" in text or "busy" in text:
        return HistoryError(
            f"{where} is busy: another program holds a lock on it while {doing}. "
            "Close the other program or try again.",
            kind="locked",
            where=where,
        )
    if "connection" in text and ("refused" in text or "failed" in text or "timeout" in text):
        return HistoryError(
            f"{where}: cannot reach the database server ({cause}). Check the URL, the "
            "network and that the server is running.",
            kind="unreachable",
            where=where,
        )
    if isinstance(cause, sqlite3.Error | OSError):
        return HistoryError(f"{where}: {cause} (while {doing}).", kind="io", where=where)
    return HistoryError(f"{where}: {cause} (while {doing}).", kind="io", where=where)
