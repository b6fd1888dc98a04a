"""View > Language: the user interface language, saved for the next start."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from app.i18n import LANGUAGES, language_in_use, save_language, saved_language, system_language


def add_language_menu(parent: QWidget, view_menu: QMenu) -> QMenu:
    """A submenu of ``view_menu`` offering the system's language and each shipped one;
    a choice is saved (QSettings) and takes effect on the next start."""
    menu = view_menu.addMenu(QCoreApplication.translate("QtLanguageMenu", "&Language"))
    group = QActionGroup(menu)
    chosen = saved_language()
    choices: list[tuple[str | None, str]] = [
        (None, QCoreApplication.translate("QtLanguageMenu", "System language"))
    ]
    choices += [(code, name) for code, name in LANGUAGES.items()]
    for code, name in choices:
        action = QAction(name, menu)
        action.setCheckable(True)
        action.setChecked(code == chosen)
        action.setData(code)
        group.addAction(action)
        menu.addAction(action)
    group.triggered.connect(lambda action: _choose(parent, action.data()))
    return menu


def _choose(parent: QWidget, code: str | None) -> None:
    save_language(code)
    if (code or system_language()) == language_in_use():
        return  # already speaking it
    QMessageBox.information(
        parent,
        QCoreApplication.translate("QtLanguageMenu", "Language"),
        QCoreApplication.translate(
            "QtLanguageMenu", "The language changes the next time TwinDeck starts."
        ),
    )
