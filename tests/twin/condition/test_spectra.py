"""Spectra against slow references: Welch PSD, bearing defect frequencies, band energy,
rotor-bar sidebands."""

from __future__ import annotations

import cmath
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twin.condition import spectra


def _slow_welch(x: list[float], fs: float, nperseg: int, overlap: float) -> list[float]:
    """Per segment: detrend by its mean, periodic Hann, a DFT by the definition."""
    step = max(1, round(nperseg * (1 - overlap)))
    win = [0.5 - 0.5 * math.cos(2 * math.pi * n / nperseg) for n in range(nperseg)]
    scale = fs * sum(w * w for w in win)
    acc = [0.0] * (nperseg // 2 + 1)
    segs = 0
    for s in range(0, len(x) - nperseg + 1, step):
        seg = x[s : s + nperseg]
        mean = sum(seg) / nperseg
        for k in range(nperseg // 2 + 1):
            z = sum(
                (seg[n] - mean) * win[n] * cmath.exp(-2j * math.pi * k * n / nperseg)
                for n in range(nperseg)
            )
            p = abs(z) ** 2 / scale
            acc[k] += p if k == 0 or (nperseg % 2 == 0 and k == nperseg // 2) else 2 * p
        segs += 1
    return [a / segs for a in acc]


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([8, 15, 16]), st.sampled_from([0.0, 0.5, 0.75]))
def test_welch_matches_the_dft_reference(seed: int, nperseg: int, overlap: float) -> None:
    x = np.random.default_rng(seed).normal(size=64)
    f, p = spectra.welch_psd(x, 100.0, nperseg, overlap)
    np.testing.assert_allclose(
        p, _slow_welch(x.tolist(), 100.0, nperseg, overlap), rtol=1e-9, atol=1e-12
    )
    assert f[1] == pytest.approx(100.0 / nperseg)


def test_psd_integrates_to_the_variance_and_rows_are_independent() -> None:
    rng = np.random.default_rng(2)
    x = np.vstack([rng.normal(0, 1, 20_000), rng.normal(0, 3, 20_000)])
    f, p = spectra.welch_psd(x, 1000.0, 512)
    var = p.sum(axis=1) * (f[1] - f[0])
    np.testing.assert_allclose(var, [1.0, 9.0], rtol=0.05)
    np.testing.assert_allclose(spectra.welch_psd(x[1], 1000.0, 512)[1], p[1])


def test_bearing_frequencies_of_a_6205() -> None:
    # 9 balls of 7.94 mm on a 39.04 mm pitch: the makers' orders 3.585, 5.415, 2.357, 0.398.
    b = spectra.bearing_frequencies(1.0, 9, 7.94, 39.04)
    assert b.as_tuple() == pytest.approx((3.585, 5.415, 2.357, 0.398), abs=2e-3)
    assert b.bpfo + b.bpfi == pytest.approx(9.0)  # holds for any geometry
    assert spectra.from_orders(24.6, b.as_tuple()).bpfo == pytest.approx(24.6 * b.bpfo)
    with pytest.raises(ValueError, match="ball_d"):
        spectra.bearing_frequencies(1.0, 9, 40.0, 39.0)


def test_band_energy_finds_a_defect_tone_at_bpfo() -> None:
    fs, shaft = 5000.0, 24.6
    b = spectra.bearing_frequencies(shaft, 9, 7.94, 39.04)
    t = np.arange(50_000) / fs
    rng = np.random.default_rng(3)
    sound = 0.05 * rng.standard_normal(t.size)
    worn = sound + 0.5 * np.sin(2 * np.pi * b.bpfo * t)
    f, p = spectra.welch_psd(np.vstack([sound, worn]), fs, 4096)
    e = spectra.band_energy(f, p, np.array(b.as_tuple()), 3.0)
    assert e[1, 0] == pytest.approx(0.5**2 / 2, rel=0.1)  # a sine's power, all in its band
    assert e[1, 0] > 100 * e[0, 0]
    assert e[1, 1] < 2 * e[0, 1]  # nothing at BPFI


def test_rotor_bar_sidebands_in_a_current() -> None:
    fs, supply = 2000.0, 50.0
    s = spectra.slip(supply, 4, 1455.0)
    assert s == pytest.approx(0.03)
    lo, hi = spectra.rotor_bar_sidebands(supply, s)
    assert (lo, hi) == pytest.approx((47.0, 53.0))
    t = np.arange(200_000) / fs
    noise = 1e-4 * np.random.default_rng(5).standard_normal(t.size)
    sound = np.sin(2 * np.pi * supply * t) + noise
    broken = sound + 0.03 * (np.sin(2 * np.pi * lo * t) + np.sin(2 * np.pi * hi * t))
    f, p = spectra.welch_psd(np.vstack([sound, broken]), fs, 8192)
    db = spectra.sideband_ratio_db(f, p, supply, s, 0.6)
    assert db[1] == pytest.approx(20 * math.log10(0.03), abs=1.5)
    assert db[0] < -50
