"""An exclusive, non-blocking OS lock on a small file beside an SQLite history.

Why a lock file and not SQLite's own locking: SQLite locks per transaction, so two
recorders would interleave their chunks happily; we want "one recorder per file" for the
whole session. The OS drops the lock when the process dies (even by SIGKILL), so a crashed
recorder never leaves a held lock behind, only an unlocked file that the next recorder
takes over.

A clean ``release()`` removes the ``.lock`` file, which needs care: a second process may
have opened the file just before it was removed and lock it right after, holding a lock on
a file no longer at that path while a third process creates a new one. So whoever takes the
lock checks that the path still names the file it locked, and starts over when it does not;
and the file is only ever removed by the process holding its lock (on Windows, where an
open file cannot be removed, right after unlocking it: the removal fails while anyone else
has it open, and then the file stays).
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from pathlib import Path

# Taking the lock starts over when the file was replaced meanwhile; a replacement needs a
# holder's release in between, so more than a few rounds means something else is wrong.
ATTEMPTS = 20


class LockHeld(Exception):
    """The lock is held by someone else; ``holder`` says who, when known."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


class FileLock:
    """Hold an exclusive lock on ``path`` until ``release()``, which removes the file.
    Raises LockHeld, or OSError when the lock file cannot be created (read-only folder,
    disk full)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = _acquire(path)
        try:  # Best effort: tell a second process who holds it.
            os.ftruncate(self._fd, 0)
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.write(self._fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode())
        except OSError:
            pass

    def release(self) -> None:
        """Unlock and remove the lock file; idempotent."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            _unlock(fd)
            os.close(fd)
            with contextlib.suppress(OSError):  # someone else has it open: leave it
                self.path.unlink()
            return
        # Removed while still locked, so nobody can take a lock on it in between; a process
        # that opened it already finds it gone once it gets the lock, and starts over.
        if still_at(self.path, fd):
            with contextlib.suppress(OSError):
                self.path.unlink()
        _unlock(fd)
        os.close(fd)


def still_at(path: Path, fd: int) -> bool:
    """Whether ``path`` still names the file open as ``fd`` (not removed or replaced)."""
    try:
        named, held = os.stat(path), os.fstat(fd)
    except OSError:
        return False
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def _acquire(path: Path) -> int:
    """Open ``path`` (creating it) and lock it; the locked descriptor."""
    for _ in range(ATTEMPTS):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except OSError as exc:
            holder = _read_holder(fd)
            os.close(fd)
            raise LockHeld(holder) from exc
        if still_at(path, fd):
            return fd
        # Its holder removed it between our open and our lock: take the new one.
        _unlock(fd)
        os.close(fd)
    raise LockHeld("another process (its lock file keeps being replaced)")


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
