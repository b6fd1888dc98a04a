"""Training > Start… in the window, and the command line of trainee mode."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMenu, QMessageBox

from app.training.start import QtStartTrainingDialog, ask_and_start, training_menu
from tests.app.cli import twindeck
from tests.app.dialogs import answer_dialog, menu_action


def test_the_training_menu_is_found_or_made_once_before_help(make_live_app, demo_plant) -> None:
    window = make_live_app(demo_plant, after_s=1.0).window
    menu = training_menu(window)
    assert menu is training_menu(window)  # found, not made again
    assert menu.objectName() == "menu_Training"
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles.index("Training") == titles.index("Help") - 1
    assert window.menuBar().findChildren(QMenu, "menu_Training") == [menu]

    asked: list[list[str]] = []

    def fill(dialog: QtStartTrainingDialog) -> None:
        dialog.scenario.setText("lessons/fan.toml")
        dialog.trainee.setText("  Li Wei ")
        asked.append(dialog.arguments())
        dialog.reject()  # accepting would start the session in a process of its own

    answer_dialog(fill, QtStartTrainingDialog)
    menu_action(window, "Start…").trigger()
    assert asked == [["--train", "lessons/fan.toml", "--trainee", "Li Wei"]]

    # A lesson that cannot be read is said in the window; no session starts.
    said: list[str] = []

    def read(box: QMessageBox) -> None:
        said.append(box.text())
        box.accept()

    def choose_missing(dialog: QtStartTrainingDialog) -> None:
        dialog.scenario.setText("no/such/lesson.toml")
        dialog.accept()
        answer_dialog(read, QMessageBox)

    answer_dialog(choose_missing, QtStartTrainingDialog)
    assert not ask_and_start(window)
    assert said and "no/such/lesson.toml" in said[0]


def test_trainee_mode_refuses_a_wrong_lesson_before_any_window(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "x"\nkind = "replay"\n', encoding="utf-8")
    result = twindeck("--train", str(bad), "--trainee", "Li Wei", "--speed", "5")
    assert result.returncode == 2
    assert str(bad) in result.stderr
    assert twindeck("--speed", "5").returncode == 2  # only with --train
