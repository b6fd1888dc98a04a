"""The user interface language: which one (command line, saved choice, system locale),
and loading its translation (``assets/translations/twindeck_<lang>.qm``, compiled from the
``.ts`` by scripts/setup.sh and the installers) with Qt's own for the standard dialogs."""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.paths import translations_dir

log = logging.getLogger("twindeck.i18n")

# The languages the user interface speaks, each named in itself (as the menu offers them).
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}
SETTINGS_KEY = "ui/language"

_override: list[str] = []  # the --lang of this process, if given
_installed: list[QTranslator] = []
_in_use: list[str] = ["en"]  # what install_translator last loaded
_default_font: list[QFont] = []  # the application's font before a CJK one was put first
# Sans-serif families with Chinese glyphs, first found first: Linux (fonts-noto-cjk, Adobe's
# name for the same, WenQuanYi), Windows, macOS.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for translation in ``context`` where it is declared; translated where it
    is shown. Qt's own is typed as returning object."""
    return text


def set_language_override(language: str | None) -> None:
    """Use ``language`` (``--lang``) in this process whatever the saved choice or locale."""
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}")
    _override[:] = [language] if language else []


def saved_language() -> str | None:
    """The language chosen in View > Language, None when none was (follow the system)."""
    value = QSettings().value(SETTINGS_KEY)
    return str(value) if value in LANGUAGES else None


def save_language(language: str | None) -> None:
    """Remember ``language`` for the next start (None: follow the system locale)."""
    if language is None:
        QSettings().remove(SETTINGS_KEY)
    else:
        QSettings().setValue(SETTINGS_KEY, language)


def system_language(locale: QLocale | None = None) -> str:
    """The shipped language closest to ``locale`` (default: the system's): Chinese in
    simplified script for any Chinese locale but Taiwan's, Hong Kong's and Macau's (which
    read traditional script, so get English until a translation ships), else English."""
    locale = locale or QLocale.system()
    traditional = locale.script() is QLocale.Script.TraditionalHanScript or locale.territory() in (
        QLocale.Country.Taiwan,
        QLocale.Country.HongKong,
        QLocale.Country.Macao,
    )
    if locale.language() is QLocale.Language.Chinese and not traditional:
        return "zh_CN"
    return "en"


def current_language() -> str:
    """The language of this process: ``--lang``, else the saved choice, else the system's."""
    if _override:
        return _override[0]
    return saved_language() or system_language()


def ui_locale(language: str) -> QLocale:
    """The locale dates and numbers follow: the system's when it speaks ``language``, else
    that language's own (a zh_CN interface on an English system writes Chinese dates)."""
    system = QLocale.system()
    if system_language(system) == language or (
        language == "en" and system.language() is QLocale.Language.English
    ):
        return system
    return QLocale(language)


def language_in_use() -> str:
    """The language this process's interface speaks (what :func:`install_translator` loaded)."""
    return _in_use[0]


def install_translator(app: QApplication, language: str | None = None) -> str:
    """Load ``language`` (default :func:`current_language`) into ``app``, replacing any
    translation loaded before; returns the language in use ("en" when its file is missing)."""
    language = language or current_language()
    _in_use[0] = "en"
    use_cjk_font(app, language == "zh_CN")
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(ui_locale(language))
    if language == "en":
        return "en"
    ours = QTranslator(app)
    if not ours.load(f"twindeck_{language}", str(translations_dir())):
        log.warning(
            "no translation twindeck_%s.qm in %s (run scripts/setup.sh to compile it); "
            "the interface stays in English",
            language,
            translations_dir(),
        )
        QLocale.setDefault(ui_locale("en"))
        use_cjk_font(app, False)
        return "en"
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for translator, name, folder in (
        (ours, f"twindeck_{language}", None),
        (QTranslator(app), f"qtbase_{language}", qt_dir),  # the standard dialogs' buttons
    ):
        if folder is None or translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
    _in_use[0] = language
    return language


def cjk_family() -> str | None:
    """The first of :data:`CJK_FAMILIES` installed here, None when there is none."""
    installed = set(QFontDatabase.families())
    return next((f for f in CJK_FAMILIES if f in installed), None)


def use_cjk_font(app: QApplication, on: bool) -> None:
    """Put a CJK family first in the application's font (``on``), so that Chinese text is
    drawn in one typeface (Qt would otherwise patch each character from a fallback), or
    put the font back as it was."""
    if not _default_font:
        _default_font.append(QFont(app.font()))
    family = cjk_family() if on else None
    if family is None:
        if on:
            log.warning("no font with Chinese glyphs found (install fonts-noto-cjk)")
        app.setFont(_default_font[0])
        return
    font = QFont(_default_font[0])
    font.setFamilies([family, *_default_font[0].families()])
    app.setFont(font)
