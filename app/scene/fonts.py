"""A font file with CJK glyphs for VTK's text (labels, area names, colour bar titles).

VTK's built-in fonts (Arial, Courier, Times) have no Chinese glyphs: a name such as 冲压车间
would show as empty boxes. Qt finds fallback fonts itself; VTK needs a file named.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from vtkmodules.vtkCommonCore import VTK_FONT_FILE
from vtkmodules.vtkRenderingCore import vtkTextProperty

log = logging.getLogger("twindeck.scene")

ENV = "TWINDECK_CJK_FONT"  # a font file to use instead of the system's
FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei")
KNOWN_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # Debian/Ubuntu fonts-noto-cjk
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",  # Arch
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",  # Fedora
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",  # Microsoft YaHei
    "C:/Windows/Fonts/msyh.ttf",
    "C:/Windows/Fonts/simhei.ttf",
    "/System/Library/Fonts/PingFang.ttc",
)


def _fontconfig(family: str) -> Path | None:
    """The file fontconfig has for ``family``, if it is that family (not a fallback)."""
    if shutil.which("fc-match") is None:
        return None
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{family}|%{file}", family],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families, _, file = out.partition("|")
    if family.split()[0].lower() not in families.lower() or not file:
        return None
    return Path(file)


def _candidates() -> Iterator[Path | None]:
    # Lazily: the first hit ends the search (each fontconfig query is a process).
    if os.environ.get(ENV):
        yield Path(os.environ[ENV])
    for family in FAMILIES:
        yield _fontconfig(family)
    windir = os.environ.get("WINDIR")
    if windir:
        yield Path(windir) / "Fonts" / "msyh.ttc"
    yield from (Path(p) for p in KNOWN_FILES)


@cache
def cjk_font_file() -> Path | None:
    """The font file VTK text uses: $TWINDECK_CJK_FONT, else the system's CJK sans serif
    (fontconfig, then known paths, on Windows Microsoft YaHei); None, with a warning
    logged once, when there is none (Chinese names then show as boxes in the 3D view)."""
    for path in _candidates():
        if path is not None and path.is_file():
            return path
    log.warning(
        "no font with Chinese glyphs found (install fonts-noto-cjk, or set %s to a font "
        "file): Chinese names in the 3D view will show as boxes",
        ENV,
    )
    return None


def use_cjk_font(prop: vtkTextProperty) -> bool:
    """Draw ``prop``'s text with :func:`cjk_font_file`; False (VTK's Arial kept) if none."""
    path = cjk_font_file()
    if path is None:
        return False
    prop.SetFontFamily(VTK_FONT_FILE)
    prop.SetFontFile(str(path))
    return True
