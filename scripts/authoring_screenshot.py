"""A picture of scenario authoring, as in README: the motor_overload lesson opened for
editing on its incident package, its steps as marks on the timeline, and the dialog of
one step beside the window.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python \\
        scripts/authoring_screenshot.py -o assets/screenshots/authoring.png [--lang zh_CN]

The package is made by scripts/make_lesson_package.py (the set-up runs it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from PySide6.QtCore import QPoint  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.compose.package import compose_package, open_package_inputs  # noqa: E402
from app.compose.parts import qt_app  # noqa: E402
from app.export.screenshot import compose_window_image  # noqa: E402
from app.i18n import set_language_override  # noqa: E402
from app.training.author import QtScenarioAuthor  # noqa: E402
from twin.timebase import NS_PER_S  # noqa: E402

LESSON = ROOT / "assets" / "training" / "motor_overload.toml"
PACKAGE = ROOT / "assets" / "training" / "motor_overload.twinpkg"
STEP = "winding_hot"
MAX_BYTES = 300_000
GAP = 12  # between the window and the dialog beside it
BACKGROUND = "#202428"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", default="authoring.png")
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    set_language_override(args.lang)
    app = qt_app()
    session = compose_package(open_package_inputs(PACKAGE, None, None), size=(1400, 900))
    window = session.window
    window.show()
    author = window.findChild(QtScenarioAuthor)
    assert author is not None and author.open_scenario(LESSON)
    mark = next(m for m in author.marks.marks if m.step_id == STEP)
    session.clock.seek(mark.t_ns + NS_PER_S)
    window.selection.select("M07")
    session.draw_loaded_frame()
    author.edit_step(STEP)
    dialog = author.dialog
    assert dialog is not None
    for _ in range(20):
        app.processEvents()
    shot = compose_window_image(window)
    beside = dialog.grab().toImage()
    picture = QImage(
        shot.width() + beside.width() + GAP, max(shot.height(), beside.height()), shot.format()
    )
    picture.fill(QColor(BACKGROUND))
    painter = QPainter(picture)
    painter.drawImage(QPoint(0, 0), shot)
    painter.drawImage(QPoint(shot.width() + GAP, 0), beside)
    painter.end()
    _save_small(picture, Path(args.output))
    dialog.reject()
    session.stop()
    window.close()
    QApplication.processEvents()


def _save_small(picture: QImage, out: Path) -> None:
    """Save as PNG; with a palette of 256 colours when it would exceed MAX_BYTES."""
    picture.save(str(out))
    if out.stat().st_size > MAX_BYTES:
        image = Image.open(out).convert("RGB")
        image.quantize(256, dither=Image.Dither.NONE).save(out, optimize=True)


if __name__ == "__main__":
    main()
