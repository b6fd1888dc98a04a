"""The wall screen's parts: type sizes readable from 5 m, an elided label, a figure tile
and a list of counts and rows."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

TEXT = "#e6eaee"
MUTED = "#9aa3ad"
AMBER = "#e8a317"
BACKGROUND = "#0c0f12"
TILE = "#171c21"


@dataclass(frozen=True)
class WallSizes:
    """Pixel sizes of the type. At 1080 p (and below) body text is 30 px and the headline
    figures 72 px, readable from 5 m; a taller screen scales them with its height."""

    body: int = 30
    title: int = 44
    headline: int = 72
    rows: int = 6  # alarm and health rows on a page with a line; twice as many without

    @classmethod
    def for_height(cls, height: int) -> WallSizes:
        k = max(1.0, height / 1080)
        base = cls()
        return cls(round(base.body * k), round(base.title * k), round(base.headline * k))


def sized[L: QLabel](label: L, px: int, bold: bool = False) -> L:
    """``label`` with type of ``px`` pixels (the application's family, so CJK shows)."""
    font = QFont(label.font())
    font.setPixelSize(px)
    font.setBold(bold)
    label.setFont(font)
    return label


def coloured(label: QLabel, colour: str) -> None:
    styled(label, f"color: {colour}; background: transparent;")


def styled(label: QLabel, sheet: str) -> None:
    """Set a style sheet only when it changes: setting one polishes the label again, the
    most a refresh would otherwise cost."""
    if label.styleSheet() != sheet:
        label.setStyleSheet(sheet)


class QtElidedLabel(QLabel):
    """One line of plain text that ends in "…" where it is wider than the label, never
    cut off mid-glyph (an asset name and an alarm text can be of any length)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, self.width()
        )
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        painter.drawText(self.rect(), int(align), shown)
        painter.end()


class QtWallTile(QFrame):
    """A figure: what it is (caption), the figure in headline type, a line under it."""

    def __init__(self, sizes: WallSizes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wallTile")
        self.caption = sized(QtElidedLabel(), sizes.body)
        self.value = sized(QtElidedLabel(), sizes.headline, bold=True)
        self.detail = sized(QtElidedLabel(), sizes.body)
        coloured(self.caption, MUTED)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 14)
        layout.setSpacing(2)
        for label in (self.caption, self.value, self.detail):
            layout.addWidget(label)

    def show_figure(self, caption: str, value: str, detail: str, attention: bool = False) -> None:
        self.caption.setText(caption)
        self.value.setText(value)
        self.detail.setText(detail)
        coloured(self.value, AMBER if attention else TEXT)
        coloured(self.detail, TEXT)


class QtWallList(QFrame):
    """A heading, a row of counts (chips) and rows of text, for the alarms and the fleet
    health of a page."""

    def __init__(self, sizes: WallSizes, chips: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wallTile")
        self.heading = sized(QtElidedLabel(), sizes.body, bold=True)
        coloured(self.heading, MUTED)
        self.chips = [sized(QLabel(), sizes.body, bold=True) for _ in range(chips)]
        self.rows = [sized(QtElidedLabel(), sizes.body) for _ in range(2 * sizes.rows)]
        self.note = sized(QtElidedLabel(), sizes.body)
        coloured(self.note, MUTED)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 14)
        layout.addWidget(self.heading)
        row = QHBoxLayout()
        row.setSpacing(12)
        for chip in self.chips:
            chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
            row.addWidget(chip)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.note)
        for label in self.rows:
            label.hide()  # shown as they fill: hidden rows take no height
            layout.addWidget(label)
        layout.addStretch(1)

    def set_chip(self, i: int, text: str, colour: str | None) -> None:
        """A count; in ``colour`` (dark text on it) while it is not zero, else muted."""
        style = f"background: {colour}; color: #101214;" if colour else f"color: {MUTED};"
        styled(self.chips[i], style + " border-radius: 6px; padding: 4px 14px;")
        self.chips[i].setText(text)

    def set_rows(self, rows: list[tuple[str, str]], shown: int, note: str = "") -> None:
        """(text, colour) rows, at most ``shown``; ``note`` in place of none."""
        self.note.setText(note)
        self.note.setVisible(bool(note))
        for i, label in enumerate(self.rows):
            visible = i < min(shown, len(rows))
            label.setVisible(visible)
            if visible:
                label.setText(rows[i][0])
                coloured(label, rows[i][1])
