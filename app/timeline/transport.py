"""QtTransportBar: play/pause, step, speed, loop, back to live, and the cursor time.

Keys (``handle_key``, also used by ``QtReplayPanel`` for the timeline): Space play/pause,
Left/Right previous/next mark (or 1 s), ``[``/``]`` slower/faster, B bookmark, L loop the
selected range, End back to live. The bar acts on the clock directly; bookmarks are only
requested (``bookmark_requested``), since saving one is the history's business.
"""

from __future__ import annotations

import contextlib
from datetime import tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStyle, QToolButton, QWidget

from app.frame.builder import Frame
from app.timeline.axis import format_time
from twin.clock import PlaybackClock

_KEY_ACTIONS: dict[int, str] = {
    Qt.Key.Key_Space.value: "toggle_play",
    Qt.Key.Key_Left.value: "step_back",
    Qt.Key.Key_Right.value: "step_forward",
    Qt.Key.Key_BracketLeft.value: "slower",
    Qt.Key.Key_BracketRight.value: "faster",
    Qt.Key.Key_B.value: "request_bookmark",
    Qt.Key.Key_L.value: "toggle_loop",
    Qt.Key.Key_End.value: "go_live",
}


class QtTransportBar(QWidget):
    """Transport controls for one PlaybackClock."""

    bookmark_requested = Signal(object)  # cursor time, int ns
    clock_changed = Signal()  # after any change made here (seek, rate, mode, loop)

    def __init__(
        self, clock: PlaybackClock, tz: tzinfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self.tz = tz
        self._loop_range: tuple[int, int] | None = None
        self._shown: tuple[object, ...] | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        style = self.style()
        icon = style.standardIcon
        sp = QStyle.StandardPixmap
        self._play_icon, self._pause_icon = icon(sp.SP_MediaPlay), icon(sp.SP_MediaPause)
        self.step_back_button = self._button(
            icon(sp.SP_MediaSkipBackward), self.tr("Previous mark or 1 s back (Left)")
        )
        self.play_button = self._button(self._play_icon, self.tr("Play / pause (Space)"))
        self.step_forward_button = self._button(
            icon(sp.SP_MediaSkipForward), self.tr("Next mark or 1 s on (Right)")
        )
        self.slower_button = self._button(icon(sp.SP_MediaSeekBackward), self.tr("Slower ([)"))
        self.speed_label = QLabel()
        self.speed_label.setToolTip(self.tr("Replay speed"))
        self.speed_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("0.25×") + 8)
        self.speed_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.faster_button = self._button(icon(sp.SP_MediaSeekForward), self.tr("Faster (])"))
        self.loop_button = self._button(None, self.tr("Loop the selected range (L)"))
        self.loop_button.setText(self.tr("Loop"))
        self.loop_button.setCheckable(True)
        self.live_button = self._button(None, self.tr("Back to the live plant (End)"))
        self.live_button.setText(self.tr("Back to live"))
        self.mode_label = QLabel()
        self.time_label = QLabel()
        self.time_label.setToolTip(self.tr("Time shown by every view"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(4)
        for w in (
            self.step_back_button,
            self.play_button,
            self.step_forward_button,
            self.slower_button,
            self.speed_label,
            self.faster_button,
            self.loop_button,
        ):
            layout.addWidget(w)
        layout.addSpacing(12)
        layout.addWidget(self.mode_label)
        layout.addWidget(self.time_label)
        layout.addStretch(1)
        layout.addWidget(self.live_button)
        self.step_back_button.clicked.connect(self.step_back)
        self.play_button.clicked.connect(self.toggle_play)
        self.step_forward_button.clicked.connect(self.step_forward)
        self.slower_button.clicked.connect(self.slower)
        self.faster_button.clicked.connect(self.faster)
        self.loop_button.clicked.connect(self.toggle_loop)
        self.live_button.clicked.connect(self.go_live)
        self.refresh()

    def _button(self, icon: QIcon | None, tip: str) -> QToolButton:
        b = QToolButton(self)
        if icon is not None:
            b.setIcon(icon)
        b.setToolTip(tip)
        b.setAutoRaise(True)
        # Keyboard focus stays on the bar/timeline, so Space never "clicks" a button.
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return b

    # ----------------------------------------------------------------- actions
    def toggle_play(self) -> None:
        self.clock.toggle_play()
        self._changed()

    def step_back(self) -> None:
        self.clock.step(-1)
        self._changed()

    def step_forward(self) -> None:
        self.clock.step(+1)
        self._changed()

    def slower(self) -> None:
        self.clock.slower()
        self._changed()

    def faster(self) -> None:
        self.clock.faster()
        self._changed()

    def go_live(self) -> None:
        self.clock.go_live()
        self._changed()

    def request_bookmark(self) -> None:
        self.bookmark_requested.emit(self.clock.now())

    def toggle_loop(self) -> None:
        """End the loop, or loop the selected range (nothing without a selection)."""
        if self.clock.loop is not None:
            self.clock.clear_loop()
        elif self._loop_range is not None:
            # ValueError: the selection lies outside the recording.
            with contextlib.suppress(ValueError):
                self.clock.set_loop(*self._loop_range)
        self._changed()

    def set_loop_range(self, t0: int, t1: int) -> None:
        """The range L loops (the timeline's selection)."""
        self._loop_range = (min(t0, t1), max(t0, t1)) if t0 != t1 else None
        self.refresh()

    def clear_loop_range(self) -> None:
        self._loop_range = None
        self.refresh()

    def handle_key(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        """Run the transport action of a key press; False when the key is not ours."""
        blocked = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        if modifiers & blocked:  # leave Ctrl/Alt combinations to menus
            return False
        action = _KEY_ACTIONS.get(int(key))
        if action is None:
            return False
        getattr(self, action)()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.handle_key(event.key(), event.modifiers()):
            super().keyPressEvent(event)

    def _changed(self) -> None:
        self.refresh()
        self.clock_changed.emit()

    # ----------------------------------------------------------------- display
    def update_frame(self, frame: Frame) -> None:
        """FrameView: show the frame's time and the clock's state."""
        self._show(frame.cursor_ns)

    def refresh(self) -> None:
        self._show(self.clock.now())

    def _show(self, cursor: int) -> None:
        clock = self.clock
        state = (clock.is_live, clock.playing, clock.rate, clock.loop, self._loop_range)
        self.time_label.setText(format_time(cursor, self.tz))
        if state == self._shown:
            return
        self._shown = state
        live, playing, rate, loop, selection = state
        self.play_button.setIcon(self._pause_icon if playing else self._play_icon)
        self.speed_label.setText(f"{rate:g}×")
        self.mode_label.setText(self.tr("LIVE") if live else self.tr("REPLAY"))
        self.live_button.setEnabled(not live)
        self.step_forward_button.setEnabled(not live)
        self.loop_button.setChecked(loop is not None)
        self.loop_button.setEnabled(loop is not None or selection is not None)
