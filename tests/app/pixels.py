"""Classify rendered pixels by the state colours the 3D view paints."""

from __future__ import annotations

import numpy as np


def _channels(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p = pixels.astype(np.int32)
    return p[..., 0], p[..., 1], p[..., 2]


def alarm_mask(pixels: np.ndarray) -> np.ndarray:
    """Shaded alarm red: strongly red-dominant."""
    r, g, b = _channels(pixels)
    return (r > 90) & (r > 2 * g) & (r > 2 * b)


def normal_mask(pixels: np.ndarray) -> np.ndarray:
    """Lit normal-state grey: neutral and brighter than floor, background and dark details."""
    r, g, b = _channels(pixels)
    spread = np.maximum(np.maximum(r, g), b) - np.minimum(np.minimum(r, g), b)
    return (spread < 20) & (g > 105) & (g < 200)


def count(mask: np.ndarray) -> int:
    return int(mask.sum())


def box(pixels: np.ndarray, centre: tuple[int, int], half: int) -> np.ndarray:
    """The pixels in a square of side 2*half around (x, y), clipped to the image."""
    x, y = centre
    h, w = pixels.shape[:2]
    return pixels[max(0, y - half) : min(h, y + half), max(0, x - half) : min(w, x + half)]
