"""Vectorised rigid transforms for many instances at once: rotations, chains, quaternions.

A transform is a pair (R, t): R (n, 3, 3) rotation matrices and t (n, 3) translations,
mapping a point p to R p + t. Everything is numpy, so a plant of 10,000 motors moves its
shafts in one operation per part rather than one Python call per asset.
"""

from __future__ import annotations

import numpy as np

from app.scene.parts import Motion

Transform = tuple[np.ndarray, np.ndarray]


def identity(n: int) -> Transform:
    return np.broadcast_to(np.eye(3), (n, 3, 3)).copy(), np.zeros((n, 3))


def axis_rotation(axis: int, angle_deg: np.ndarray) -> np.ndarray:
    """(n, 3, 3) rotations by ``angle_deg`` (n,) about the x, y or z axis (right-handed)."""
    a = np.radians(np.asarray(angle_deg, dtype=np.float64))
    c, s = np.cos(a), np.sin(a)
    n = a.shape[0]
    r = np.zeros((n, 3, 3))
    i, j = [(1, 2), (2, 0), (0, 1)][axis]  # the plane the rotation turns
    r[:, axis, axis] = 1.0
    r[:, i, i] = c
    r[:, j, j] = c
    r[:, i, j] = -s
    r[:, j, i] = s
    return r


def motion_transform(motion: Motion, displacement: np.ndarray) -> Transform:
    """The transform a motion makes at ``displacement`` (n,): metres or degrees."""
    n = displacement.shape[0]
    if not motion.rotate:
        t = np.zeros((n, 3))
        t[:, motion.axis] = displacement
        return identity(n)[0], t
    r = axis_rotation(motion.axis, displacement)
    pivot = np.asarray(motion.pivot, dtype=np.float64)
    return r, pivot - r @ pivot  # turn about the pivot, not the origin


def compose(first: Transform, second: Transform) -> Transform:
    """``first`` after ``second``: p -> R1 (R2 p + t2) + t1."""
    r1, t1 = first
    r2, t2 = second
    return r1 @ r2, np.einsum("nij,nj->ni", r1, t2) + t1


def quaternions(r: np.ndarray) -> np.ndarray:
    """(n, 4) unit quaternions (w, x, y, z), VTK's order, of rotations (n, 3, 3)."""
    m = r
    trace = m[:, 0, 0] + m[:, 1, 1] + m[:, 2, 2]
    # Four candidate formulas; each is stable where its denominator is largest.
    cands = np.stack(
        [
            trace,
            m[:, 0, 0] - m[:, 1, 1] - m[:, 2, 2],
            m[:, 1, 1] - m[:, 0, 0] - m[:, 2, 2],
            m[:, 2, 2] - m[:, 0, 0] - m[:, 1, 1],
        ],
        axis=1,
    )
    best = np.argmax(cands, axis=1)
    q = np.empty((r.shape[0], 4))
    s = np.sqrt(np.maximum(1.0 + cands[np.arange(len(best)), best], 1e-12)) * 2.0
    for k in range(4):
        sel = best == k
        if not sel.any():
            continue
        mm, ss = m[sel], s[sel]
        if k == 0:
            q[sel] = np.stack(
                [
                    0.25 * ss,
                    (mm[:, 2, 1] - mm[:, 1, 2]) / ss,
                    (mm[:, 0, 2] - mm[:, 2, 0]) / ss,
                    (mm[:, 1, 0] - mm[:, 0, 1]) / ss,
                ],
                axis=1,
            )
        elif k == 1:
            q[sel] = np.stack(
                [
                    (mm[:, 2, 1] - mm[:, 1, 2]) / ss,
                    0.25 * ss,
                    (mm[:, 0, 1] + mm[:, 1, 0]) / ss,
                    (mm[:, 0, 2] + mm[:, 2, 0]) / ss,
                ],
                axis=1,
            )
        elif k == 2:
            q[sel] = np.stack(
                [
                    (mm[:, 0, 2] - mm[:, 2, 0]) / ss,
                    (mm[:, 0, 1] + mm[:, 1, 0]) / ss,
                    0.25 * ss,
                    (mm[:, 1, 2] + mm[:, 2, 1]) / ss,
                ],
                axis=1,
            )
        else:
            q[sel] = np.stack(
                [
                    (mm[:, 1, 0] - mm[:, 0, 1]) / ss,
                    (mm[:, 0, 2] + mm[:, 2, 0]) / ss,
                    (mm[:, 1, 2] + mm[:, 2, 1]) / ss,
                    0.25 * ss,
                ],
                axis=1,
            )
    return q / np.linalg.norm(q, axis=1, keepdims=True)


def box_corners(bounds: np.ndarray) -> np.ndarray:
    """The 8 corners (8, 3) of (xmin, xmax, ymin, ymax, zmin, zmax)."""
    xs, ys, zs = bounds[0:2], bounds[2:4], bounds[4:6]
    return np.array([(x, y, z) for x in xs for y in ys for z in zs], dtype=np.float64)
