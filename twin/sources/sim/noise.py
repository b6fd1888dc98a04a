"""Deterministic randomness: stable per-asset numbers, per-group noise streams, slow wander.

Everything here is a pure function of the seed and of names (kind, key, asset id), never of
the order in which assets or groups were created, so that changing one kind of equipment in a
plant file does not change the signals of another.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

_U64 = 2**64


def _digest(seed: int, labels: Sequence[str], size: int = 64) -> bytes:
    text = "\x1f".join((str(seed % _U64), *labels))
    return hashlib.blake2b(text.encode(), digest_size=size).digest()


def noise_rng(seed: int, *labels: str) -> np.random.Generator:
    """A PCG64 generator seeded from the plant seed and names (e.g. kind, key, rate)."""
    word = int.from_bytes(_digest(seed, labels, 16), "little")
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed % _U64, word])))


def asset_uniforms(seed: int, kind: str, asset_ids: Sequence[str], count: int) -> np.ndarray:
    """Uniform [0, 1) numbers, shape (len(asset_ids), count), fixed per (seed, kind, asset id).

    Used for per-asset character (phases, wander periods, small spreads) so that each asset
    keeps its personality when other assets are added or removed.
    """
    out = np.empty((len(asset_ids), count))
    for row, asset_id in enumerate(asset_ids):
        words: list[np.ndarray] = []
        block = 0
        while 8 * len(words) < count:
            raw = _digest(seed, (kind, asset_id, str(block)))
            words.append(np.frombuffer(raw, dtype="<u8"))
            block += 1
        # 53 random bits give every representable double in [0, 1) a fair chance.
        out[row] = (np.concatenate(words)[:count] >> np.uint64(11)) * (2.0**-53)
    return out


def gaussian(rng: np.random.Generator, channels: int, k: int) -> np.ndarray:
    """Standard normal noise of shape (channels, k).

    Drawn as (k, channels) and transposed so the stream is consumed sample by sample: two
    draws of k1 and k2 samples give the same numbers as one draw of k1 + k2.
    """
    return rng.standard_normal((k, channels)).T


class Wander:
    """A slow, smooth, bounded per-asset wobble in [-1, 1]: a weighted sum of sinusoids.

    Deterministic in time, so it can be evaluated at any sample time with no state.
    """

    def __init__(
        self,
        u: np.ndarray,
        periods_s: Sequence[tuple[float, float]],
        weights: Sequence[float],
    ) -> None:
        """``u``: (n, 2 * len(periods_s)) uniforms; periods drawn from the given ranges."""
        m = len(periods_s)
        lo = np.array([p[0] for p in periods_s])
        hi = np.array([p[1] for p in periods_s])
        period = lo + (hi - lo) * u[:, :m]
        self._omega = 2.0 * np.pi / period  # (n, m)
        self._phase = 2.0 * np.pi * u[:, m : 2 * m]
        w = np.asarray(weights, dtype=float)
        self._weights = w / w.sum()

    def __call__(self, t: np.ndarray) -> np.ndarray:
        """Values at times ``t`` (k,) in seconds: shape (n, k)."""
        out = np.zeros((self._omega.shape[0], t.shape[0]))
        for j, w in enumerate(self._weights):
            out += w * np.sin(self._omega[:, j, None] * t[None, :] + self._phase[:, j, None])
        return out

    def integral(self, t: np.ndarray) -> np.ndarray:
        """Antiderivative of the wander at ``t`` (shape (n, k)), zero-mean, for phase tracking."""
        out = np.zeros((self._omega.shape[0], t.shape[0]))
        for j, w in enumerate(self._weights):
            om = self._omega[:, j, None]
            out -= (w / om) * np.cos(om * t[None, :] + self._phase[:, j, None])
        return out
