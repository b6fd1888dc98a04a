"""Labels above points on the screen, lifted where they would overlap: each label is a box
centred over its point; one that would cover a label placed before it (the points lower on
the screen first) goes up until it clears every one."""

from __future__ import annotations

import numpy as np

GAP_PX = 4.0  # between two stacked labels


def stack_labels(anchors: np.ndarray, sizes: np.ndarray, lift: float) -> np.ndarray:
    """How far above its anchor each label's bottom sits (pixels, at least ``lift``).

    ``anchors`` (n, 2) are display positions (y up), ``sizes`` (n, 2) the labels' widths
    and heights. The labels are placed from the lowest anchor up (left to right among
    equals), so a nearer machine's label stays close to it.
    """
    n = anchors.shape[0]
    lifts = np.full(n, float(lift))
    if n == 0:
        return lifts
    order = np.lexsort((anchors[:, 0], anchors[:, 1]))
    left = anchors[:, 0] - sizes[:, 0] / 2
    right = anchors[:, 0] + sizes[:, 0] / 2
    bottom = anchors[:, 1] + lifts
    placed: list[int] = []
    for i in order:
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
    return bottom - anchors[:, 1]
