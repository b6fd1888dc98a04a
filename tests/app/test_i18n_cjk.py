"""Chinese names from a plant file, drawn in a font that has their glyphs: the tree, the
plot titles, the 3D label (VTK draws from a font file), and the packaging that brings
the font and the translation along."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
from PySide6.QtCore import QTranslator
from PySide6.QtGui import QFontMetrics
from vtkmodules.vtkCommonCore import VTK_FONT_FILE

from app.scene import fonts
from tests.app.i18n_rig import (
    ROOT,
    ZH_PLANT,
    cmap_of,
    compile_translations,
    has_cjk,
    zh_cn,
    zh_plant,
)

__all__ = ["zh_cn", "zh_plant"]  # fixtures


def _cjk(text: str) -> list[str]:
    return [ch for ch in text if has_cjk(ch)]


def _all_in_font(metrics: QFontMetrics, text: str) -> list[str]:
    """The characters of ``text`` the font lacks (``inFontUcs4``: PySide6 6.12's ``inFont``
    turns some one-character strings into another QChar, e.g. 电 U+7535 reads as absent)."""
    return [ch for ch in text if not metrics.inFontUcs4(ord(ch))]


def test_chinese_names_are_in_the_fonts_of_the_tree_plots_and_3d_label(
    qtbot, zh_cn, make_live_app, zh_plant
) -> None:
    live = make_live_app(zh_plant)
    window = live.window
    window.show()
    qtbot.waitExposed(window)
    asset = zh_plant.assets[0]
    window.selection.select(asset.id)
    live.scheduler.tick()

    # the tree: areas and assets, and the kind column ("电机")
    tree = window.tree.tree
    texts = []
    for i in range(tree.topLevelItemCount()):
        area = tree.topLevelItem(i)
        texts.append(area.text(0))
        texts += [area.child(j).text(c) for j in range(area.childCount()) for c in (0, 1)]
    assert len(_cjk("".join(texts))) > 100
    assert _all_in_font(QFontMetrics(tree.font()), "".join(texts)) == []

    # the plots: the header naming the asset, a title per signal
    header = window.plots._title
    assert asset.name in header.text() and "电机" in header.text()
    assert _all_in_font(QFontMetrics(header.font()), "".join(_cjk(header.text()))) == []
    titles = [p.titleLabel.item for p in (s.plot for s in window.plots._strips)]
    assert [t.toPlainText().split(" [")[0] for t in titles] == [s.name for s in asset.signals]
    for title in titles:
        assert _all_in_font(QFontMetrics(title.font()), title.toPlainText()) == []

    # the 3D label: drawn by VTK from a font file that has every character
    label = window.scene_view.scene.selection.label
    text = label.GetInput()
    assert asset.name in text and any(w in text for w in ("正常", "预警", "报警", "无数据"))
    prop = label.GetTextProperty()
    assert prop.GetFontFamily() == VTK_FONT_FILE
    path = Path(prop.GetFontFile())
    assert path.is_file()
    glyphs = cmap_of(path)
    assert [ch for ch in text if ch.strip() and ord(ch) not in glyphs] == []
    # and the area names on the floor
    areas = [a.name for a in zh_plant.areas]
    assert all(ord(ch) in glyphs for name in areas for ch in name)


def test_the_cjk_font_file_is_found_and_covers_the_zh_plant() -> None:
    path = fonts.cjk_font_file()
    assert path is not None and path.is_file()
    glyphs = cmap_of(path)
    text = ZH_PLANT.read_text(encoding="utf-8")
    missing = {ch for ch in text if has_cjk(ch) and ord(ch) not in glyphs}
    assert missing == set()


def test_a_font_named_in_the_environment_comes_first(tmp_path, monkeypatch) -> None:
    system = fonts.cjk_font_file()
    assert system is not None
    mine = tmp_path / "plant-font.ttc"
    mine.write_bytes(system.read_bytes()[:1])  # only its name matters here
    monkeypatch.setenv(fonts.ENV, str(mine))
    fonts.cjk_font_file.cache_clear()
    try:
        assert fonts.cjk_font_file() == mine
    finally:
        monkeypatch.delenv(fonts.ENV)
        fonts.cjk_font_file.cache_clear()


def test_the_compiled_translation_loads_and_translates(qapp) -> None:
    built = compile_translations()
    assert [p.name for p in built] == ["twindeck_zh_CN.qm"]
    translator = QTranslator()
    assert translator.load(str(built[0]))
    assert translator.translate("QtMainWindow", "&File") == "文件(&F)"
    assert translator.translate("CoreText", "motor") == "电机"


def test_packaging_brings_the_font_and_compiles_the_translation() -> None:
    depends = (ROOT / "installer" / "linux" / "depends.txt").read_text().split()
    assert "fonts-noto-cjk" in depends
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert "fonts-noto-cjk" in setup.split() and "compile_translations.py" in setup
    assert "compile_translations.py" in (ROOT / "installer" / "twindeck.spec").read_text()
    assert "*.qm" in (ROOT / ".gitignore").read_text().split()
    tracked = subprocess.run(
        ["git", "ls-files", "assets/translations"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    assert tracked == ["assets/translations/twindeck_zh_CN.ts"]


def test_the_self_test_passes_in_chinese() -> None:
    compile_translations()
    result = subprocess.run(
        [sys.executable, "-m", "app", "--self-test", "--lang", "zh_CN"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "自检通过：9 项检查" in result.stdout
    assert "个样本" in result.stdout and "FAIL" not in result.stdout
    assert np.sum([has_cjk(line) for line in result.stdout.splitlines()]) >= 9


def test_without_a_cjk_font_vtk_keeps_its_own_and_says_why(monkeypatch, caplog) -> None:
    from vtkmodules.vtkCommonCore import VTK_ARIAL
    from vtkmodules.vtkRenderingCore import vtkTextProperty

    monkeypatch.delenv(fonts.ENV, raising=False)
    monkeypatch.delenv("WINDIR", raising=False)
    monkeypatch.setattr(fonts, "FAMILIES", ("No Such Family Sans",))
    monkeypatch.setattr(fonts, "KNOWN_FILES", ("/nonexistent/font.ttc",))
    fonts.cjk_font_file.cache_clear()
    try:
        prop = vtkTextProperty()
        assert not fonts.use_cjk_font(prop)
        assert prop.GetFontFamily() == VTK_ARIAL
        assert "no font with Chinese glyphs found" in caplog.text
        assert "fonts-noto-cjk" in caplog.text
    finally:
        fonts.cjk_font_file.cache_clear()
