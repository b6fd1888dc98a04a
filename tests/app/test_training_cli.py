"""``twindeck --train FILE --preview --report OUT.pdf`` as a trainer runs it: each shipped
lesson gives its answer key the full score and a PDF that says so; a malformed lesson is
refused with its file, line and step before anything runs."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tests.app.cli import twindeck

ROOT = Path(__file__).resolve().parents[2]
TRAINING = ROOT / "assets" / "training"
PACKAGE = TRAINING / "motor_overload.twinpkg"


@pytest.fixture(scope="module")
def lesson_package() -> Path:
    """The replay lesson's incident package, as the set-up makes it."""
    if not PACKAGE.exists():
        script = ROOT / "scripts" / "make_lesson_package.py"
        subprocess.run([sys.executable, str(script), "-o", str(PACKAGE)], check=True, timeout=300)
    return PACKAGE


@pytest.mark.parametrize("lesson", ["fan_bearing.toml", "motor_overload.toml"])
def test_each_shipped_lesson_previews_to_the_full_score(
    tmp_path: Path, lesson: str, lesson_package: Path
) -> None:
    report = tmp_path / "key.pdf"
    result = twindeck("--train", str(TRAINING / lesson), "--preview", "--report", str(report),
                      "--trainee", "Instructor Wang", timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "(100 %)" in result.stdout and "never reached" not in result.stdout
    pdf = subprocess.run(
        ["pdftotext", str(report), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = unicodedata.normalize("NFKC", pdf)  # the PDF's "fi" ligatures
    assert "Instructor Wang" in text and "100 %" in text and "passed" in text
    steps = [
        line.split('"')[1]
        for line in (TRAINING / lesson).read_text().splitlines()
        if line.startswith("id = ")
    ]
    for step in steps:
        assert step in text


def test_a_malformed_lesson_is_refused_with_its_place(tmp_path: Path) -> None:
    text = (TRAINING / "fan_bearing.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(
        text.replace('answer = "M03"', 'answer = "M30"').replace(
            'plant = "../plants/', f'plant = "{ROOT}/assets/plants/'
        ),
        encoding="utf-8",
    )
    line = next(i for i, s in enumerate(bad.read_text().splitlines(), 1) if s == 'answer = "M30"')
    result = twindeck("--train", str(bad), "--preview", "--report", str(tmp_path / "r.pdf"))
    assert result.returncode == 2
    assert f"{bad}:{line}: step \"which_asset\", question: unknown asset 'M30'" in result.stderr
    assert not (tmp_path / "r.pdf").exists()
