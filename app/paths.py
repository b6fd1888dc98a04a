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


def user_data_dir() -> Path:
    """The user's TwinDeck data folder (histories, bookmarks, training results)."""
    import platformdirs  # only where a path in it is asked for

    return platformdirs.user_data_path("TwinDeck", appauthor=False)


def training_records_path() -> Path:
    """The trainees' results (``db.training.TrainingRecords``)."""
    return user_data_dir() / "training" / "results.sqlite"


def lesson_cache_dir() -> Path:
    """Where simulated lessons' histories are kept once made (see app.compose.lessons)."""
    return user_data_dir() / "training" / "simulated"
