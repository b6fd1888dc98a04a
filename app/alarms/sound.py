"""A short tone for new high and critical alarms; silent when there is no audio.

QtMultimedia is not part of PySide6-Essentials: when it is installed a generated WAV is
played with ``QSoundEffect``, otherwise ``QApplication.beep()``. Any failure of either is
swallowed: a missing sound card must never stop the alarm display.
"""

from __future__ import annotations

import io
import logging
import math
import tempfile
import time
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtWidgets import QApplication

from twin.alarms import AlarmEvent, Priority

log = logging.getLogger(__name__)
TONE_HZ = 880.0
TONE_S = 0.25
MIN_INTERVAL_S = 1.0  # a flood rings once a second, not once per alarm


def tone_wav(freq_hz: float = TONE_HZ, seconds: float = TONE_S, rate: int = 22050) -> bytes:
    """A mono 16-bit sine tone with short fades, as WAV bytes."""
    i = np.arange(int(rate * seconds))
    fade = max(1, int(rate * 0.01))  # 10 ms ramps: no clicks
    envelope = np.minimum(1.0, np.minimum(i, i[::-1]) / fade)
    samples = (0.4 * 32767 * envelope * np.sin(2 * np.pi * freq_hz * i / rate)).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return out.getvalue()


def _sound_effect(parent: QObject) -> Any | None:
    """A QSoundEffect loaded with the tone, or None without QtMultimedia or audio."""
    try:
        from PySide6.QtMultimedia import QSoundEffect  # not in PySide6-Essentials
    except ImportError:
        return None
    try:
        path = Path(tempfile.gettempdir()) / "twindeck-alarm-tone.wav"
        path.write_bytes(tone_wav())
        effect = QSoundEffect(parent)
        effect.setSource(QUrl.fromLocalFile(str(path)))
        return effect
    except Exception:  # no audio backend: fall back to the beep
        log.debug("alarm sound: QSoundEffect unavailable", exc_info=True)
        return None


class AlarmSound(QObject):
    """Connect ``on_events`` to ``AlarmBridge.events``: a new annunciated alarm of
    ``min_priority`` or above plays the tone (at most once per ``MIN_INTERVAL_S``)."""

    muted_changed = Signal(bool)
    played = Signal()  # after each tone (tests, a visual bell)

    def __init__(
        self, parent: QObject | None = None, *, min_priority: Priority = Priority.HIGH
    ) -> None:
        super().__init__(parent)
        self.min_priority = min_priority
        self._muted = False
        self._last = -math.inf
        self._effect: Any | None = None
        self._effect_tried = False
        self.count = 0  # tones played (or attempted)

    @property
    def muted(self) -> bool:
        return self._muted

    def set_muted(self, muted: bool) -> None:
        if muted != self._muted:
            self._muted = muted
            self.muted_changed.emit(muted)

    def on_events(self, events: Sequence[AlarmEvent]) -> None:
        if any(e.annunciated and e.priority >= self.min_priority for e in events):
            self.announce()

    def announce(self) -> bool:
        """Play the tone unless muted or played within ``MIN_INTERVAL_S``; never raises."""
        now = time.monotonic()
        if self._muted or now - self._last < MIN_INTERVAL_S:
            return False
        self._last = now
        self.count += 1
        try:
            self._play()
        except Exception:
            log.debug("alarm sound failed", exc_info=True)
        self.played.emit()
        return True

    def _play(self) -> None:
        if not self._effect_tried:
            self._effect_tried = True
            self._effect = _sound_effect(self)
        if self._effect is not None:
            self._effect.play()
        elif QApplication.instance() is not None:
            QApplication.beep()
