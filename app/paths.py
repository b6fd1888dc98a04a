"""Where TwinDeck finds its bundled files, from a source tree or a frozen bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def assets_dir() -> Path:
    """The ``assets/`` folder: beside the packages in a source tree, inside a bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "assets"
    return Path(__file__).resolve().parent.parent / "assets"


def demo_plant_path() -> Path:
    return assets_dir() / "plants" / "demo_workshop.toml"


def translations_dir() -> Path:
    return assets_dir() / "translations"
