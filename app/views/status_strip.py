"""The status bar's live fields: mode, cursor time, abnormal assets, data and frame rates."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app.frame.builder import Frame
from db.write.writer import WriterState
from twin.status import State


class QtStatusStrip(QWidget):
    """Labels updated every frame; kept apart from the window so views never hold it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode_label = QLabel()
        self.clock_label = QLabel()
        self.alarm_label = QLabel()
        self.rate_label = QLabel()
        self.record_label = QLabel()
        self.clock_label.setToolTip(self.tr("Time shown by every view"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(16)
        for label in (self.mode_label, self.clock_label, self.alarm_label):
            layout.addWidget(label)
        layout.addStretch(1)
        layout.addWidget(self.record_label)
        layout.addWidget(self.rate_label)

    def set_mode(self, text: str) -> None:
        self.mode_label.setText(text)

    def set_rates(self, samples_per_s: float, fps: float) -> None:
        self.rate_label.setText(
            self.tr("%1 samples/s · %2 fps")
            .replace("%1", f"{samples_per_s:,.0f}")
            .replace("%2", f"{fps:.0f}")
        )

    def set_recording(self, state: WriterState | None, where: str, problem: str | None) -> None:
        """● REC with rate and size while recording; the reason in red when not."""
        if state is not None and state.recording:
            text = self.tr("● REC %1/s · %2").replace("%1", f"{state.rate_samples_per_s:,.0f}")
            text = text.replace("%2", _size(state.bytes_on_disk))
            colour = "#e8a317" if state.dropped_samples else "#e0281e"
            if state.dropped_samples:
                text += self.tr(" · %1 samples dropped").replace("%1", f"{state.dropped_samples:,}")
            self.record_label.setToolTip(self.tr("Recording into %1").replace("%1", where))
        else:
            error = problem or (state.last_error if state else None)
            reason = error or self.tr("off")
            text = self.tr("Not recording: %1").replace("%1", reason)
            colour = "#ff5252" if error else "#8c9196"  # red only when it went wrong
            self.record_label.setToolTip(reason)
        self.record_label.setText(text)
        self.record_label.setStyleSheet(f"color: {colour}")

    def update_frame(self, frame: Frame) -> None:
        when = QDateTime.fromMSecsSinceEpoch(
            frame.cursor_ns // 1_000_000, QTimeZone.systemTimeZone()
        )
        self.clock_label.setText(when.toString("yyyy-MM-dd HH:mm:ss"))
        alarms = int((frame.asset_states == State.ALARM).sum())
        warnings = int((frame.asset_states == State.WARNING).sum())
        self.alarm_label.setText(
            self.tr("%1 in alarm · %2 warning")
            .replace("%1", str(alarms))
            .replace("%2", str(warnings))
        )


def _size(nbytes: int) -> str:
    """Bytes for people: 512 B, 3.2 MB."""
    size = float(nbytes)
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} B" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"
