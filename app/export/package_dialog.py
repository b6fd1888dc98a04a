"""Ask what goes into an incident package: a range, a title, a description, a file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app.export.form import file_row, lay_out_dialog
from app.export.range_chooser import QtRangeChooser

SUFFIX = ".twinpkg"


class QtPackageDialog(QDialog):
    """Fields of an incident package; the timeline's selection is the default range."""

    def __init__(
        self,
        recorded: tuple[int, int],
        selection: tuple[int, int] | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export incident package"))
        self.range = QtRangeChooser(recorded, selection)
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("e.g. M07 overload, night shift"))
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText(self.tr("What happened, what to look for"))
        self.description.setFixedHeight(80)
        self.path = QLineEdit(str(Path.home() / f"incident{SUFFIX}"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        form = QFormLayout()
        form.addRow(self.tr("Time range"), self.range)
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Description"), self.description)
        form.addRow(self.tr("File"), file_row(self.path, browse))
        lay_out_dialog(self, form)

    def target(self) -> Path:
        path = Path(self.path.text()).expanduser()
        return path if path.suffix == SUFFIX else path.with_name(path.name + SUFFIX)

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export incident package"),
            self.path.text(),
            self.tr("TwinDeck incident package (*.twinpkg)"),
        )
        if name:
            self.path.setText(name)
