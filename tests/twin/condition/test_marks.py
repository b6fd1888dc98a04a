"""Marked frequencies from asset params, and the waveform analysis on live rings."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.plants import asset, build_plant
from twin.batch import Batch, ChannelGroup
from twin.condition.marks import MarkError, marks_for, waveform_signals
from twin.condition.waterfall import ROW_S, WATERFALL_ROWS, WaveformAnalysis, nperseg_for
from twin.plant.model import Plant
from twin.store.series import LiveSeries
from twin.store.signal_store import SignalStore
from twin.timebase import NS_PER_S

ACCEL = {"key": "acceleration", "unit": "m/s²", "rate_hz": 2048, "normal": [-5, 5]}
CURRENT = {"key": "current", "unit": "A", "rate_hz": 1000, "normal": [-40, 40]}
SPEED = {"key": "speed", "unit": "rpm", "rate_hz": 10, "normal": [1400, 1500]}


def _motor(params: dict[str, object], *signals: dict[str, object]) -> Plant:
    return build_plant(asset("M01", "motor", *(signals or (ACCEL, SPEED)), params=params))


def _hz(plant: Plant, key: str, rpm: float | None) -> dict[str, float]:
    a = plant.asset("M01")
    sig = a.signal(key)
    assert sig is not None
    return {m.label: m.hz for m in marks_for(a, sig, rpm)}


def test_bearing_marks_from_geometry_follow_the_textbook_formulas() -> None:
    # A 6205: 9 balls of 7.94 mm on a 39.04 mm pitch, no contact angle.
    plant = _motor({"bearing_balls": 9, "bearing_ball_d_mm": 7.94, "bearing_pitch_d_mm": 39.04})
    got = _hz(plant, "acceleration", 1500.0)
    shaft, r = 25.0, 7.94 / 39.04
    assert got["BPFO"] == pytest.approx(4.5 * shaft * (1 - r))
    assert got["BPFI"] == pytest.approx(4.5 * shaft * (1 + r))
    assert got["BSF"] == pytest.approx(39.04 / (2 * 7.94) * shaft * (1 - r * r))
    assert got["FTF"] == pytest.approx(shaft / 2 * (1 - r))
    assert (got["1×"], got["2×"], got["3×"]) == (25.0, 50.0, 75.0)


def test_orders_override_the_typical_bearing_and_the_rated_speed_stands_in() -> None:
    plant = _motor({"rated_speed_rpm": 1200, "bpfo_order": 3.1, "bpfi_order": 4.9})
    got = _hz(plant, "acceleration", math.nan)  # no measured speed: the rated one
    assert got["BPFO"] == pytest.approx(3.1 * 20.0) and got["BPFI"] == pytest.approx(4.9 * 20.0)
    assert got["BSF"] == pytest.approx(2.36 * 20.0)  # the typical 6205's where not given
    typical = _hz(_motor({"rated_speed_rpm": 1200}), "acceleration", None)
    assert typical["BPFO"] == pytest.approx(3.58 * 20.0)
    assert _hz(_motor({}), "acceleration", None) == {}  # no speed at all: nothing to mark


def test_a_current_is_marked_with_the_rotor_bar_sidebands() -> None:
    plant = _motor({"rated_speed_rpm": 1450, "supply_hz": 50}, CURRENT, SPEED)
    got = _hz(plant, "current", 1470.0)
    s = (1500 - 1470) / 1500
    assert got == pytest.approx(
        {"f": 50.0, "(1−2s)f": (1 - 2 * s) * 50, "(1+2s)f": (1 + 2 * s) * 50}
    )


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"bearing_balls": 9, "bearing_ball_d_mm": "big", "bearing_pitch_d_mm": 39.0},
         "param bearing_ball_d_mm = 'big' is not a number"),
        ({"bearing_balls": 9, "bearing_ball_d_mm": 7.9}, "param bearing_pitch_d_mm is missing"),
        ({"bearing_balls": 9, "bearing_ball_d_mm": 40.0, "bearing_pitch_d_mm": 39.0},
         "0 < ball_d < pitch_d"),
    ],
)  # fmt: skip
def test_bad_bearing_params_name_the_asset_and_the_param(
    params: dict[str, object], words: str
) -> None:
    with pytest.raises(MarkError, match="asset M01") as err:
        _hz(_motor({"rated_speed_rpm": 1450, **params}), "acceleration", None)
    assert words in str(err.value)


def test_waveform_signals_are_those_at_200_hz_and_faster() -> None:
    plant = _motor(
        {}, ACCEL, CURRENT, SPEED, {"key": "v", "unit": "mm/s", "rate_hz": 199, "normal": [0, 1]}
    )
    assert [s.key for s in waveform_signals(plant)] == ["acceleration", "current"]


def test_the_analysis_finds_a_tone_and_keeps_its_rows_as_the_cursor_moves() -> None:
    fs = 2048.0
    group = ChannelGroup("accel", ("M01.acceleration",), fs)
    store = SignalStore([group], retention_s=300)
    start = 1_750_000_000 * NS_PER_S
    n = int(200 * fs)
    t = start + np.round(np.arange(n) * NS_PER_S / fs).astype(np.int64)
    v = np.sin(2 * np.pi * 100.0 * (t - start) / NS_PER_S)[None, :].astype(np.float32)
    store.append(Batch(group.key, t, v))
    analysis = WaveformAnalysis(LiveSeries(store), "M01.acceleration", fs, max_rows=200)
    cursor = start + 150 * NS_PER_S + NS_PER_S // 3
    picture = analysis.update(cursor)
    assert picture is not None and picture.psd_db is not None and picture.complete
    assert analysis.nperseg == nperseg_for(fs, 4.0) == 4096
    assert picture.freqs[np.argmax(picture.psd_db)] == pytest.approx(100.0, abs=0.5)
    assert picture.newest_row_ns == start + 150 * NS_PER_S
    assert np.isfinite(picture.rows_db).all()  # 120 whole seconds of data behind
    assert (picture.row_freqs[np.argmax(picture.rows_db, axis=1)] == 100.0).all()
    later = analysis.update(cursor + 3 * ROW_S * NS_PER_S)
    assert later is not None and later.rows_db.shape == (WATERFALL_ROWS, picture.row_freqs.size)
    np.testing.assert_array_equal(later.rows_db[3:], picture.rows_db[:-3])  # moved down 3
    early = analysis.update(start + 10 * NS_PER_S)  # rows before the data: none
    assert early is not None and np.isnan(early.rows_db[20:]).all()
    assert np.isfinite(early.rows_db[:9]).all()
