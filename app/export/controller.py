"""File > Export: ask, then run the export with a cancellable progress dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from app.export.dialog import QtExportDialog
from app.export.job import (
    ExportRequest,
    Progress,
    ProgressJob,
    Work,
    export_work,
    show_progress,
)
from app.export.package_dialog import QtPackageDialog
from db import HistoryError, HistoryReader, open_history
from db.package import export_package
from twin.plant.model import Plant


class ExportController(QObject):
    """Owns the running export of one window (one at a time)."""

    def __init__(self, window: QWidget, plant: Plant) -> None:
        super().__init__(window)  # a child never keeps its parent: no cycle through Qt
        self.plant = plant
        self.history: str | None = None
        self.plant_text: str | None = None  # the plant file's text when it has no file
        self.job: ProgressJob | None = None
        self._progress: QProgressDialog | None = None

    @property
    def _window(self) -> QWidget:
        return self.parent()  # type: ignore[return-value]

    def ask_and_export(self, asset_id: str | None) -> None:
        """Show the export dialog for the recorded range and start what it asks for."""
        recorded = self._recorded_range()
        if recorded is None or self.history is None:
            return
        dialog = QtExportDialog(self.plant, self.history, recorded, asset_id, self._window)
        if dialog.exec() == QtExportDialog.DialogCode.Accepted:
            self.start(dialog.request())

    def ask_and_package(
        self, selection: tuple[int, int] | None, views: list[dict[str, object]]
    ) -> None:
        """Ask for a range and a title, then write an incident package of the whole plant."""
        recorded = self._recorded_range()
        if recorded is None:
            return
        dialog = QtPackageDialog(recorded, selection, self._window)
        if dialog.exec() == QtPackageDialog.DialogCode.Accepted:
            t0, t1 = dialog.range.range_ns()
            self.package(
                t0,
                t1,
                dialog.target(),
                views,
                dialog.title.text(),
                dialog.description.toPlainText(),
            )

    def package(
        self,
        t0: int,
        t1: int,
        target: Path,
        views: list[dict[str, object]],
        title: str = "",
        description: str = "",
    ) -> ProgressJob | None:
        """Write [t0, t1) of the history, the plant file and ``views`` to ``target``."""
        history, plant_text = self.history, self._plant_text()
        if history is None or plant_text is None:
            self._tell(self.tr("There is no recording or plant file to package."))
            return None

        def work(progress: Progress) -> bool:
            return export_package(
                history,
                plant_text,
                t0,
                t1,
                target,
                views=views,
                title=title,
                description=description,
                progress=progress,
            )

        return self.run(work, target)

    def _plant_text(self) -> str | None:
        try:
            return Path(self.plant.source_path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return self.plant_text  # a plant that came from a recording or a package

    def _recorded_range(self) -> tuple[int, int] | None:
        if self.history is None:
            self._tell(self.tr("Nothing is being recorded, so there is nothing to export."))
            return None
        try:
            with open_history(self.history, read_only=True) as history:
                recorded = HistoryReader(history).time_range()
        except HistoryError as exc:
            self._tell(str(exc))
            return None
        if recorded is None:
            self._tell(self.tr("Nothing has been recorded yet."))
        return recorded

    def start(self, request: ExportRequest) -> ProgressJob | None:
        """Run ``request`` with a progress dialog; None if it cannot start."""
        if request.t1 <= request.t0:
            self._tell(self.tr("The time range is empty: its end is before its start."))
            return None
        return self.run(export_work(request), request.path)

    def run(self, work: Work, target: Path) -> ProgressJob | None:
        """Run ``work`` writing ``target`` with a cancellable progress dialog."""
        if self.job is not None and self.job.running:
            self._tell(self.tr("An export is already running."))
            return None
        if not target.parent.is_dir():
            self._tell(self.tr("The folder %s does not exist.") % target.parent)
            return None
        self.job = ProgressJob(work, target, self)
        self._progress = show_progress(
            self.job, self.tr("Exporting to %s…") % target.name, self.tr("Cancel"), self._window
        )
        self.job.finished.connect(self._on_finished)
        self.job.start()
        return self.job

    def _on_finished(self, ok: bool, message: str) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress = None
        if not ok and message != "cancelled":
            self._tell(self.tr("The export failed: %s") % message)

    def _tell(self, message: str) -> None:
        QMessageBox.information(self._window, self.tr("Export"), message)
