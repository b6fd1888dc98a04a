"""Long exports on a worker thread, reporting progress to the GUI thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from db import HistoryError, HistoryReader, open_history
from db.package_manifest import PackageError
from db.read.export import export_csv, export_parquet
from twin.plant.loader import PlantError

log = logging.getLogger(__name__)

Progress = Callable[[float], bool]
Work = Callable[[Progress], bool]  # True when done, False when cancelled
EXPECTED_ERRORS = (HistoryError, PackageError, PlantError, OSError, ImportError, ValueError)


@dataclass(frozen=True)
class ExportRequest:
    history: str  # path or URL of the history to read
    signal_ids: tuple[str, ...]
    t0: int
    t1: int
    path: Path
    fmt: str = "csv"  # "csv" or "parquet"


def export_work(req: ExportRequest) -> Work:
    """The work of a CSV/Parquet export, for a :class:`ProgressJob`."""
    write = export_parquet if req.fmt == "parquet" else export_csv

    def work(progress: Progress) -> bool:
        with open_history(req.history, read_only=True) as history:
            return write(HistoryReader(history), req.signal_ids, req.t0, req.t1, req.path, progress)

    return work


class ProgressJob(QObject):
    """Runs ``work`` on a thread; ``progress`` and ``finished`` arrive on the GUI thread.

    ``finished(ok, message)``: ok is False when cancelled ("cancelled") or failed (the
    error's text); the work itself leaves no partial file behind.
    """

    progress = Signal(float)
    finished = Signal(bool, str)

    def __init__(self, work: Work, target: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self._work = work
        self._fraction = 0.0
        self._cancel = threading.Event()
        self._outcome: tuple[bool, str] | None = None
        self._thread = threading.Thread(target=self._run, name="twindeck-export", daemon=True)
        # Poll rather than emit from the worker: the GUI sees at most 10 updates a second.
        self._poll = QTimer(self)
        self._poll.setInterval(100)
        self._poll.timeout.connect(self._report)

    def start(self) -> None:
        self._thread.start()
        self._poll.start()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _on_progress(self, fraction: float) -> bool:
        self._fraction = fraction
        return not self._cancel.is_set()

    def _run(self) -> None:
        try:
            done = self._work(self._on_progress)
            self._outcome = (done, str(self.target) if done else "cancelled")
        except EXPECTED_ERRORS as exc:
            log.warning("export to %s failed: %s", self.target, exc)
            self._outcome = (False, str(exc))

    def _report(self) -> None:
        self.progress.emit(self._fraction)
        if self._outcome is not None and not self._thread.is_alive():
            self._poll.stop()
            self.finished.emit(*self._outcome)


def show_progress(job: ProgressJob, text: str, cancel: str, parent: QWidget) -> QProgressDialog:
    """A window-modal progress dialog that follows ``job`` (after 300 ms) and cancels it."""
    progress = QProgressDialog(text, cancel, 0, 1000, parent)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.canceled.connect(job.cancel)
    job.progress.connect(lambda f: progress.setValue(int(f * 1000)))
    return progress
