"""The Simplified Chinese interface: a complete translation file, every menu translated,
the language chosen by --lang, View > Language or the system locale, the core's words."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QDate, QLocale
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox

from app import i18n
from app.cli import parse_args
from app.core_text import known, sentence, word
from tests.app.dialogs import answer_dialog
from tests.app.i18n_rig import ROOT, TS, has_cjk, zh_cn, zh_plant

__all__ = ["zh_cn", "zh_plant"]  # fixtures

LUPDATE = Path(sys.executable).with_name("pyside6-lupdate")
PLACEHOLDER = re.compile(r"%(?:\d|n|s|\.0f)")


def _messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(ts).getroot()
    return [
        (context.findtext("name") or "", message.findtext("source") or "", message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def _state(message: ET.Element) -> str:
    node = message.find("translation")
    return "missing" if node is None else node.get("type", "finished")


def _translation(message: ET.Element) -> str:
    node = message.find("translation")
    assert node is not None
    forms = node.findall("numerusform")
    return forms[0].text or "" if forms else node.text or ""


def test_lupdate_over_the_sources_finds_no_unfinished_or_missing_message(tmp_path) -> None:
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    run = subprocess.run(
        [str(LUPDATE), "-extensions", "py", "-no-obsolete", str(ROOT / "app"), "-ts", str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 new" in run.stdout, run.stdout  # every string of the sources was there already
    messages = _messages(copy)
    assert len(messages) > 400
    unfinished = [
        (ctx, src)
        for ctx, src, m in messages
        if _state(m) in ("missing", "unfinished", "vanished", "obsolete") or not _translation(m)
    ]
    assert unfinished == []


def test_every_translation_keeps_the_placeholders_and_reads_chinese() -> None:
    for context, source, message in _messages(TS):
        text = _translation(message)
        if source in (", ", "; "):
            continue  # the separators become full-width punctuation
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(text)), (
            context,
            source,
            text,
        )
        if re.search(r"[a-z]{3,}", re.sub(r"<[^>]+>|\(\*\.\w+\)|\*\.\w+", "", source)):
            # words of English are Chinese; names, units and shortcuts may stay as they are
            assert has_cjk(text) or source.startswith(("TwinDeck", "OpenGL", "PSD")), source


def _menu_actions(menu: QMenu, path: str = "") -> list[tuple[str, QAction]]:
    found = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        found.append((f"{path}/{action.text()}", action))
        sub = action.menu()
        if isinstance(sub, QMenu):
            sub.aboutToShow.emit()  # menus filled when opened (saved views)
            found += _menu_actions(sub, f"{path}/{action.text()}")
    return found


def test_every_action_of_every_menu_has_a_chinese_text(qtbot, zh_cn, make_live_app, zh_plant):
    live = make_live_app(zh_plant)
    window = live.window
    actions = []
    for top in window.menuBar().actions():
        assert has_cjk(top.text()), top.text()
        menu = top.menu()
        assert isinstance(menu, QMenu)
        actions += _menu_actions(menu, top.text())
    assert len(actions) > 40
    language_names = set(i18n.LANGUAGES.values())
    untranslated = [
        path for path, a in actions if not has_cjk(a.text()) and a.text() not in language_names
    ]
    assert untranslated == []


def test_lang_overrides_the_saved_choice_which_overrides_the_system(qapp) -> None:
    assert parse_args(["--lang", "zh_CN"]).lang == "zh_CN"
    with pytest.raises(SystemExit):
        parse_args(["--lang", "fr"])
    try:
        i18n.save_language("en")
        assert i18n.current_language() == "en"
        i18n.set_language_override("zh_CN")
        assert i18n.current_language() == "zh_CN"
        i18n.set_language_override(None)
        i18n.save_language(None)
        assert i18n.current_language() == i18n.system_language()
    finally:
        i18n.set_language_override(None)
        i18n.save_language(None)
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        i18n.set_language_override("fr")


@pytest.mark.parametrize(
    ("locale", "language"),
    [("zh_CN", "zh_CN"), ("zh_SG", "zh_CN"), ("zh_TW", "en"), ("zh_HK", "en"), ("en_US", "en")],
)
def test_the_system_locale_picks_the_language(locale: str, language: str) -> None:
    assert i18n.system_language(QLocale(locale)) == language


def test_dates_and_numbers_follow_the_interface_locale(qapp, zh_cn) -> None:
    day = QDate(2026, 12, 3)
    assert "年" in QLocale().toString(day, QLocale.FormatType.LongFormat)
    assert QLocale().toString(1234567.5, "f", 1) == "1,234,567.5"
    i18n.install_translator(qapp, "en")
    assert "年" not in QLocale().toString(day, QLocale.FormatType.LongFormat)


def test_view_language_saves_the_choice_for_the_next_start(qtbot, make_live_app, demo_plant):
    live = make_live_app(demo_plant)
    view = next(
        a.menu() for a in live.window.menuBar().actions() if a.text().replace("&", "") == "View"
    )
    assert isinstance(view, QMenu)
    language = next(a.menu() for a in view.actions() if a.text() == "&Language")
    assert isinstance(language, QMenu)
    texts = [a.text() for a in language.actions()]
    assert texts == ["System language", "English", "简体中文"]
    assert language.actions()[0].isChecked()  # nothing chosen yet: the system's
    said: list[str] = []

    def read_and_close(box: QMessageBox) -> None:
        said.append(box.text())
        box.accept()

    try:
        answer_dialog(read_and_close, QMessageBox)
        language.actions()[2].trigger()
        qtbot.waitUntil(lambda: bool(said))
        assert "next time" in said[0]
        assert i18n.saved_language() == "zh_CN"
        assert language.actions()[2].isChecked()
    finally:
        i18n.save_language(None)


def test_the_core_s_words_are_said_in_chinese(zh_cn) -> None:
    assert word("motor") == "电机"
    assert word("maintenance required") == "需要维护"
    summary = "bearing: 78 °C, rising 1.2 K per hour, alarm in ~6 h"
    assert sentence(summary) == "轴承：78 °C，每小时上升 1.2 K，约 6 小时后报警"
    assert (
        sentence("supply: voltage 8% below rating, in alarm") == "供电：电压低于额定值 8%，已报警"
    )
    evidence = "vibration 4.20 mm/s zone C (A/B 2.3, B/C 4.5, C/D 7.1); current 1.05 x rated"
    assert (
        sentence(evidence)
        == "振动 4.20 mm/s，C 区（A/B 2.3, B/C 4.5, C/D 7.1）；电流为额定值的 1.05 倍"
    )
    assert sentence("connection plc1 lost: timeout") == "连接 plc1 中断：timeout"
    assert sentence("something new: a, b") == "something new: a, b"  # unknown: as it came


def test_every_summary_the_core_writes_has_a_template() -> None:
    from twin.condition import text

    # the fragments as twin/condition/text.py builds them, through its own helpers
    durations = [text.duration(s) for s in (120, 7200, 400_000)]
    samples = [
        "bearing: 78 °C, rising 1.2 K per hour, " + f"alarm in {durations[1]}",
        "bearing: zone C, falling 0.5 mm/s per hour, in alarm",
        f"cooling: winding +12 K against its model, rising 2 K per hour, alarm in {durations[0]}",
        f"overload: 1.20 x rated current, alarm in {durations[2]}",
        "supply: voltage 8% above rating",
        "insulation: winding 140 °C, 5 K over its class limit",
        "sensor: vibration frozen, current no data",
        "vibration 4.20 mm/s zone C (A/B 2.3, B/C 4.5, C/D 7.1); vibration trend +0.3 mm/s/h; "
        "winding 80.1 °C (model 79.0); bearing 61.0 °C; current 1.05 x rated; voltage 400 V",
    ]
    for sample in samples:
        assert known(sample), sample
    assert not known("bearing: something the templates do not know")


def test_the_application_object_speaks_the_chosen_language(qapp, zh_cn) -> None:
    assert QCoreApplication.translate("QtMainWindow", "&File") == "文件(&F)"
    assert QCoreApplication.translate("AlarmTableModel", "Unacknowledged") == "未确认"
