"""Digest of every sample of a history range; run by test_package.py in a fresh process:

    python -m tests.db.package_digest PACKAGE

opens the incident package, opens its history read-only and prints
"DIGEST <sha256> <samples>" over the manifest's signals and range, then "CLEAN <bool>"
(whether closing the package removed its extracted folder).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence

import numpy as np

from db import HistoryReader
from db.package import open_package


def digest(reader: HistoryReader, signal_ids: Sequence[str], t0: int, t1: int) -> tuple[str, int]:
    """SHA-256 over (signal id, count, int64 times, float32 value bits) of each signal in
    sorted order, and the number of samples."""
    h = hashlib.sha256()
    n = 0
    for sid in sorted(signal_ids):
        t, v = reader.read(sid, t0, t1)
        h.update(sid.encode() + b"\0" + int(t.size).to_bytes(8, "little"))
        h.update(np.ascontiguousarray(t, "<i8").tobytes())
        h.update(np.ascontiguousarray(v, "<f4").tobytes())
        n += int(t.size)
    return h.hexdigest(), n


def main(argv: Sequence[str]) -> None:
    with open_package(argv[0]) as pkg:
        m = pkg.manifest
        with pkg.open_history() as history:
            text, n = digest(HistoryReader(history), m.signal_ids, m.t0, m.t1)
        print(f"DIGEST {text} {n}", flush=True)
    print(f"CLEAN {not pkg.folder.exists()}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
