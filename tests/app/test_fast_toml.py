"""Plant files read with rtoml give the same plant as with tomllib, and the same located
message for a mistake."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.fast_toml import install
from twin.plant.loader import PlantError, load_plant, parse_plant, use_toml_decoder

DEMO = Path(__file__).resolve().parents[2] / "assets" / "plants" / "demo_workshop.toml"


@pytest.fixture
def fast() -> Iterator[None]:
    assert install()
    yield
    use_toml_decoder(None)


def test_rtoml_reads_the_demo_plant_as_tomllib_does(fast: None) -> None:
    with_rtoml = load_plant(DEMO)
    use_toml_decoder(None)
    assert load_plant(DEMO) == with_rtoml


def test_a_syntax_error_is_located_as_with_tomllib(fast: None) -> None:
    text = DEMO.read_text(encoding="utf-8").replace('id = "M07"', 'id = "M07', 1)
    with pytest.raises(PlantError) as fast_error:
        parse_plant(text, "plant.toml")
    use_toml_decoder(None)
    with pytest.raises(PlantError) as slow_error:
        parse_plant(text, "plant.toml")
    assert str(fast_error.value) == str(slow_error.value)
    assert fast_error.value.line is not None and "TOML syntax error" in str(fast_error.value)
