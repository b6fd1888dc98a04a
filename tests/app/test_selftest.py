"""``twindeck --self-test`` as IT runs it after installing: a report and an exit code."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

CHECKS = ("display", "assets", "history", "window", "simulate", "3d-view", "live", "record")


def _self_test(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
        check=False,
    )


def test_the_self_test_passes_and_reports_versions_checks_and_first_frame() -> None:
    result = _self_test()
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for part in ("TwinDeck", "Python 3.", "Qt 6.", "VTK 9.", "numpy ", "OpenGL: "):
        assert part in out
    for name in (*CHECKS, "replay"):
        assert re.search(rf"^  ok   {re.escape(name)} +\d+ ms  ", out, re.MULTILINE), name
    assert "FAIL" not in out
    first = re.search(r"first frame drawn (\d+\.\d+) s after launch", out)
    assert first is not None and 0.0 < float(first.group(1)) < 60.0
    assert re.search(r"\d+ values at \+30 s match live", out)
    assert re.search(r"^self-test passed: 9 checks in \d+\.\d s$", out, re.MULTILINE)


def test_an_empty_3d_view_fails_the_run_and_names_the_check() -> None:
    result = _self_test(TWINDECK_SELFTEST_FAIL="render")  # every actor hidden: background only
    assert result.returncode == 1
    assert re.search(r"^  FAIL 3d-view .*3D view is empty: 0 of", result.stdout, re.MULTILINE)
    assert "self-test FAILED: 3d-view" in result.stdout
    assert "self-test failed: 3d-view" in result.stderr
    assert "  ok   live" not in result.stdout  # the checks after a failure do not run
    assert "Traceback" not in result.stderr


def test_a_history_that_cannot_be_created_fails_the_run_and_names_the_check() -> None:
    result = _self_test(TWINDECK_SELFTEST_FAIL="history")  # its folder's place is a file
    assert result.returncode == 1
    assert re.search(r"^  FAIL history .*not-a-folder", result.stdout, re.MULTILINE)
    assert "self-test failed: history" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 display check")
def test_without_a_display_it_says_so_instead_of_aborting() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    result = subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert "FAIL display" in result.stdout and "no DISPLAY" in result.stdout


def test_help_lists_the_self_test() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "--self-test" in result.stdout
