"""Run by test_compaction.py in a subprocess: record a wide 1 Hz group as fast as it can
(its compactor merging staged rows meanwhile), reporting flushes and compaction slices,
until killed.

    python -m tests.db.crash_compactor PATH START_S SECONDS

Records ``SECONDS`` of data from T0 + START_S seconds, printing "FLUSHED <last t>" after
every committed flush and "SLICE <window start> <channels done> <last 0|1>" after every
committed compaction slice, then "DONE" and waits to be killed.
"""

from __future__ import annotations

import argparse
import sys
import time

from db import FlushInfo, HistoryWriter, open_history
from db.write.compactor import SliceInfo
from tests.db.history_helpers import NS, T0, batches, make_group
from tests.db.whole_lines import say

CHANNELS = 2500


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("start_s", type=int)
    ap.add_argument("seconds", type=int)
    args = ap.parse_args()
    g = make_group("cc", CHANNELS, 1.0)
    h = open_history(args.path)

    def flushed(info: FlushInfo) -> None:
        say(f"FLUSHED {info.last_t['cc']}")

    def sliced(s: SliceInfo) -> None:
        say(f"SLICE {s.w_start} {s.done} {int(s.last)}")

    w = HistoryWriter(h, [g], flush_interval_s=0.01, on_flush=flushed, on_compact=sliced)
    say("READY")
    for b in batches(g, args.seconds, per_batch=1, start=T0 + args.start_s * NS):
        while not w.offer(b):
            if not w.recording:
                say(f"STOPPED {w.last_error}")
                return
            time.sleep(0.001)
    say("DONE")
    sys.stdin.read()  # wait to be killed


if __name__ == "__main__":
    main()
