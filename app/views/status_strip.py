"""The status bar's live fields: mode, cursor time, abnormal assets, the operator on shift,
data and frame rates."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QTimeZone, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from app.frame.builder import Frame
from db.write.writer import WriterState
from twin.status import State

LOOKING_BACK_STYLE = "color: #e8a317; font-weight: bold"
NOT_SIGNED_IN_STYLE = "QToolButton { color: #e8a317; }"


class QtStatusStrip(QWidget):
    """Labels updated every frame; kept apart from the window so views never hold it.

    The mode is the session's text (``set_mode``) while the frames are live; once a
    session has drawn live frames, a frame that is not live means the operator looks
    back, and the mode says so instead of claiming LIVE. The operator field is hidden
    until ``set_operator``; a click on it emits ``operator_clicked``.
    """

    operator_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mode = ""
        self._seen_live = False
        self._looking_back = False
        self.operator_button = QToolButton()
        self.operator_button.setAutoRaise(True)
        self.operator_button.setToolTip(self.tr("Who is on shift: click to sign in"))
        self.operator_button.clicked.connect(lambda: self.operator_clicked.emit())
        self.operator_button.setVisible(False)
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
        layout.addWidget(self.operator_button)
        layout.addWidget(self.record_label)
        layout.addWidget(self.rate_label)

    def set_mode(self, text: str) -> None:
        """The session's mode ("● LIVE · simulator", "REPLAY · title")."""
        self._mode = text
        self._show_mode()

    @property
    def looking_back(self) -> bool:
        return self._looking_back

    def _show_mode(self) -> None:
        if self._looking_back:
            self.mode_label.setText(self.tr("◀ LOOKING BACK · End: back to live"))
            self.mode_label.setStyleSheet(LOOKING_BACK_STYLE)
        else:
            self.mode_label.setText(self._mode)
            self.mode_label.setStyleSheet("")

    def set_operator(self, text: str, signed_in: bool) -> None:
        """Show who is on shift (amber while nobody has signed in)."""
        self.operator_button.setText(text)
        self.operator_button.setStyleSheet("" if signed_in else NOT_SIGNED_IN_STYLE)
        self.operator_button.setVisible(True)

    def set_rates(self, samples_per_s: float, fps: float) -> None:
        self.rate_label.setText(
            self.tr("%1 samples/s · %2 fps")
            .replace("%1", f"{samples_per_s:,.0f}")
            .replace("%2", f"{fps:.0f}")
        )

    def set_live_buffers(self, nbytes: int, signals: int, retention_s: float) -> None:
        """Say in the rates' tooltip how much memory the live buffers take, and for what."""
        self.rate_label.setToolTip(
            self.tr("Live buffers: %1 for %2 signals, the last %3 s of each (--retention)")
            .replace("%1", _size(nbytes))
            .replace("%2", f"{signals:,}")
            .replace("%3", f"{retention_s:g}")
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
        self._seen_live = self._seen_live or frame.live
        looking_back = self._seen_live and not frame.live
        if looking_back != self._looking_back:
            self._looking_back = looking_back
            self._show_mode()
        when = QDateTime.fromMSecsSinceEpoch(
            frame.cursor_ns // 1_000_000, QTimeZone.systemTimeZone()
        )
        self.clock_label.setText(when.toString("yyyy-MM-dd HH:mm:ss"))
        alarms = int((frame.asset_states == State.ALARM).sum())
        warnings = int((frame.asset_states == State.WARNING).sum())
        text = (
            self.tr("%1 in alarm · %2 warning")
            .replace("%1", str(alarms))
            .replace("%2", str(warnings))
        )
        # Looking back, these are the assets at the cursor, not the plant now.
        self.alarm_label.setText(
            self.tr("At the cursor: %1").replace("%1", text) if looking_back else text
        )


def _size(nbytes: int) -> str:
    """Bytes for people: 512 B, 3.2 MB."""
    size = float(nbytes)
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} B" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"
