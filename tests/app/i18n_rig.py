"""What the Chinese interface tests share: the compiled translation, a zh_CN session, the
zh demo plant, and a look into font files."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont
from PySide6.QtWidgets import QApplication

from app import paths
from app.i18n import install_translator, save_language, set_language_override
from twin.plant.loader import load_plant
from twin.plant.model import Plant

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "assets" / "translations" / "twindeck_zh_CN.ts"
ZH_PLANT = paths.assets_dir() / "plants" / "demo_workshop_zh.toml"


def compile_translations() -> list[Path]:
    """Run scripts/compile_translations.py as setup does; the .qm files."""
    spec = importlib.util.spec_from_file_location(
        "compile_translations", ROOT / "scripts" / "compile_translations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built: list[Path] = module.compile_all()
    return built


@pytest.fixture
def zh_cn(qapp: QApplication) -> Iterator[None]:
    """The interface in Simplified Chinese for one test (as ``--lang zh_CN`` gives it)."""
    compile_translations()
    set_language_override("zh_CN")
    assert install_translator(qapp) == "zh_CN"
    yield
    set_language_override(None)
    save_language(None)
    install_translator(qapp, "en")


@pytest.fixture(scope="session")
def zh_plant() -> Plant:
    return load_plant(ZH_PLANT)


def cmap_of(path: Path) -> set[int]:
    """Code points the font file's first face (the one VTK's FreeType opens) has glyphs for."""
    ttc = path.suffix.lower() == ".ttc"
    font = TTCollection(str(path)).fonts[0] if ttc else TTFont(str(path))
    return set(font.getBestCmap())


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
