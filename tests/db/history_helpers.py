"""Helpers shared by the history tests (a module of its own: importing conftest is fragile)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from twin.batch import Batch, ChannelGroup

NS = 1_000_000_000
T0 = 1_750_000_000 * NS


def wait_until(pred, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.01)
    return bool(pred())


def make_group(key: str = "g", channels: int = 3, rate_hz: float = 1000.0) -> ChannelGroup:
    return ChannelGroup(key, tuple(f"{key}{c}.sig" for c in range(channels)), rate_hz)


def values_at(t: np.ndarray, channels: int) -> np.ndarray:
    """Deterministic test values: each channel a different function of time."""
    s = (t - T0) / NS
    return np.vstack([np.sin(s * (c + 1)) * (c + 1) for c in range(channels)])


def batches(
    group: ChannelGroup,
    seconds: float,
    per_batch: int = 100,
    start: int = T0,
    skip: tuple[float, float] | None = None,
) -> list[Batch]:
    """Regularly sampled batches covering ``seconds`` from ``start``; ``skip`` (s0, s1)
    leaves a hole."""
    step = round(NS / group.rate_hz)
    n = round(seconds * group.rate_hz)
    t = start + np.arange(n, dtype=np.int64) * step
    if skip is not None:
        t = t[((t - start) < skip[0] * NS) | ((t - start) >= skip[1] * NS)]
    v = values_at(t, group.channels)
    return [
        Batch(group.key, t[i : i + per_batch], v[:, i : i + per_batch])
        for i in range(0, t.shape[0], per_batch)
    ]


@contextlib.contextmanager
def readonly_dir(path: Path) -> Iterator[Path]:
    """Make ``path`` unwritable for this process, even as root (chattr +i)."""
    if os.geteuid() == 0:
        res = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if res.returncode != 0:
            pytest.skip(f"cannot make a read-only folder as root: {res.stderr.decode().strip()}")
        try:
            yield path
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=False)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555)
        try:
            yield path
        finally:
            path.chmod(mode)
