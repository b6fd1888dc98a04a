"""Run by test_writer.py in a subprocess: record forever, reporting each committed flush.

    python -m tests.db.crash_recorder PATH [--fsize BYTES]

Prints "FLUSHED <group> <last t>" after every committed flush, "STOPPED <error>" when the
writer stops recording, and is killed by the test. ``--fsize`` caps the size of files the
process may write (RLIMIT_FSIZE), which makes the disk "full" for SQLite.
"""

from __future__ import annotations

import argparse
import sys
import time

from db import FlushInfo, HistoryWriter, open_history
from tests.db.history_helpers import batches, make_group
from tests.db.whole_lines import say


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--fsize", type=int, default=0)
    args = ap.parse_args()
    g = make_group("crash", 4, 1000.0)
    h = open_history(args.path)
    if args.fsize:
        import resource

        # Python ignores SIGXFSZ, so an oversized write fails with EFBIG instead of killing.
        resource.setrlimit(resource.RLIMIT_FSIZE, (args.fsize, args.fsize))

    def report(info: FlushInfo) -> None:
        for key, t in info.last_t.items():
            say(f"FLUSHED {key} {t}")

    w = HistoryWriter(h, [g], flush_interval_s=0.05, on_flush=report)
    say("READY")
    sent = 0
    for b in batches(g, 3600.0, per_batch=50):  # 50 ms of data per batch
        while not w.offer(b):
            if not w.recording:
                say(f"STOPPED {w.last_error}")
                sent = -1
                break
            time.sleep(0.001)
        if sent < 0:
            break
        sent += 1
        if sent % 4 == 0:
            time.sleep(0.001)  # let the writer run; ~ 200 s of data per wall second
    sys.stdin.read()  # wait to be killed


if __name__ == "__main__":
    main()
