"""Trim what PyInstaller collected for TwinDeck's bundle (used by installer/twindeck.spec).

The PySide6 hooks collect every Qt plugin of the modules in use: Wayland, EGLFS, VNC,
framebuffer and GTK-theme plugins that TwinDeck never loads, and through the GTK theme
plugin the whole GTK/cairo/pango stack of the build machine. VTK's render window needs
X11 (XWayland on a Wayland desktop), so the Qt platform is xcb on Linux.

On Linux the desktop's own libraries are taken from the system, not copied from the
build machine (the .deb depends on them): a bundled libstdc++ older than the system's
stops Mesa's GL drivers from loading, and a bundled fontconfig or D-Bus can disagree with
the system's configuration files.

``TocEntry`` is PyInstaller's (destination name, source path, type code) triple.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

TocEntry = tuple[str, str, str]

PLUGINS = "PySide6/Qt/plugins/"  # Linux and macOS wheels; Windows: PySide6/plugins/
# Qt plugins to leave out, by destination path prefix.
DROP_PLUGINS = tuple(
    base + p
    for base in (PLUGINS, "PySide6/plugins/")
    for p in (
        "egldeviceintegrations/",
        "generic/",  # evdev/tslib/TUIO input for EGLFS and linuxfb, or over the network
        "wayland-",  # VTK's render window needs X11; Qt falls back to xcb without it
        "platforms/libqwayland",
        "platforms/libqeglfs",
        "platforms/libqlinuxfb",
        "platforms/libqminimalegl",
        "platforms/libqvkkhrdisplay",
        "platforms/libqvnc",
        "platformthemes/libqgtk3",  # would bring GTK, cairo, pango, gdk-pixbuf, atk
        "platforms/qdirect2d",  # Windows: qwindows is the platform plugin
        *(
            f"imageformats/{prefix}q{fmt}"
            for prefix in ("lib", "")
            for fmt in ("icns", "tga", "tiff", "wbmp", "webp", "gif")
        ),
    )
)

# Libraries the system provides (file name up to ".so"); libxcb-* are matched by prefix.
SYSTEM_LIBRARIES = frozenset(
    {
        "libstdc++", "libgcc_s",
        "libX11", "libX11-xcb", "libXau", "libXdmcp", "libXext", "libXrender",
        "libxkbcommon", "libxkbcommon-x11", "libfontconfig", "libfreetype", "libdbus-1",
        "libglib-2.0", "libgthread-2.0", "libgobject-2.0", "libgio-2.0", "libgmodule-2.0",
    }
)  # fmt: skip

# Programs the system provides on Linux (the .deb recommends them): imageio-ffmpeg's own
# ffmpeg is ~80 MB of the bundle, and imageio-ffmpeg finds /usr/bin/ffmpeg without it.
SYSTEM_PROGRAMS = ("imageio_ffmpeg/binaries/ffmpeg-",)


def _dest(entry: TocEntry) -> str:
    return entry[0].replace("\\", "/")


def drop_system_programs(toc: Iterable[TocEntry]) -> list[TocEntry]:
    """``toc`` without the programs in SYSTEM_PROGRAMS (Linux)."""
    return [e for e in toc if not _dest(e).startswith(SYSTEM_PROGRAMS)]


def drop_plugins(toc: Iterable[TocEntry]) -> list[TocEntry]:
    """``toc`` without the Qt plugins in DROP_PLUGINS."""
    return [e for e in toc if not _dest(e).startswith(DROP_PLUGINS)]


def is_system_library(dest: str) -> bool:
    """A library at the bundle's top level (where PyInstaller puts the ones it found on
    the build system) that the target system provides."""
    if "/" in dest:
        return False
    stem = dest.split(".so", 1)[0]
    return stem in SYSTEM_LIBRARIES or stem.startswith("libxcb")


def drop_system_libraries(toc: Iterable[TocEntry]) -> list[TocEntry]:
    """``toc`` without the system's own libraries (Linux)."""
    return [e for e in toc if not is_system_library(_dest(e))]


def _is_shared_library(dest: str) -> bool:
    """A plain library, kept only if something links to it (the bootloader dlopens
    libpython by name, so that one always stays)."""
    if dest.startswith(PLUGINS):  # Qt loads its plugins itself: they are roots
        return False
    name = dest.rsplit("/", 1)[-1]
    return name.startswith("lib") and ".so" in name and not name.startswith("libpython")


def prune_unreachable_libraries(
    binaries: list[TocEntry],
    datas: list[TocEntry],
    needed: Callable[[str], Iterable[str]],
) -> tuple[list[TocEntry], list[TocEntry], list[str]]:
    """Remove shared libraries that nothing left in the bundle links to (Linux).

    Roots are everything that is not a plain ``lib*.so*`` (Python extension modules,
    Qt plugins, libpython); ``needed(path)`` gives a binary's DT_NEEDED names and
    raises if it cannot read one (a guess would drop libraries still in use). Returns the new
    binaries, the datas without symlinks to removed libraries, and what was removed.
    """
    by_name: dict[str, list[TocEntry]] = {}
    for entry in binaries:
        by_name.setdefault(os.path.basename(_dest(entry)), []).append(entry)
    for dest, target, kind in datas:  # top-level symlinks name libraries too
        if kind == "SYMLINK":
            by_name.setdefault(os.path.basename(dest), []).extend(
                e for e in binaries if _dest(e) == target.replace("\\", "/")
            )
    keep: set[str] = set()
    todo = [e for e in binaries if e[2] == "EXTENSION" or not _is_shared_library(_dest(e))]
    while todo:
        entry = todo.pop()
        if _dest(entry) in keep:
            continue
        keep.add(_dest(entry))
        for name in needed(entry[1]):
            todo.extend(e for e in by_name.get(name, ()) if _dest(e) not in keep)
    removed = sorted(_dest(e) for e in binaries if _dest(e) not in keep)
    gone = set(removed)
    new_datas = [d for d in datas if not (d[2] == "SYMLINK" and d[1].replace("\\", "/") in gone)]
    return [e for e in binaries if _dest(e) in keep], new_datas, removed


def pyinstaller_needed(path: str) -> list[str]:
    """DT_NEEDED names of ``path``, through PyInstaller's own binary analysis."""
    from PyInstaller.depend.bindepend import get_imports

    return [name for name, _resolved in get_imports(path)]
