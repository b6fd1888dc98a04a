"""The recorder lock beside an SQLite history: gone after a clean close, respected while
another process holds it, never taken twice when its file is removed meanwhile."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from db import HistoryError, open_history
from db.lockfile import FileLock, LockHeld, still_at
from db.write.recorder import Recorder
from tests.db.history_helpers import batches, make_group

ROOT = Path(__file__).resolve().parents[2]
fcntl = pytest.importorskip("fcntl")  # the race test locks a descriptor by hand


def _lock_of(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def test_a_recorder_closed_cleanly_leaves_no_lock_file(tmp_path: Path) -> None:
    path = tmp_path / "line1.twinhist"
    group = make_group("m", 2, 10.0)
    recorder = Recorder.open(path, [group])
    assert _lock_of(path).exists()  # held while recording
    for b in batches(group, 3.0):
        recorder.offer(b)
    recorder.close()
    assert not _lock_of(path).exists()
    with open_history(path) as again:  # and the next recorder takes the file as usual
        assert _lock_of(path).exists() and not again.read_only
    assert not _lock_of(path).exists()


def test_another_process_lock_is_respected_and_its_file_kept(tmp_path: Path) -> None:
    path = tmp_path / "busy.twinhist"
    open_history(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys
            from db import open_history
            h = open_history({str(path)!r})
            print("open", flush=True)
            sys.stdin.read()
            h.close()
            print("closed", flush=True)
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        for _ in range(2):  # a refused open leaves the holder's lock file and its lock
            with pytest.raises(HistoryError) as info:
                open_history(path)
            assert info.value.kind == "locked" and f"pid {holder.pid}" in str(info.value)
            assert _lock_of(path).exists()
        with open_history(path, read_only=True):  # replaying it meanwhile is fine
            pass
        assert holder.stdin is not None
        holder.stdin.close()  # the holder closes cleanly: its lock file goes with it
        assert holder.stdout.readline().strip() == "closed"
    finally:
        holder.kill()
        holder.wait()
    assert not _lock_of(path).exists()
    open_history(path).close()


def test_a_killed_holder_leaves_an_unlocked_file_the_next_recorder_takes(tmp_path: Path) -> None:
    path = tmp_path / "crashed.twinhist"
    open_history(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from db import open_history; h = open_history({str(path)!r}); "
            "print('open', flush=True); input()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
    holder.kill()
    holder.wait()
    assert _lock_of(path).exists()  # no clean close
    open_history(path).close()
    assert not _lock_of(path).exists()


def test_a_lock_file_removed_after_it_was_opened_is_not_taken(tmp_path: Path) -> None:
    path = tmp_path / "h.twinhist.lock"
    first = FileLock(path)
    # A second process opened the file just before the first one released it...
    late = os.open(path, os.O_RDWR)
    try:
        first.release()
        assert not path.exists()
        # ...so it gets the lock on a file that no longer is the lock file, and must see so.
        fcntl.flock(late, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert not still_at(path, late)
        second = FileLock(path)  # a third process creates and takes the real one
        try:
            with pytest.raises(LockHeld):
                FileLock(path)
        finally:
            second.release()
    finally:
        os.close(late)
    assert not path.exists()
