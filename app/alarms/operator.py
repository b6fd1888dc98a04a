"""Who is on shift: the operator's name and shift, written with every alarm action.

The sign-in is remembered in the user's settings, so the console comes back with the same
operator after a restart; until someone signs in, actions carry the OS user name and the
status bar says that nobody has signed in.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.alarms.common import default_operator
from app.i18n import QT_TRANSLATE_NOOP

NAME_KEY = "operator/name"
SHIFT_KEY = "operator/shift"
SHIFTS = (
    QT_TRANSLATE_NOOP("QtSignInDialog", "Early 06–14"),
    QT_TRANSLATE_NOOP("QtSignInDialog", "Late 14–22"),
    QT_TRANSLATE_NOOP("QtSignInDialog", "Night 22–06"),
)


class Operator(QObject):
    """The signed-in operator (``name``, ``shift``); ``changed`` after every change."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        settings = QSettings()
        self._name = str(settings.value(NAME_KEY, "") or "").strip()
        self._shift = str(settings.value(SHIFT_KEY, "") or "").strip()

    @property
    def signed_in(self) -> bool:
        return bool(self._name)

    @property
    def name(self) -> str:
        """The user written to the journal: the signed-in name, else the OS user."""
        return self._name or default_operator()

    @property
    def shift(self) -> str:
        return self._shift

    def sign_in(self, name: str, shift: str = "", *, remember: bool = True) -> None:
        """``name`` is on shift from now on (remembered for the next start unless not
        ``remember``); an empty name signs out."""
        self._name, self._shift = name.strip(), shift.strip()
        if remember:
            settings = QSettings()
            settings.setValue(NAME_KEY, self._name)
            settings.setValue(SHIFT_KEY, self._shift)
        self.changed.emit()

    def sign_out(self) -> None:
        self.sign_in("", "")

    def label(self) -> str:
        """For the status bar: "Operator: Li Wei · Late 14–22", or who acts unsigned."""
        if not self.signed_in:
            return self.tr("Operator: not signed in (acting as %1)").replace("%1", self.name)
        text = self.tr("Operator: %1").replace("%1", self._name)
        return f"{text} · {self._shift}" if self._shift else text


class QtSignInDialog(QDialog):
    """Name and shift of the operator taking over; OK only with a name."""

    def __init__(self, operator: Operator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Operator sign-in"))
        self.setMinimumWidth(420)  # room for the hint in the empty field
        self.name = QLineEdit(operator.name if operator.signed_in else "")
        self.name.setPlaceholderText(self.tr("Your name, as the journal should show it"))
        self.shift = QComboBox()
        self.shift.setEditable(True)  # plants name their shifts their own way
        self.shift.addItems([self.tr(s) for s in SHIFTS])
        self.shift.setCurrentText(operator.shift)
        form = QFormLayout(self)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Shift"), self.shift)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Sign in"))
        self.sign_out_button: QPushButton = buttons.addButton(
            self.tr("Sign out"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.sign_out_button.setEnabled(operator.signed_in)
        self.signed_out = False
        self.sign_out_button.clicked.connect(self._sign_out)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.name.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.name.text().strip()))

    def _sign_out(self) -> None:
        self.signed_out = True
        self.accept()


def ask_sign_in(operator: Operator, parent: QWidget | None = None) -> bool:
    """Show the sign-in dialog; True when the operator changed."""
    dialog = QtSignInDialog(operator, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    if dialog.signed_out:
        operator.sign_out()
    else:
        operator.sign_in(dialog.name.text(), dialog.shift.currentText())
    return True
