"""Control-room colours and the dark Qt palette.

State colours follow the high-performance HMI idea (ISA-101): equipment is muted grey while
normal, and colour is kept for what needs attention.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from twin.status import State

STATE_RGB: dict[State, tuple[int, int, int]] = {
    State.NORMAL: (140, 145, 150),  # muted grey
    State.NO_DATA: (138, 111, 179),  # muted violet: stale or missing data
    State.WARNING: (232, 163, 23),  # amber
    State.ALARM: (224, 40, 30),  # red
}
DETAIL_RGB = (70, 76, 84)  # shafts, frames, feet: never state-coloured
SELECTION_RGB = (57, 197, 255)
BACKGROUND_TOP_RGB = (43, 50, 59)
BACKGROUND_BOTTOM_RGB = (22, 25, 29)
FLOOR_RGB = (34, 40, 48)
PLOT_BACKGROUND = "#16191d"
PLOT_FOREGROUND = "#c8ccd0"
# Limit lines in plots: amber for warning, a pinker red for alarm, so a limit line is never
# mistaken for equipment in alarm when a screenshot is read for colour.
PLOT_LIMIT_RGB = {State.WARNING: (232, 163, 23), State.ALARM: (255, 92, 138)}
# Health 0..100: muted green while healthy (ISA-101: no colour for what is fine), olive and
# amber as it wears, red near failure. Unknown health is drawn in the no-data violet.
HEALTH_RAMP = ((0.0, (224, 40, 30)), (40.0, (232, 163, 23)), (70.0, (168, 166, 96)),
               (100.0, (92, 128, 104)))  # fmt: skip
HEALTH_UNKNOWN_RGB = STATE_RGB[State.NO_DATA]
# NAMUR NE 107 status colours by severity (twin.condition.Ne107 order): normal draws in the
# text colour, maintenance required blue, out of specification amber, failure red.
NE107_RGB = ((214, 218, 222), (79, 163, 247), (232, 163, 23), (240, 70, 60))


def _health_palette() -> np.ndarray:
    """(102, 3) uint8: the colour of each whole health 0..100, then of unknown health."""
    stops = np.array([h for h, _ in HEALTH_RAMP])
    rgb = np.array([c for _, c in HEALTH_RAMP], dtype=np.float64)
    steps = np.arange(101, dtype=np.float64)
    ramp = np.stack([np.interp(steps, stops, rgb[:, k]) for k in range(3)], axis=1)
    return np.vstack([ramp.round(), HEALTH_UNKNOWN_RGB]).astype(np.uint8)


HEALTH_PALETTE = _health_palette()


def health_rgb(health: np.ndarray) -> np.ndarray:
    """(n, 3) uint8 colours of health values (NaN: unknown), vectorised."""
    h = np.asarray(health, dtype=np.float32)
    index = np.where(np.isnan(h), 101, np.clip(np.nan_to_num(h), 0, 100).round()).astype(np.intp)
    return HEALTH_PALETTE[index]


PLOT_PENS = ("#4fc3f7", "#aed581", "#ffb74d", "#ce93d8", "#90a4ae", "#f06292", "#4db6ac")


def state_rgbf(state: State) -> tuple[float, float, float]:
    """State colour as floats in 0..1, as VTK wants it."""
    r, g, b = STATE_RGB[state]
    return (r / 255, g / 255, b / 255)


def rgbf(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    return (rgb[0] / 255, rgb[1] / 255, rgb[2] / 255)


def state_qcolor(state: State) -> QColor:
    return QColor(*STATE_RGB[state])


def apply_dark_theme(app: QApplication) -> None:
    """Fusion style with a dark palette suited to a dimmed control room."""
    app.setStyle("Fusion")
    pal = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#1f2328",
        QPalette.ColorRole.WindowText: "#d6dade",
        QPalette.ColorRole.Base: "#16191d",
        QPalette.ColorRole.AlternateBase: "#1c2024",
        QPalette.ColorRole.ToolTipBase: "#2b323b",
        QPalette.ColorRole.ToolTipText: "#e6e9ec",
        QPalette.ColorRole.Text: "#d6dade",
        QPalette.ColorRole.Button: "#2a2f36",
        QPalette.ColorRole.ButtonText: "#d6dade",
        QPalette.ColorRole.BrightText: "#ff5252",
        QPalette.ColorRole.Highlight: "#2d6a8f",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#4fc3f7",
        QPalette.ColorRole.PlaceholderText: "#7d848c",
    }
    for role, colour in colours.items():
        pal.setColor(role, QColor(colour))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#6b7178"))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#6b7178"))
    app.setPalette(pal)
