"""Fixtures shared by the core tests."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def demo_plant_path() -> Path:
    return ROOT / "assets" / "plants" / "demo_workshop.toml"
