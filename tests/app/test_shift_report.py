"""The shift report of a recorded line: the PDF says what the handover needs (read back with
poppler's pdftotext), the CSV's tables parse and hold the same numbers, File > Shift
report… writes the shift chosen in its dialog, and ``--shift-report`` runs headless."""

from __future__ import annotations

import csv
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateTimeEdit, QDialogButtonBox, QMenu, QWidget

from app.__main__ import main
from app.compose.replay import Recording, compose_replay
from app.shift.action import ShiftReporter, add_shift_report_action
from app.shift.dialog import QtShiftReportDialog
from app.shift.report import write_shift_report
from db.engine import open_history
from db.read.shift import read_shift_summary
from tests.app.cli import twindeck
from tests.app.dialogs import answer_dialog, menu_action
from tests.app.i18n_rig import zh_cn
from tests.app.shift_rig import DAY, END, NOTE, OPERATOR, START, record_demo_line
from twin.kpi.shift import ShiftSummary, find_shift, shift_on
from twin.plant.model import Plant

__all__ = ["zh_cn"]  # a fixture


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> tuple[Path, Plant]:
    path = tmp_path_factory.mktemp("shift") / "line.twinhist"
    return path, record_demo_line(path)


def _early(recorded) -> ShiftSummary:
    path, plant = recorded
    with open_history(path, read_only=True) as history:
        s = read_shift_summary(history, plant, shift_on(find_shift(plant, "early"), DAY))
    assert s is not None
    return s


def _pdf_text(path: Path) -> str:
    run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return unicodedata.normalize("NFKC", run.stdout)  # the PDF's "fi" ligatures


def test_the_pdf_holds_the_line_its_output_and_plan_oee_an_alarm_and_a_note(
    recorded, tmp_path, qapp
) -> None:
    s = _early(recorded)
    (line,) = s.lines
    assert line.parts > 0 and s.started_late and not s.ended_early
    text = _pdf_text(write_shift_report(s, recorded[1], tmp_path / "early.pdf"))
    assert "Door-panel line" in text
    assert f"{line.parts:.0f} parts ({line.good:.0f} good" in text
    # Recorded from 13:00: held to an eighth of the 125 planned.
    assert "plan 125, 16 due in the recorded time" in text
    assert f"{100 * line.oee:.1f} % = availability {100 * line.availability:.1f} %" in text
    assert "Incomplete: the recording began at 13:00" in text
    assert "P01.power HH 61.5 kW" in text and OPERATOR in text and "13:21" in text
    assert NOTE in text


def test_the_csv_tables_parse_and_hold_the_same_numbers(recorded, tmp_path) -> None:
    s = _early(recorded)
    (line,) = s.lines
    out = write_shift_report(s, recorded[1], tmp_path / "early.csv")
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.reader(f) if r]
    tables: dict[str, list[dict[str, str]]] = {}
    header: list[str] = []
    for row in rows:
        if row[0] == "section":
            header = row
        else:
            tables.setdefault(row[0], []).append(dict(zip(header, row, strict=True)))
    assert set(tables) >= {"shift", "line", "alarm", "bookmark"}
    (shift,) = tables["shift"]
    assert (shift["shift_id"], shift["day"], shift["started_late"]) == ("early", "2026-05-27", "1")
    assert shift["operators"] == OPERATOR
    (figures,) = tables["line"]
    assert figures["line_id"] == "door_panels"
    assert int(figures["parts"]) == line.parts and int(figures["plan_parts"]) == 125
    assert float(figures["oee_pct"]) == pytest.approx(100 * line.oee, abs=0.005)
    assert float(figures["cycle_median_s"]) == pytest.approx(line.cycles.median_s, abs=0.05)
    assert int(figures["cycles"]) == line.cycles.count
    down = sum(float(d["minutes"]) for d in tables.get("downtime", []))
    assert down == pytest.approx(line.downtime_s / 60, abs=0.01 * len(line.downtime_by_cause))
    (alarm,) = tables["alarm"]
    assert (alarm["signal_id"], alarm["priority"], alarm["acked_by"]) == (
        "P01.power",
        "critical",
        OPERATOR,
    )
    assert float(alarm["value"]) == 61.5
    assert tables["bookmark"][0]["comment"] == NOTE


class _Recording:
    def __init__(self, where: str) -> None:
        self.history: str | None = where


def test_the_dialog_picks_a_shift_and_writes_the_report(recorded, tmp_path, qtbot) -> None:
    path, plant = recorded
    window = QWidget()
    qtbot.addWidget(window)
    menu = QMenu(window)
    action = add_shift_report_action(menu, window, plant, _Recording(str(path)), lambda: END)
    assert action is not None and action.text().replace("&", "") == "Shift report…"
    reporter = window.findChild(ShiftReporter)
    assert reporter is not None
    seen: dict[str, str] = {}

    def answer(dialog: QtShiftReportDialog) -> None:
        dialog.folder = tmp_path
        # The default: the last shift to finish in the recording, the early one.
        seen["default"] = dialog.shift.currentText()
        seen["early"] = dialog.coverage.text()
        qtbot.keyClick(dialog.shift, Qt.Key.Key_Down)  # the late shift, under way
        qtbot.keyClick(dialog.format, Qt.Key.Key_Down)  # CSV
        seen["late"] = dialog.coverage.text()
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    answer_dialog(answer, QtShiftReportDialog)
    with qtbot.waitSignal(reporter.written, timeout=10_000) as written:
        action.trigger()
    assert seen["default"] == "Early shift (early)"
    assert "06:00–14:00 UTC · recorded 13:00–14:00 · incomplete" in seen["early"]
    assert "14:00–22:00 UTC · recorded 14:00–14:30 · incomplete" in seen["late"]
    out = written.args[0]
    assert out == tmp_path / "shift-2026-05-27-late.csv" and out.is_file()
    with open(out, encoding="utf-8-sig", newline="") as f:
        header, shift = list(csv.reader(f))[:2]
    row = dict(zip(header, shift, strict=True))
    assert (row["plant"], row["shift_id"], row["day"]) == ("Demo workshop", "late", "2026-05-27")
    # Under way: recorded from its start, not to its end.
    assert (row["complete"], row["started_late"], row["ended_early"]) == ("0", "0", "1")


def test_headless_writes_the_report_and_says_where(recorded, tmp_path) -> None:
    out = tmp_path / "late.pdf"
    ok = twindeck("--replay", str(recorded[0]), "--shift-report", str(out), "--shift", "Late shift")
    assert ok.returncode == 0, ok.stderr
    assert f"shift report written to {out}" in ok.stdout
    late = _pdf_text(out)
    assert "Late shift" in late and "the shift is under way" in late
    assert "Alarms raised (0)" in late  # the alarm came in the early shift


def test_headless_names_the_shift_and_day_without_data(recorded, tmp_path, capsys) -> None:
    out = tmp_path / "night.csv"
    argv = ["--replay", str(recorded[0]), "--shift-report", str(out), "--shift", "night"]
    assert main([*argv, "--day", "2026-05-29"]) == 2
    error = capsys.readouterr().err
    assert "no data for Night shift (night) on 2026-05-29, 22:00-06:00 UTC" in error
    assert "the recording covers 2026-05-27 13:00 to 2026-05-27 14:30 UTC" in error
    assert main([*argv, "--day", "2026-02-30"]) == 2
    assert "--day 2026-02-30: not a date; use YYYY-MM-DD" in capsys.readouterr().err
    assert not out.exists()
    # The night shift before the recording's day ran until 06:00: none of it is recorded.
    assert main([*argv, "--day", "2026-05-26"]) == 2


def test_the_report_follows_the_interface_language(recorded, tmp_path, zh_cn) -> None:
    text = _pdf_text(write_shift_report(_early(recorded), recorded[1], tmp_path / "zh.pdf"))
    assert "班次报告" in text and "产量" in text and "本班报警 (1)" in text
    flowed = "".join(text.split())  # pdftotext breaks Chinese lines anywhere
    assert "不完整:记录从13:00开始" in flowed  # (NFKC: the full-width colon is ":")
    assert "损失" in text and "节拍数" in text and "停机:" in text


def test_file_shift_report_in_a_replay_window(recorded, tmp_path, qtbot) -> None:
    path, plant = recorded
    at = END - 60 * 1_000_000_000
    session = compose_replay(Recording(str(path), plant, START, END, at), size=(1200, 800))
    qtbot.addWidget(session.window)
    try:
        action = menu_action(session.window, "Shift report…")
        reporter = session.window.findChild(ShiftReporter)
        assert reporter is not None
        target = tmp_path / "handover.pdf"

        def answer(dialog: QtShiftReportDialog) -> None:
            dialog.path.clear()
            qtbot.keyClicks(dialog.path, str(target))
            qtbot.keyClick(dialog.path, Qt.Key.Key_Return)  # the default button: OK

        answer_dialog(answer, QtShiftReportDialog)
        with qtbot.waitSignal(reporter.written, timeout=10_000) as written:
            action.trigger()
        assert written.args[0] == target
        text = _pdf_text(target)  # the shift the replay's cursor had last seen finish
        assert "Shift report: Early shift, 2026-05-27" in text and NOTE in text
    finally:
        session.stop()


def test_the_dialog_will_not_report_a_shift_without_data(recorded, qtbot) -> None:
    _, plant = recorded
    dialog = QtShiftReportDialog(plant, (START, END), END)
    qtbot.addWidget(dialog)
    dialog.show()
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and dialog.shift.currentData() == "early"
    dialog.day.setFocus()
    dialog.day.setCurrentSection(QDateTimeEdit.Section.DaySection)
    qtbot.keyClick(dialog.day, Qt.Key.Key_Down)  # the day before: the first offered
    assert dialog.chosen().day.isoformat() == "2026-05-26"  # for a night shift into the data
    assert "nothing recorded in this shift" in dialog.coverage.text()
    assert not ok.isEnabled()
