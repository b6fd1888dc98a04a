"""``--metrics FILE``: the session's vital figures as JSON lines, for monitoring and benchmarks.

One object a line: ``first_frame`` when the first frame is drawn (seconds since the process
started), ``tick`` every second (frames drawn, samples taken in, the recorder's state) and
``stopped`` once the session has stopped and the recording is flushed. A line is written
whole and flushed at once, so a reader polling the file never sees half of one.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import IO, Any

from PySide6.QtCore import QObject, QTimer

from app.compose.parts import Session
from app.process_age import process_age_s


class MetricsLog(QObject):
    """Writes ``session``'s figures to ``path`` (appending) while it runs."""

    def __init__(self, path: Path, session: Session) -> None:
        super().__init__(session.window)
        self.session = session
        self._file: IO[str] | None = path.open("a", encoding="utf-8")
        self._started = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(lambda: self._write("tick"))
        session.scheduler.frame_drawn.connect(self._first_frame)

    def start(self) -> None:
        self._timer.start()

    def _first_frame(self, _frame: object) -> None:
        self.session.scheduler.frame_drawn.disconnect(self._first_frame)
        self._write("first_frame")

    def close(self) -> None:
        """After the session stopped: the final figures, then the file is closed."""
        self._timer.stop()
        self._write("stopped")
        if self._file is not None:
            self._file.close()
            self._file = None

    def _write(self, event: str) -> None:
        if self._file is None:
            return
        self._file.write(json.dumps(self._figures(event)) + "\n")
        self._file.flush()

    def _figures(self, event: str) -> dict[str, Any]:
        session = self.session
        runtime = session.runtime
        figures: dict[str, Any] = {
            "event": event,
            "age_s": process_age_s(),
            "session_s": round(time.monotonic() - self._started, 3),
            "frames": session.scheduler.frames,
            "samples_in": runtime.ingestor.samples_in if runtime is not None else 0,
        }
        recorder = session.recording.recorder
        if recorder is not None:
            state = recorder.state()
            figures |= {
                "written_samples": state.written_samples,
                "dropped_samples": state.dropped_samples,
                "rejected_samples": state.rejected_samples,
                "bytes_on_disk": state.bytes_on_disk,
            }
        return figures
