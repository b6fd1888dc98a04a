"""The asset tree's state swatches follow the frames, one asset at a time or 10,000 at once."""

from __future__ import annotations

import numpy as np
from pytestqt.qtbot import QtBot

from app.frame.builder import Frame
from app.views.asset_tree import BULK_CHANGES, QtAssetTree
from tests.plants import asset, build_plant
from twin.status import State
from twin.store.signal_store import SignalStore


def _frame(states: np.ndarray) -> Frame:
    empty = np.empty(0)
    return Frame(0, SignalStore([]), empty, empty, empty.astype(np.int8), states.astype(np.int8))


def _swatches(tree: QtAssetTree) -> list[int]:
    return [item.icon(0).cacheKey() for item in tree._items]


def test_swatches_follow_single_and_bulk_state_changes_and_are_drawn(
    qtbot: QtBot,
) -> None:
    n = 3 * BULK_CHANGES
    plant = build_plant(*(asset(f"M{i:03d}", position=(i, 0, 0)) for i in range(n)))
    tree = QtAssetTree(plant)
    qtbot.addWidget(tree)
    tree.resize(300, 400)
    tree.show()
    qtbot.waitExposed(tree)
    icon = {state: tree._icons[state].cacheKey() for state in State}

    states = np.full(n, State.NORMAL)
    tree.update_frame(_frame(states))  # every asset at once: the bulk path
    assert _swatches(tree) == [icon[State.NORMAL]] * n
    row = tree.tree.visualItemRect(tree._items[0])
    normal = tree._icons[State.NORMAL].pixmap(12, 12).toImage().pixelColor(6, 6)

    def swatch_drawn() -> bool:  # somewhere at the row's left end, the swatch's colour
        image = tree.tree.viewport().grab().toImage()
        y = row.center().y()
        return any(image.pixelColor(x, y) == normal for x in range(row.left(), row.left() + 40))

    qtbot.waitUntil(swatch_drawn)

    states[5] = State.ALARM
    tree.update_frame(_frame(states))  # one asset: the plain path
    expected = [icon[State.NORMAL]] * n
    expected[5] = icon[State.ALARM]
    assert _swatches(tree) == expected
