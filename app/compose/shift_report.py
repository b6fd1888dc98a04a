"""``--replay HISTORY --shift-report FILE [--shift NAME] [--day YYYY-MM-DD]``: the shift
report of a recording without a window. Exit 0 with the file written, 2 with one line
saying what is wrong (a shift the plant file does not have, a day without data). It
imports no window, 3D or plots: a report in a few seconds from a scheduled task."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.i18n import install_translator
from app.shift.report import FORMATS, write_shift_report
from db import History, HistoryError, HistoryReader, open_history
from db.catalog import recorded_plant_toml
from db.read.shift import NoShiftData, read_shift_summary
from twin.kpi.shift import ShiftWindow, default_window, find_shift, last_window, shift_on
from twin.plant.loader import PlantError, load_plant, parse_plant
from twin.plant.model import Plant


class ShiftChoiceError(ValueError):
    """The shift asked for cannot be reported; the message says why."""


def run_shift_report(args: argparse.Namespace) -> int:
    """Write the report ``args`` ask for; returns the exit code."""
    out = args.shift_report
    try:
        if out.suffix.lower() not in FORMATS:
            raise ShiftChoiceError(f"--shift-report {out}: write a .pdf or a .csv file")
        with open_history(args.replay, read_only=True, create=False) as history:
            plant, recorded = _plant_and_range(history, args.plant)
            window = choose_window(plant, args.shift, args.day, recorded)
            summary = read_shift_summary(history, plant, window)
    except (ShiftChoiceError, NoShiftData, HistoryError, PlantError) as exc:
        print(f"twindeck: error: {exc}", file=sys.stderr)
        return 2
    assert summary is not None  # no progress callback: never cancelled
    if out.suffix.lower() != ".csv" and QApplication.instance() is None:
        install_translator(QApplication(sys.argv[:1]))  # the PDF's words and fonts
    try:
        path = write_shift_report(summary, plant, out)
    except OSError as exc:
        print(f"twindeck: error: cannot write {out}: {exc}", file=sys.stderr)
        return 2
    print(f"twindeck: shift report written to {path}")
    return 0


def _plant_and_range(history: History, plant_path: Path | None) -> tuple[Plant, tuple[int, int]]:
    """The plant (``--plant``, else the one stored with the recording) and the recorded
    range (first, last sample)."""
    where = history.where
    recorded = HistoryReader(history).time_range()
    if recorded is None:
        raise ShiftChoiceError(f"{where}: nothing has been recorded in it yet")
    if plant_path is not None:
        return load_plant(plant_path), recorded
    text = recorded_plant_toml(history)
    if text is None:
        raise ShiftChoiceError(f"{where} does not hold its plant file; name it with --plant")
    return parse_plant(text, f"{where} (plant stored with the recording)"), recorded


def choose_window(
    plant: Plant, shift: str | None, day: str | None, recorded: tuple[int, int]
) -> ShiftWindow:
    """The shift occurrence named by ``--shift`` and ``--day`` (either may be left out)."""
    if not plant.shifts:
        raise ShiftChoiceError(f"{plant.source_path}: the plant file has no [[shifts]] to report")
    try:
        chosen = find_shift(plant, shift) if shift else None
    except ValueError as exc:
        raise ShiftChoiceError(f"--shift {shift}: {exc}") from None
    if day is None:
        found = (
            last_window(chosen, plant, recorded)
            if chosen
            else default_window(plant, recorded[1], recorded)
        )
        if found is None:
            raise ShiftChoiceError("the recording holds no shift of the plant file")
        return found
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise ShiftChoiceError(f"--day {day}: not a date; use YYYY-MM-DD") from None
    if chosen is None:
        if len(plant.shifts) > 1:
            names = ", ".join(s.id for s in plant.shifts)
            raise ShiftChoiceError(f"--day {day}: name the shift with --shift ({names})")
        chosen = plant.shifts[0]
    return shift_on(chosen, date)
