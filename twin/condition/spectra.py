"""Spectra of waveform channels (raw acceleration, phase current at kHz).

Welch's averaged periodogram with numpy's FFT, the bearing defect frequencies from the
bearing's geometry, the energy in bands around them, and the rotor-bar sidebands of the
supply frequency in a motor current. Pure functions, vectorised over rows of channels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def welch_psd(
    x: np.ndarray, fs: float, nperseg: int = 1024, overlap: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """One-sided power spectral density of each row of ``x`` (m, k) or of ``x`` (k,).

    Hann-windowed segments of ``nperseg`` samples, each with its mean removed, overlapping
    by ``overlap``; density scaling (unit^2 / Hz), so integrating it over frequency gives
    the signal's variance. Returns (freqs (nperseg // 2 + 1,), psd (m, ...) or (...,)).
    """
    x = np.asarray(x, dtype=float)
    rows = np.atleast_2d(x)
    k = rows.shape[1]
    if nperseg > k:
        raise ValueError(f"welch_psd: nperseg {nperseg} is longer than the signal ({k})")
    if not 0.0 <= overlap < 1.0:
        raise ValueError(f"welch_psd: overlap must be in [0, 1), got {overlap}")
    step = max(1, round(nperseg * (1.0 - overlap)))
    starts = np.arange(0, k - nperseg + 1, step)
    segs = rows[:, starts[:, None] + np.arange(nperseg)]  # (m, s, nperseg)
    segs = segs - segs.mean(axis=2, keepdims=True)
    win = np.hanning(nperseg + 1)[:-1]  # periodic Hann
    spec = np.abs(np.fft.rfft(segs * win, axis=2)) ** 2
    psd = spec.mean(axis=1) / (fs * np.sum(win**2))
    psd[:, 1:] *= 2.0  # one-sided: fold the negative frequencies in
    if nperseg % 2 == 0:
        psd[:, -1] /= 2.0  # Nyquist has no mirror
    freqs = np.fft.rfftfreq(nperseg, 1.0 / fs)
    return freqs, (psd if x.ndim == 2 else psd[0])


@dataclass(frozen=True)
class BearingFrequencies:
    """Defect frequencies in Hz (or in orders of the shaft speed, given shaft 1 Hz)."""

    bpfo: float  # ball pass, outer race
    bpfi: float  # ball pass, inner race
    bsf: float  # ball spin (one defect on a ball strikes both races: 2 x BSF also shows)
    ftf: float  # fundamental train (cage)

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.bpfo, self.bpfi, self.bsf, self.ftf)


def bearing_frequencies(
    shaft_hz: float, balls: int, ball_d: float, pitch_d: float, contact_deg: float = 0.0
) -> BearingFrequencies:
    """Defect frequencies of a rolling bearing with a stationary outer race."""
    if balls < 1 or ball_d <= 0 or pitch_d <= ball_d:
        raise ValueError(
            f"bearing geometry: need balls >= 1 and 0 < ball_d < pitch_d, got balls={balls}, "
            f"ball_d={ball_d}, pitch_d={pitch_d}"
        )
    r = ball_d / pitch_d * np.cos(np.radians(contact_deg))
    return BearingFrequencies(
        bpfo=balls / 2.0 * shaft_hz * (1.0 - r),
        bpfi=balls / 2.0 * shaft_hz * (1.0 + r),
        bsf=pitch_d / (2.0 * ball_d) * shaft_hz * (1.0 - r * r),
        ftf=shaft_hz / 2.0 * (1.0 - r),
    )


def from_orders(shaft_hz: float, orders: tuple[float, float, float, float]) -> BearingFrequencies:
    """Defect frequencies from the orders a bearing maker gives (BPFO, BPFI, BSF, FTF)."""
    return BearingFrequencies(*(o * shaft_hz for o in orders))


def band_energy(
    freqs: np.ndarray, psd: np.ndarray, centers_hz: np.ndarray, half_width_hz: float | np.ndarray
) -> np.ndarray:
    """Power in [c - w, c + w] around each centre: (m, len(centers)) for psd (m, f), or
    (len(centers),) for psd (f,). The sum of PSD bins times the bin width."""
    centers = np.atleast_1d(np.asarray(centers_hz, dtype=float))
    half = np.broadcast_to(np.asarray(half_width_hz, dtype=float), centers.shape)
    df = float(freqs[1] - freqs[0])
    inside = np.abs(freqs[None, :] - centers[:, None]) <= half[:, None]  # (c, f)
    p = np.atleast_2d(psd)
    out = p @ inside.T.astype(float) * df
    return out if np.ndim(psd) == 2 else out[0]


def rotor_bar_sidebands(supply_hz: float, slip: float) -> tuple[float, float]:
    """The (1 - 2s) f and (1 + 2s) f sidebands a broken rotor bar puts on the current."""
    return ((1.0 - 2.0 * slip) * supply_hz, (1.0 + 2.0 * slip) * supply_hz)


def slip(supply_hz: float, poles: int, speed_rpm: float) -> float:
    """Slip of an induction motor: (synchronous - actual) / synchronous speed."""
    sync = 120.0 * supply_hz / poles
    return (sync - speed_rpm) / sync


def sideband_ratio_db(
    freqs: np.ndarray, psd: np.ndarray, supply_hz: float, slip_: float, half_width_hz: float
) -> np.ndarray:
    """Rotor-bar sideband level below the supply line, in dB (the larger sideband; more
    negative is healthier; about -50 dB for a sound rotor, -35 dB and up with broken bars)."""
    lo, hi = rotor_bar_sidebands(supply_hz, slip_)
    e = band_energy(freqs, psd, np.array([supply_hz, lo, hi]), half_width_hz)
    e = np.atleast_2d(e)
    with np.errstate(divide="ignore"):
        ratio = 10.0 * np.log10(np.maximum(e[:, 1], e[:, 2]) / e[:, 0])
    return ratio if np.ndim(psd) == 2 else ratio[0]
