"""A picture of trainee mode paused on a question, as in README's Training section.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/training_screenshot.py \
        [assets/screenshots/training_question.png]

Opens the replay lesson (assets/training/motor_overload.toml; its package is made first if
it is missing) for a trainee, goes on from the briefing and lets the scenario run to its
first question ("Which alarm do you act on first?"), then saves the window.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.compose.parts import qt_app  # noqa: E402
from app.compose.trainee import compose_trainee, prepare_trainee  # noqa: E402
from app.export.screenshot import save_window_screenshot  # noqa: E402
from app.training.lock import TrainingClock  # noqa: E402
from twin.timebase import NS_PER_S  # noqa: E402

LESSON = ROOT / "assets" / "training" / "motor_overload.toml"
PACKAGE = ROOT / "assets" / "training" / "motor_overload.twinpkg"
OUT = ROOT / "assets" / "screenshots" / "training_question.png"


def main(out: Path) -> int:
    if not PACKAGE.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "make_lesson_package.py")], check=True
        )
    app = qt_app()
    wall = [1_000 * NS_PER_S]
    clock = TrainingClock(lambda: wall[0])
    with tempfile.TemporaryDirectory() as cache:
        prepared = prepare_trainee(LESSON, Path(cache))
        session, controller = compose_trainee(
            prepared, "Li Wei", speed=10.0, clock=clock, size=(1600, 1000)
        )
        session.window.show()
        session.start()
        controller.go_on()  # past the briefing
        training = controller.training
        while training.current is None or training.current.id != "first_alarm":
            wall[0] += NS_PER_S // 5
            app.processEvents()
        session.window.selection.select("M07")
        for _ in range(60):  # let the views draw the frame at the question
            app.processEvents()
            QApplication.processEvents()
        session.draw_loaded_frame()
        app.processEvents()
        ok = save_window_screenshot(session.window, str(out))
        session.stop()
        prepared.close()
    print(out)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
