"""The plot strips stay readable in a normal window: tall enough, value labels that never
overlap, a time axis that is always in view, and whole-number ticks for counters."""

from __future__ import annotations

import itertools
import math

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QImage, QPainter, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.compose.parts import Session
from app.views.plot_axes import counts_by_definition, nice_step, tick_labels
from app.views.plot_panel import MIN_STRIP_PX, QtPlotPanel
from twin.plant.model import Signal


def _click_asset(qtbot, live: Session, asset_id: str) -> None:
    """Select an asset the way an operator does: a click on its row in the plant tree."""
    tree = live.window.tree.tree
    item = live.window.tree.item_of(asset_id)
    assert item is not None
    tree.scrollToItem(item)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center()
    )
    qtbot.waitUntil(lambda: live.window.plots.asset_id == asset_id)


def _shown_window(qtbot, make_live_app, demo_plant, asset_id: str) -> Session:
    live = make_live_app(demo_plant, after_s=180)
    live.window.resize(1600, 1000)
    live.window.show()
    qtbot.waitExposed(live.window)
    _click_asset(qtbot, live, asset_id)
    live.draw_loaded_frame()
    return live


def _drawn_labels(axis: pg.AxisItem) -> list[tuple[QRectF, str]]:
    """The tick labels an axis paints: pyqtgraph's own layout of them (rects, texts)."""
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    if specs is None:
        return []
    return [(rect, text) for rect, _flags, text in specs[2]]


def _in_view(widget: QWidget) -> bool:
    """Whether all of the widget is shown: visible, and inside every widget around it up
    to the window (a scroll area's viewport included), so nothing clips it away."""
    if not widget.isVisible() or widget.height() <= 0:
        return False
    parent = widget.parentWidget()
    while parent is not None:
        rect = QRect(widget.mapTo(parent, QPoint(0, 0)), widget.size())
        if not parent.rect().contains(rect):
            return False
        if parent.isWindow():
            return True
        parent = parent.parentWidget()
    return True


def _wheel(widget: QWidget, pos: QPointF, notches: int) -> None:
    event = QWheelEvent(
        pos,
        widget.mapToGlobal(pos),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_motor_strips_are_tall_labelled_apart_and_timed(
    qtbot, make_live_app, demo_plant
) -> None:
    live = _shown_window(qtbot, make_live_app, demo_plant, "M07")
    plots: QtPlotPanel = live.window.plots
    strips = plots._strips
    assert len(strips) == 6
    qtbot.waitUntil(lambda: all(s.plot.geometry().height() >= MIN_STRIP_PX for s in strips))
    for strip in strips:
        labels = _drawn_labels(strip.axis)
        assert labels, f"{strip.signal.key}: no value labels"
        # A label's full text height (pyqtgraph shrinks its rects by a fifth) between centres.
        height = QFontMetricsF(strip.axis.font()).height()
        centres = sorted(rect.center().y() for rect, _ in labels)
        gaps = [b - a for a, b in itertools.pairwise(centres)]
        assert all(gap >= height for gap in gaps), (strip.signal.key, [t for _, t in labels])
    # The time axis is on screen, labelled, and spans the strips' plot areas exactly.
    axis_view = plots.time_axis
    assert _in_view(axis_view)
    times = _drawn_labels(axis_view.axis)
    assert len(times) >= 3 and all(":" in text for _, text in times)
    first = strips[0].plot.vb
    assert axis_view.axis.range == pytest.approx(first.viewRange()[0], abs=1e-6)
    graphics = plots.graphics
    box = graphics.mapFromScene(first.sceneBoundingRect()).boundingRect()
    box_left = graphics.mapToGlobal(box.topLeft()).x()
    axis_left = axis_view.mapToGlobal(axis_view.axis.geometry().topLeft().toPoint()).x()
    assert abs(box_left - axis_left) <= 1
    # The wheel over the strips scrolls them (it does not zoom a strip); the time axis stays.
    bar = plots.scroll_area.verticalScrollBar()
    assert bar.maximum() > 0  # six readable strips do not fit: the panel scrolls
    value_range = strips[0].plot.vb.viewRange()[1]
    over = QPointF(plots.graphics.width() / 2, 40)
    for _ in range(12):  # notch by notch, as a mouse wheel sends them
        _wheel(plots.graphics.viewport(), over, -1)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())
    assert strips[0].plot.vb.viewRange()[1] == value_range
    assert _in_view(axis_view)


def test_a_counter_has_whole_number_ticks(qtbot, make_live_app, demo_plant) -> None:
    live = _shown_window(qtbot, make_live_app, demo_plant, "S01")
    strips = {s.signal.key: s for s in live.window.plots._strips}
    count = strips["panel_count"]
    assert demo_plant.signal("S01.panel_count").unit == "panels"
    assert count.whole and not strips["force"].whole
    labels = _drawn_labels(count.axis)
    assert labels and all(text.lstrip("-").isdigit() for _, text in labels)
    lo, hi = count.plot.vb.viewRange()[1]
    for spacing, values in count.axis.tickValues(lo, hi, 80):
        assert spacing >= 1 and all(v == math.floor(v) for v in values)


def test_a_unitless_on_off_signal_is_whole_from_its_data(qtbot, make_live_app, demo_plant) -> None:
    live = _shown_window(qtbot, make_live_app, demo_plant, "E01")
    strips = {s.signal.key: s for s in live.window.plots._strips}
    assert demo_plant.signal("E01.door_open").unit == ""
    assert strips["door_open"].whole
    assert not strips["car_position"].whole
    labels = [t for _, t in _drawn_labels(strips["door_open"].axis)]
    assert labels and set(labels) <= {"0", "1"}


# ------------------------------------------------------------------- tick arithmetic
def test_tick_steps_keep_labels_a_gap_apart() -> None:
    assert nice_step(40.0, 80.0, 27.0, whole=False) == 20.0  # 10 would be 20 px apart
    assert nice_step(0.4, 80.0, 27.0, whole=False) == 0.2
    assert nice_step(3.0, 80.0, 27.0, whole=True) == 2.0
    assert nice_step(0.5, 80.0, 27.0, whole=True) == 1.0  # never a fraction of a count
    assert tick_labels([50.8, 51.0, 51.2], 0.2, whole=False) == ["50.8", "51.0", "51.2"]
    assert tick_labels([-1e-12, 200.0], 100.0, whole=True) == ["0", "200"]


def test_counts_by_unit() -> None:
    def sig(unit: str) -> Signal:
        return Signal("A.x", "A", "x", "x", unit, 1.0, (0.0, 1.0))

    assert counts_by_definition(sig("panels")) and counts_by_definition(sig("pcs"))
    assert not counts_by_definition(sig("°C")) and not counts_by_definition(sig(""))
