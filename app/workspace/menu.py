"""View > Layouts: save the workspace under a name, switch to a saved one, delete one,
export one to a file and import one (from this plant or another), reset to the default."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMainWindow, QMenu, QMessageBox, QWidget

from app.workspace.keeper import WorkspaceKeeper
from app.workspace.model import WorkspaceError
from app.workspace.store import layout_file_name

VIEW_MENU = "menu_view"  # the object name of the window's View menu


class QtLayoutsMenu(QMenu):
    """The Layouts submenu of one window; its list of layouts is read when it opens
    (never rebuilt from an action's own slot, which would delete the action mid-signal)."""

    def __init__(self, keeper: WorkspaceKeeper, parent: QWidget) -> None:
        super().__init__(parent)
        self.keeper = keeper
        self.setTitle(self.tr("La&youts"))
        self.setObjectName("menu_layouts")
        self.aboutToShow.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the menu: its commands and one entry per saved layout."""
        self.clear()
        self._add(self.tr("&Save layout as…"), self.ask_save)
        self.addSeparator()
        names = self.keeper.layouts()
        for name in names:
            action = self.addAction(name)
            action.setData(name)
            action.triggered.connect(lambda _=False, n=name: self.switch_to(n))
        if not names:
            self.addAction(self.tr("(no saved layouts)")).setEnabled(False)
        self.addSeparator()
        self._add(self.tr("&Delete layout…"), self.ask_delete).setEnabled(bool(names))
        self._add(self.tr("&Export layout…"), self.ask_export)
        self._add(self.tr("&Import layout…"), self.ask_import)
        self.addSeparator()
        self._add(self.tr("&Reset to default layout"), self.reset)

    def _add(self, text: str, slot: object) -> QAction:
        action = self.addAction(text)
        action.triggered.connect(slot)
        return action

    def ask_save(self) -> None:
        name, ok = QInputDialog.getText(
            self.parentWidget(), self.tr("Save layout"), self.tr("Layout name:")
        )
        name = name.strip()
        if ok and name and self._may_replace(name):
            try:
                self.keeper.save_layout(name)
            except OSError as exc:
                self._warn(self.tr("The layout could not be saved: %s") % exc)

    def _may_replace(self, name: str) -> bool:
        """A new name, or the user agrees to replace the layout of that name."""
        if not self.keeper.has_layout(name):
            return True
        answer = QMessageBox.question(
            self.parentWidget(),
            self.tr("Save layout"),
            self.tr("Replace the layout %s?") % name,
        )
        return answer == QMessageBox.StandardButton.Yes

    def switch_to(self, name: str) -> None:
        try:
            problems = self.keeper.switch_to(name)
        except WorkspaceError as exc:
            self._warn(str(exc))
            return
        self._report_skipped(name, problems)

    def ask_delete(self) -> None:
        names = self.keeper.layouts()
        name, ok = QInputDialog.getItem(
            self.parentWidget(), self.tr("Delete layout"), self.tr("Layout:"), names, 0, False
        )
        if ok and name:
            self.keeper.delete_layout(name)

    def ask_export(self) -> None:
        suggested = layout_file_name(self.keeper.plant)
        path, _ = QFileDialog.getSaveFileName(
            self.parentWidget(),
            self.tr("Export layout"),
            suggested,
            self.tr("TwinDeck layouts (*.json)"),
        )
        if path:
            try:
                self.keeper.export_layout(Path(path), Path(path).stem)
            except OSError as exc:
                self._warn(self.tr("The layout could not be written: %s") % exc)

    def ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.parentWidget(),
            self.tr("Import layout"),
            "",
            self.tr("TwinDeck layouts (*.json);;All files (*)"),
        )
        if not path:
            return
        try:
            name, problems = self.keeper.import_layout(Path(path))
        except (WorkspaceError, OSError) as exc:
            self._warn(str(exc))
            return
        self._report_skipped(name, problems)

    def reset(self) -> None:
        self.keeper.reset()

    def _report_skipped(self, name: str, problems: list[str]) -> None:
        """Say what of a layout did not apply here (the log has it too)."""
        if problems:
            QMessageBox.information(
                self.parentWidget(),
                self.tr("Layouts"),
                self.tr("Layout %s applied, except:") % name + "\n\n" + "\n".join(problems),
            )

    def _warn(self, text: str) -> None:
        QMessageBox.warning(self.parentWidget(), self.tr("Layouts"), text)


def install_layouts_menu(window: QMainWindow, keeper: WorkspaceKeeper) -> QtLayoutsMenu:
    """Add View > Layouts to ``window`` (a menu of its own when it has no View menu)."""
    menu = QtLayoutsMenu(keeper, window)
    view = window.findChild(QMenu, VIEW_MENU)
    if view is not None:
        view.addMenu(menu)
    else:
        window.menuBar().addMenu(menu)
    return menu
