"""How long this process has been running, as the operating system tells it."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def process_age_s() -> float | None:
    """Seconds since this process was started, where the system can tell."""
    if sys.platform.startswith("linux"):
        try:
            stat = Path("/proc/self/stat").read_text()
            started_ticks = int(stat.rsplit(")", 1)[1].split()[19])
            uptime = float(Path("/proc/uptime").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return max(0.0, uptime - started_ticks / os.sysconf("SC_CLK_TCK"))
    if sys.platform == "win32":
        import ctypes
        from ctypes import wintypes

        times = [wintypes.FILETIME() for _ in range(4)]
        kernel32 = ctypes.windll.kernel32
        if not kernel32.GetProcessTimes(
            kernel32.GetCurrentProcess(), *(ctypes.byref(t) for t in times)
        ):
            return None
        now = wintypes.FILETIME()
        kernel32.GetSystemTimeAsFileTime(ctypes.byref(now))

        def ticks(ft: wintypes.FILETIME) -> int:
            return (ft.dwHighDateTime << 32) | ft.dwLowDateTime

        return max(0.0, (ticks(now) - ticks(times[0])) / 1e7)
    return None
