"""The ``twindeck`` program as a user runs it: help, bad input, a headless screenshot."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

from app.export.imaging import qimage_to_rgb
from tests.app.cli import twindeck
from tests.app.pixels import alarm_mask, count, normal_mask


def _pixels(path: Path) -> np.ndarray:
    return qimage_to_rgb(QImage(str(path)))


def test_help_explains_the_options() -> None:
    result = twindeck("--help")
    assert result.returncode == 0
    options = ("--plant", "--fault", "--screenshot", "--after", "ASSET:KIND@START[+DEVELOP]")
    for option in (*options, "cooling_loss", "insulation_ageing", "1.5h"):
        assert option in result.stdout


def test_a_broken_plant_file_is_one_clear_error_not_a_traceback(tmp_path: Path) -> None:
    plant = tmp_path / "broken.toml"
    plant.write_text(
        '[plant]\nname = "x"\n[[areas]]\nid = "a"\n[[assets]]\nid = "M1"\n'
        'area = "nowhere"\nkind = "motor"\nposition = [0, 0, 0]\n',
        encoding="utf-8",
    )
    result = twindeck("--plant", str(plant))
    assert result.returncode == 2
    assert "broken.toml" in result.stderr and "M1" in result.stderr and "nowhere" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_span_that_is_not_offered_is_refused_with_the_choices() -> None:
    result = twindeck("--span", "3h")
    assert result.returncode == 2
    assert "--span" in result.stderr and "'3h'" in result.stderr and "24h" in result.stderr


def test_an_unknown_fault_asset_is_refused(tmp_path: Path) -> None:
    result = twindeck("--fault", "M99:overload@5")
    assert result.returncode == 2
    assert "M99" in result.stderr and "Traceback" not in result.stderr


def test_screenshot_after_simulated_operation_shows_plant_plot_and_alarm(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    result = twindeck(
        "--screenshot",
        str(out),
        "--after",
        "80",
        "--fault",
        "M07:overload@10",
        "--size",
        "1400x900",
    )
    assert result.returncode == 0, result.stderr
    pixels = _pixels(out)
    assert pixels.shape[:2] == (900, 1400)
    assert count(normal_mask(pixels)) > 3_000  # grey equipment in the 3D view
    assert count(alarm_mask(pixels)) > 30  # the overloaded motor


def test_an_unwritable_screenshot_path_fails_with_a_message(tmp_path: Path) -> None:
    out = tmp_path / "missing-folder" / "shot.png"
    result = twindeck("--screenshot", str(out), "--after", "2")
    assert result.returncode == 1
    assert str(out) in result.stderr and not out.exists()
