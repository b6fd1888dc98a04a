"""Screenshot of View > Layouts on the demo workshop arranged as a layout of its own: the
plant tree tabbed beside the values on the right, the Lines panel floating, the alarm
list showing the unacknowledged alarms, three named layouts saved.

    xvfb-run -a -s "-screen 0 1600x1000x24" python scripts/workspace_screenshot.py \\
        -o assets/screenshots/layouts.png [--lang zh_CN]

(``--lang zh_CN`` reads the compiled translation: scripts/compile_translations.py.)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LAYOUTS = {
    "en": ("Control room wall", "Motor bay", "Press line, night shift"),
    "zh_CN": ("控制室大屏", "电机区", "冲压线夜班"),
}


def _wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", default="layouts.png")
    parser.add_argument("--lang", default="en", help="en or zh_CN")
    args = parser.parse_args()
    from app.compose.live import compose_live
    from app.compose.parts import qt_app
    from app.i18n import set_language_override
    from app.paths import demo_plant_path
    from app.workspace.capture import docks_of
    from app.workspace.menu import QtLayoutsMenu
    from app.workspace.store import WorkspaceStore
    from app.workspace.wiring import install_workspace
    from twin.clock import PlaybackClock
    from twin.ingest.runtime import PlantRuntime
    from twin.plant.loader import load_plant
    from twin.plant.model import Fault, FaultKind
    from twin.timebase import now_ns, seconds_to_ns

    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()  # nothing of the user's is read or kept
    set_language_override(args.lang)
    qapp = qt_app()
    plant = load_plant(demo_plant_path())
    end = now_ns()
    faults = [Fault("M07", FaultKind.OVERLOAD, 20.0)]
    runtime = PlantRuntime.simulated(plant, end - seconds_to_ns(90), faults)
    session = compose_live(plant, runtime, PlaybackClock(wall=lambda: end), size=(1440, 900))
    runtime.fast_forward(end)
    window = session.window
    keeper = install_workspace(window, WorkspaceStore(), restore=False)
    names = LAYOUTS.get(args.lang, LAYOUTS["en"])
    for name in names:
        keeper.save_layout(name)
    docks = docks_of(window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, docks["dock_Plant"])
    window.tabifyDockWidget(docks["dock_Values"], docks["dock_Plant"])
    window.setGeometry(0, 0, 1440, 900)
    window.show()
    lines = docks["dock_lines"]
    lines.setFloating(True)
    lines.setGeometry(700, 70, 720, 330)
    window.selection.select("M07")
    session.alarms.table.state_combo.setCurrentIndex(1)
    session.scheduler.tick()
    _wait(500)
    session.scheduler.tick()
    bar = window.menuBar()
    menu = window.findChild(QMenu, "menu_view")
    view_menu = menu.menuAction()
    menu.popup(bar.mapToGlobal(bar.actionGeometry(view_menu).bottomLeft()))
    _wait(200)
    layouts = window.findChild(QtLayoutsMenu)
    entry = next(a for a in menu.actions() if a.menu() is layouts)
    menu.setActiveAction(entry)
    at = menu.actionGeometry(entry)
    layouts.popup(menu.mapToGlobal(QPoint(at.right(), at.top())))
    layouts.setActiveAction(next(a for a in layouts.actions() if a.text() == names[1]))
    _wait(300)
    screen = QGuiApplication.primaryScreen()
    shot = screen.grabWindow(0, 0, 0, 1440, 900)  # the window, its floating dock and menus
    shot.save(args.output)
    layouts.close()
    menu.close()
    session.stop()
    window.close()
    qapp.processEvents()


if __name__ == "__main__":
    main()
