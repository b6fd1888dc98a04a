"""The exceptions the history raises, and the translation of driver errors into them.

Every message names the file (or database URL) and says what the user can do about it, so
the UI can show it as is. ``HistoryError`` is the base class; its subclasses name the cases
a caller may want to tell apart (and ``kind`` says the same as a short tag).

Driver errors are classified on what the drivers type: SQLite's result code
(``sqlite_errorcode``), PostgreSQL's SQLSTATE (``sqlstate`` / ``pgcode``), psycopg's
connection failures, SQLAlchemy's invalidated connections, and ``errno`` of OS errors.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
import sys
from collections.abc import Callable, Iterator
from typing import ClassVar

from sqlalchemy.exc import DBAPIError, SQLAlchemyError


class HistoryError(Exception):
    """A history file or database cannot be opened, read or written.

    ``str(err)`` is the sentence for the user; ``where`` names the file or database;
    ``kind`` is a short machine-readable tag of the subclass ("io" for this base class).
    """

    kind: ClassVar[str] = "io"

    def __init__(self, message: str, *, where: str = "") -> None:
        super().__init__(message)
        self.where = where


class NotAHistoryError(HistoryError):
    """The target is not a TwinDeck history (another application's, or not a database)."""

    kind = "not_twindeck"


class HistoryCorruptError(HistoryError):
    """The history is damaged."""

    kind = "corrupt"


class NewerSchemaError(HistoryError):
    """Written by a newer TwinDeck: this version cannot read it."""

    kind = "newer_schema"


class OlderSchemaError(HistoryError):
    """Written by an older TwinDeck: it must be upgraded (opened writable) first."""

    kind = "older_schema"


class HistoryBusyError(HistoryError):
    """Another writer holds a lock on the history; trying again later may work."""

    kind = "locked"


class HistoryInUseError(HistoryBusyError):
    """Another TwinDeck is recording into the history; open it read-only to replay it."""


class ReadOnlyError(HistoryError):
    """The history (its file, folder, disk or database session) cannot be written."""

    kind = "read_only"


class DiskFullError(HistoryError):
    """The disk is full, a size limit was reached, or the disk refused a write."""

    kind = "disk_full"


class HistoryMissingError(HistoryError):
    """There is no history where one was asked for."""

    kind = "missing"


class ServerUnreachableError(HistoryError):
    """The database server cannot be reached (or refused the connection)."""

    kind = "unreachable"


# --- what a driver error is -----------------------------------------------------------------

_SQLITE_WRITE_REFUSED = {
    sqlite3.SQLITE_IOERR_WRITE,
    sqlite3.SQLITE_IOERR_FSYNC,
    sqlite3.SQLITE_IOERR_DIR_FSYNC,
    sqlite3.SQLITE_IOERR_TRUNCATE,
}
_SQLITE_PRIMARY = {
    sqlite3.SQLITE_FULL: "disk_full",
    sqlite3.SQLITE_READONLY: "read_only",
    sqlite3.SQLITE_PERM: "read_only",
    sqlite3.SQLITE_CORRUPT: "corrupt",
    sqlite3.SQLITE_NOTADB: "not_a_database",
    sqlite3.SQLITE_BUSY: "busy",
    sqlite3.SQLITE_LOCKED: "busy",
}
_SQLSTATE = {
    "53100": "disk_full",  # disk_full
    "25006": "read_only",  # read_only_sql_transaction (a read-only open)
    "42501": "read_only",  # insufficient_privilege
    "XX001": "corrupt",  # data_corrupted
    "XX002": "corrupt",  # index_corrupted
    "55P03": "busy",  # lock_not_available
    "55006": "busy",  # object_in_use
    "40P01": "busy",  # deadlock_detected
    "40001": "busy",  # serialization_failure
    "53300": "unreachable",  # too_many_connections
    "57P01": "unreachable",  # admin_shutdown
    "57P02": "unreachable",  # crash_shutdown
    "57P03": "unreachable",  # cannot_connect_now
}
_ERRNO = {
    errno.ENOSPC: "disk_full",
    errno.EDQUOT: "disk_full",
    errno.EFBIG: "file_too_large",
    errno.EACCES: "read_only",
    errno.EROFS: "read_only",
    errno.EPERM: "read_only",
}


def _root_cause(exc: BaseException) -> BaseException:
    # SQLAlchemy wraps DBAPI errors; the driver's own exception carries the typed details.
    orig = getattr(exc, "orig", None)
    return orig if isinstance(orig, BaseException) else exc


def _sqlstate(cause: BaseException) -> str | None:
    # psycopg 3 names it ``sqlstate``, psycopg2 ``pgcode``; None when the server sent none.
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return code if isinstance(code, str) and code else None


def _psycopg_connection_failure(cause: BaseException) -> bool:
    """A psycopg OperationalError without SQLSTATE comes from libpq, not from a server
    statement: connecting failed (refused, timeout, unknown host, database or role) or the
    connection broke. Looked up in sys.modules: a psycopg error means psycopg is loaded,
    and SQLite-only sessions do not pay for importing it."""
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(cause, psycopg.OperationalError)


def _typed_case(exc: BaseException, cause: BaseException, doing: str) -> str | None:
    """The case of an error the driver typed, or None when it carries no type information."""
    if isinstance(cause, sqlite3.Error):
        code = getattr(cause, "sqlite_errorcode", None)
        if code is None:  # raised by Python's sqlite3 module (or our code), not by SQLite
            return None
        if code in _SQLITE_WRITE_REFUSED:
            return "write_refused"
        if code & 0xFF == sqlite3.SQLITE_IOERR:
            # Other I/O errors are a failing disk; while writing, say so the way a full
            # or failing disk is reported (``doing`` is our own wording, see the callers).
            return "write_refused" if "writ" in doing else "io"
        return _SQLITE_PRIMARY.get(code & 0xFF, "io")
    state = _sqlstate(cause)
    if state is not None:
        if state.startswith("08"):  # connection_exception
            return "unreachable"
        return _SQLSTATE.get(state, "io")
    if _psycopg_connection_failure(cause):
        return "unreachable"
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return "unreachable"
    if isinstance(exc, SQLAlchemyError) and cause is exc:
        return "io"  # SQLAlchemy's own (pool timeout, bad URL, missing driver): its text says it
    if isinstance(cause, OSError) and cause.errno is not None:
        return _ERRNO.get(cause.errno, "io")
    return None


def _text_case(cause: BaseException, doing: str) -> str:
    """The case of an error that carries only its text: an exception raised by Python code
    rather than the driver (sqlite3's own errors, a connection factory's, an OSError made
    without errno). Nothing typed is left to go by, so match the words."""
    text = str(cause).lower()
    if "disk is full" in text or "no space left" in text:
        return "disk_full"
    if "file too large" in text:
        return "file_too_large"
    if "disk i/o error" in text and "writ" in doing:
        return "write_refused"
    if "readonly" in text or "read-only" in text or "permission denied" in text:
        return "read_only"
    if "malformed" in text or "corrupt" in text:
        return "corrupt"
    if "not a database" in text:
        return "not_a_database"
    if "locked" in text or "busy" in text:
        return "busy"
    if "connection" in text and ("refused" in text or "failed" in text or "timeout" in text):
        return "unreachable"
    return "io"


# case -> (class, message of where, doing, cause)
_Message = Callable[[str, str, BaseException], str]
_CASES: dict[str, tuple[type[HistoryError], _Message]] = {
    "disk_full": (
        DiskFullError,
        lambda w, d, c: (
            f"{w}: the disk is full while {d}. Free some space (or apply a shorter "
            "retention), then start recording again."
        ),
    ),
    "file_too_large": (
        DiskFullError,
        lambda w, d, c: (
            f"{w}: the file reached the size limit of this system while {d}. "
            "Record into a new file or apply a shorter retention."
        ),
    ),
    "write_refused": (
        DiskFullError,
        lambda w, d, c: (
            f"{w}: the disk refused a write while {d} (it is full, over a size "
            "limit, or failing). Free some space or record into another disk, then start "
            "recording again."
        ),
    ),
    "read_only": (
        ReadOnlyError,
        lambda w, d, c: (
            f"{w}: cannot write here while {d} (read-only file, folder or disk). "
            "Choose a folder you can write to, or open the history read-only to replay it."
        ),
    ),
    "corrupt": (
        HistoryCorruptError,
        lambda w, d, c: (
            f"{w} is damaged (the database is corrupt) — found while {d}. Restore it "
            "from a backup or record into a new file; TwinDeck did not change it."
        ),
    ),
    "not_a_database": (
        NotAHistoryError,
        lambda w, d, c: (
            f"{w} is not a TwinDeck history (not an SQLite database, or its header is "
            "damaged). Choose another file; TwinDeck did not change it."
        ),
    ),
    "busy": (
        HistoryBusyError,
        lambda w, d, c: (
            f"{w} is busy: another program holds a lock on it while {d}. "
            "Close the other program or try again."
        ),
    ),
    "unreachable": (
        ServerUnreachableError,
        lambda w, d, c: (
            f"{w}: cannot reach the database server ({c}). Check the URL, the "
            "network and that the server is running."
        ),
    ),
    "io": (HistoryError, lambda w, d, c: f"{w}: {c} (while {d})."),
}


def translate(exc: BaseException, where: str, doing: str) -> HistoryError:
    """Turn a driver / OS error raised while ``doing`` something with ``where`` into the
    HistoryError (subclass) with a message a user can act on; a HistoryError is returned
    as it is."""
    if isinstance(exc, HistoryError):
        return exc
    cause = _root_cause(exc)
    case = _typed_case(exc, cause, doing)
    if case is None:
        case = _text_case(cause, doing)
    cls, message = _CASES[case]
    return cls(message(where, doing, cause), where=where)


@contextlib.contextmanager
def translating(where: str, doing: str) -> Iterator[None]:
    """Run a block whose errors become HistoryErrors (``translate``) about ``where``; a
    HistoryError raised inside passes through unchanged."""
    try:
        yield
    except HistoryError:
        raise
    except Exception as exc:
        raise translate(exc, where, doing) from exc
