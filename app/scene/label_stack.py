"""Labels above points on the screen, stacked where they would overlap.

Each label is a box centred over its point. Labels whose boxes would overlap side by side
and whose points are at about the same height (the machines of a line seen from the side)
are set in tidy rows over the highest of those points, each taking the lowest row where it
clears its neighbours, so a line of labels alternates between two rows rather than
climbing a staircase. Any overlap left (labels of machines further back) is settled by
lifting a label, the lower points first, until it clears every one placed before it.
"""

from __future__ import annotations

import numpy as np

GAP_PX = 4.0  # between two stacked labels


def stack_labels(anchors: np.ndarray, sizes: np.ndarray, lift: float) -> np.ndarray:
    """How far above its anchor each label's bottom sits (pixels, at least ``lift``).

    ``anchors`` (n, 2) are display positions (y up), ``sizes`` (n, 2) the labels' widths
    and heights.
    """
    n = anchors.shape[0]
    if n == 0:
        return np.zeros(0)
    bottom = _rows(anchors, sizes, lift)
    _settle(anchors, sizes, bottom)
    return bottom - anchors[:, 1]


def _rows(anchors: np.ndarray, sizes: np.ndarray, lift: float) -> np.ndarray:
    """Bottoms of the labels set in rows, per run of neighbours (in x order) that overlap
    sideways with their points less than a label's height apart in y."""
    order = np.argsort(anchors[:, 0], kind="stable")
    bottom = anchors[:, 1] + lift
    run: list[int] = []
    for i in [*order.tolist(), None]:
        if run and (i is None or not _neighbours(anchors, sizes, run[-1], i)):
            _set_in_rows(anchors, sizes, lift, run, bottom)
            run = []
        if i is not None:
            run.append(i)
    return bottom


def _neighbours(anchors: np.ndarray, sizes: np.ndarray, a: int, b: int) -> bool:
    apart_x = abs(anchors[b, 0] - anchors[a, 0]) >= (sizes[a, 0] + sizes[b, 0]) / 2 + GAP_PX
    apart_y = abs(anchors[b, 1] - anchors[a, 1]) >= max(sizes[a, 1], sizes[b, 1])
    return not (apart_x or apart_y)


def _set_in_rows(
    anchors: np.ndarray, sizes: np.ndarray, lift: float, run: list[int], bottom: np.ndarray
) -> None:
    if len(run) < 2:
        return
    base = float(anchors[run, 1].max()) + lift
    step = float(sizes[run, 1].max()) + GAP_PX
    right: list[float] = []  # the right edge of the last label in each row
    for i in run:
        left = anchors[i, 0] - sizes[i, 0] / 2
        row = next((r for r, edge in enumerate(right) if edge + GAP_PX <= left), len(right))
        if row == len(right):
            right.append(0.0)
        right[row] = anchors[i, 0] + sizes[i, 0] / 2
        bottom[i] = base + row * step


def _settle(anchors: np.ndarray, sizes: np.ndarray, bottom: np.ndarray) -> None:
    """Lift labels (the lowest points first) until none overlaps one placed before it."""
    left = anchors[:, 0] - sizes[:, 0] / 2
    right = anchors[:, 0] + sizes[:, 0] / 2
    placed: list[int] = []
    for i in np.lexsort((anchors[:, 0], anchors[:, 1])):
        if placed:
            p = np.array(placed)
            across = (left[p] < right[i] + GAP_PX) & (right[p] + GAP_PX > left[i])
            while True:
                top_i = bottom[i] + sizes[i, 1]
                hit = (
                    across
                    & (bottom[p] < top_i + GAP_PX)
                    & (bottom[p] + sizes[p, 1] + GAP_PX > bottom[i])
                )
                if not hit.any():
                    break
                # Over the highest label it meets; then check again (others may be there).
                bottom[i] = float((bottom[p] + sizes[p, 1])[hit].max()) + GAP_PX
        placed.append(int(i))
