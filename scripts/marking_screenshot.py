"""A picture of marking, as in README: the trainee history with a session whose free-text
answers wait ("to mark") and the Mark answers dialog on it, one answer marked with a
comment. The results live in a temporary file; the lesson is written beside them.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python \\
        scripts/marking_screenshot.py -o assets/screenshots/marking.png [--lang zh_CN]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from PySide6.QtCore import QPoint  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402

from app.compose.parts import qt_app  # noqa: E402
from app.i18n import set_language_override  # noqa: E402
from app.training.marking import QtMarkAnswers  # noqa: E402
from app.training.menu import show_trainee_history  # noqa: E402
from db.training import TrainingRecords  # noqa: E402
from db.training_marks import Mark, TrainingMarks  # noqa: E402
from twin.timebase import NS_PER_S  # noqa: E402
from twin.training.scenario_file import load_scenario  # noqa: E402
from twin.training.scoring import TraineeAction, score  # noqa: E402

LESSON = """\
[scenario]
name = "Chilled water pump overload: hand-over"
kind = "replay"
pass_score = 70

[replay]
package = "motor_overload.twinpkg"

[[steps]]
id = "first_alarm"
at = 60
[steps.question]
kind = "choice"
prompt = "Which alarm do you act on first?"
options = ["M07.current:HH", "M07.winding_temp:H"]
answer = "M07.current:HH"
points = 20

[[steps]]
id = "cause"
at = 150
[steps.question]
kind = "text"
prompt = "Why is the winding of M07 heating up?"
points = 20

[[steps]]
id = "handover"
at = 280
[steps.question]
kind = "text"
prompt = "What do you tell the next shift?"
points = 20
"""
ACTIONS = [
    TraineeAction(64.0, "answer", value="M07.current:HH", step_id="first_alarm"),
    TraineeAction(171.0, "answer", value="The pump runs past its rated current: the "
                  "losses heat the winding faster than the fan cools it.", step_id="cause"),
    TraineeAction(301.0, "answer", value="M07 stopped at 06:12 after the overload; check "
                  "the winding insulation before restarting.", step_id="handover"),
]  # fmt: skip
OPENED = {"first_alarm": 60.0, "cause": 150.0, "handover": 280.0}
DAY0 = 1_764_000_000 * NS_PER_S
MAX_BYTES = 300_000
GAP = 12
BACKGROUND = "#202428"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", default="marking.png")
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    set_language_override(args.lang)
    app = qt_app()
    with tempfile.TemporaryDirectory() as folder:
        path = _records(Path(folder))
        window = QMainWindow()
        history = show_trainee_history(window, path)
        history.table.selectRow(0)
        history.marking.ask_mark()
        dialog = window.findChild(QtMarkAnswers)
        assert dialog is not None
        dialog.points["cause"].setValue(16)
        dialog.comments["cause"].setText("Right cause; say which alarm told you.")
        dialog.marker.setText("Zhou Min")
        for _ in range(20):
            app.processEvents()
        left, right = history.grab().toImage(), dialog.grab().toImage()
        picture = QImage(
            left.width() + right.width() + GAP, max(left.height(), right.height()), left.format()
        )
        picture.fill(QColor(BACKGROUND))
        painter = QPainter(picture)
        painter.drawImage(QPoint(0, 0), left)
        painter.drawImage(QPoint(left.width() + GAP, 0), right)
        painter.end()
        _save_small(picture, Path(args.output))
        dialog.reject()
        history.close()
        QApplication.processEvents()


def _records(folder: Path) -> Path:
    """Zhang Min's session, marked; Li Wei's, newer, waiting for its marks."""
    lesson_path = folder / "handover.toml"
    lesson_path.write_text(LESSON, encoding="utf-8")
    lesson = load_scenario(lesson_path)
    path = folder / "results.sqlite"
    records = TrainingRecords(path)
    for trainee, day in (("Zhang Min", 0), ("Li Wei", 1)):
        result = score(lesson, ACTIONS, OPENED, end_s=320.0)
        started = DAY0 + day * 86_400 * NS_PER_S
        records.save(
            trainee, lesson.name, str(lesson_path), started, result, ACTIONS,
            scenario=lesson, end_s=320.0,
        )  # fmt: skip
    zhang = next(r for r in records.sessions("Zhang Min"))
    marks = {"cause": Mark(18, "Good."), "handover": Mark(15, "Say when it stopped.")}
    TrainingMarks(records).mark(zhang, marks, "Zhou Min", DAY0 + 2 * 86_400 * NS_PER_S)
    records.close()
    return path


def _save_small(picture: QImage, out: Path) -> None:
    """Save as PNG; with a palette of 256 colours when it would exceed MAX_BYTES."""
    picture.save(str(out))
    if out.stat().st_size > MAX_BYTES:
        image = Image.open(out).convert("RGB")
        image.quantize(256, dither=Image.Dither.NONE).save(out, optimize=True)


if __name__ == "__main__":
    main()
