"""An export running on a worker thread, reporting progress to the GUI thread."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from db import HistoryError, HistoryReader, open_history
from db.export import export_csv, export_parquet

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportRequest:
    history: str  # path or URL of the history to read
    signal_ids: tuple[str, ...]
    t0: int
    t1: int
    path: Path
    fmt: str = "csv"  # "csv" or "parquet"


class ExportJob(QObject):
    """Runs one export on a thread; ``progress`` and ``finished`` arrive on the GUI thread.

    ``finished(ok, message)``: ok is False when cancelled or failed (no file is left then).
    """

    progress = Signal(float)
    finished = Signal(bool, str)

    def __init__(self, request: ExportRequest, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.request = request
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

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _on_progress(self, fraction: float) -> bool:
        self._fraction = fraction
        return not self._cancel.is_set()

    def _run(self) -> None:
        req = self.request
        write = export_parquet if req.fmt == "parquet" else export_csv
        try:
            with open_history(req.history, read_only=True) as history:
                done = write(
                    HistoryReader(history),
                    req.signal_ids,
                    req.t0,
                    req.t1,
                    req.path,
                    self._on_progress,
                )
            self._outcome = (done, str(req.path) if done else "cancelled")
        except (HistoryError, OSError, ImportError) as exc:
            log.warning("export to %s failed: %s", req.path, exc)
            self._outcome = (False, str(exc))

    def _report(self) -> None:
        self.progress.emit(self._fraction)
        if self._outcome is not None and not self._thread.is_alive():
            self._poll.stop()
            self.finished.emit(*self._outcome)
