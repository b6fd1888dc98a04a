"""Whole lines on stdout from several threads, for the crash-test subprocesses."""

from __future__ import annotations

import sys
import threading

_said = threading.Lock()


def say(line: str) -> None:
    """Write ``line`` and its newline as one (print() writes them apart, and lines from
    the writer's, the compactor's and the main thread could interleave), then flush."""
    with _said:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
