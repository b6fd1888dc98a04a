"""Load the user interface translation for the system locale, when one is shipped."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app.paths import translations_dir


def install_translator(app: QApplication, locale: QLocale | None = None) -> QTranslator | None:
    """Install ``assets/translations/twindeck_<locale>.qm`` if it exists (e.g. zh_CN)."""
    translator = QTranslator(app)
    locale = locale or QLocale.system()
    if translator.load(locale, "twindeck", "_", str(translations_dir())):
        app.installTranslator(translator)
        return translator
    return None
