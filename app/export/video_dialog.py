"""Ask what to export as a video: a range of the recording and a file (or folder)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.export.form import file_row, lay_out_dialog
from app.export.range_chooser import QtRangeChooser

FPS = 30


class QtVideoDialog(QDialog):
    """The range (the timeline's selection, else 20 s from the cursor) and the output."""

    def __init__(
        self,
        recorded: tuple[int, int],
        selection: tuple[int, int] | None,
        cursor: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export replay as video"))
        self.range = QtRangeChooser(recorded, selection, cursor=cursor)
        self.range.choose("selection" if selection is not None else "cursor")
        self.length = QLabel()
        self.range.changed.connect(self._show_length)
        self.path = QLineEdit(str(Path.home() / "twindeck-replay.mp4"))
        self.path.setToolTip(
            self.tr("A .mp4 file, or a folder that receives one PNG picture per frame")
        )
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        form = QFormLayout()
        form.addRow(self.tr("Time range"), self.range)
        form.addRow(self.tr("Video"), self.length)
        form.addRow(self.tr("File"), file_row(self.path, browse))
        lay_out_dialog(self, form)
        self._show_length()

    def frames(self) -> int:
        t0, t1 = self.range.range_ns()
        return max(0, (t1 - t0) * FPS // 1_000_000_000)

    def _show_length(self) -> None:
        frames = self.frames()
        seconds = frames // FPS
        self.length.setText(
            self.tr("%s frames at %s fps (%s:%s of video)")
            % (f"{frames:,}", FPS, seconds // 60, f"{seconds % 60:02d}")
        )

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export replay as video"),
            self.path.text(),
            self.tr("Video (*.mp4);;PNG sequence folder (*)"),
        )
        if name:
            self.path.setText(name)
