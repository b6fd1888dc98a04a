"""Suite-wide fixtures (the demo plant) and guards: no test may leave a thread of ours
running."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import paths
from twin.plant.loader import load_plant
from twin.plant.model import Plant

_EXIT_STATUS = pytest.StashKey[int]()


@pytest.fixture(scope="session")
def demo_plant_path() -> Path:
    """The bundled demo plant file (assets/plants/demo_workshop.toml)."""
    return paths.demo_plant_path()


@pytest.fixture(scope="session")
def demo_plant(demo_plant_path: Path) -> Plant:
    """The demo plant, loaded once: a Plant is frozen, so the tests can share it."""
    return load_plant(demo_plant_path)


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    leaked = [
        t
        for t in threading.enumerate()
        if t not in before and t.is_alive() and t.name.startswith("twindeck")
    ]
    assert not leaked, f"test left threads running: {[t.name for t in leaked]}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config.stash[_EXIT_STATUS] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End a run that rendered with VTK without letting X's shutdown decide the exit code.

    pytest-xvfb stops Xvfb at interpreter exit. VTK render windows hold X connections of
    their own that live until the process dies, and Xlib's default handler for a lost
    connection exits with status 1, turning a green run red. So, once pytest is done:
    close Qt's connection, stop Xvfb while nothing draws, and leave with pytest's status.
    """
    xvfb = sys.modules.get("pytest_xvfb")
    if "vtkmodules" not in sys.modules or xvfb is None or xvfb.xvfb_instance is None:
        return
    import shiboken6
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        QApplication.closeAllWindows()
        QApplication.processEvents()
        shiboken6.delete(app)
    sys.stdout.flush()
    sys.stderr.flush()
    xvfb.shutdown_xvfb()
    os._exit(config.stash.get(_EXIT_STATUS, 0))
