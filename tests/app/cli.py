"""Running ``python -m app`` as a user would, for the command-line tests."""

from __future__ import annotations

import subprocess
import sys


def twindeck(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run TwinDeck with ``args``; its exit code, stdout and stderr (text)."""
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
