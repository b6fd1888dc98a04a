"""An exclusive, non-blocking OS lock on a small file beside an SQLite history.

Why a lock file and not SQLite's own locking: SQLite locks per transaction, so two
recorders would interleave their chunks happily; we want "one recorder per file" for the
whole session. The OS drops the lock when the process dies (even by SIGKILL), so a crashed
recorder never leaves a stale lock behind, and the empty ``.lock`` file is left in place on
purpose (deleting it would race with a second process opening it).
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path


class LockHeld(Exception):
    """The lock is held by someone else; ``holder`` says who, when known."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


class FileLock:
    """Hold an exclusive lock on ``path`` until ``release()``. Raises LockHeld, or OSError
    when the lock file cannot be created (read-only folder, disk full)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except OSError as exc:
            holder = _read_holder(fd)
            os.close(fd)
            raise LockHeld(holder) from exc
        self._fd: int | None = fd
        try:  # Best effort: tell a second process who holds it.
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode())
        except OSError:
            pass

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            _unlock(fd)
            os.close(fd)


def _read_holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 200).decode(errors="replace").strip() or "another process"
    except OSError:
        return "another process"


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _lock(fd: int) -> None:
        # flock locks belong to the open file description, so a second open in the same
        # process conflicts too (unlike POSIX record locks).
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
