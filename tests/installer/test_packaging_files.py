"""The packaging sources, checked in seconds on every run (no bundle is built here).

The full build, install and removal is test_installers.py (TWINDECK_BUILD_INSTALLERS=1).
"""

from __future__ import annotations

import configparser
import importlib.util
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
LINUX = INSTALLER / "linux"


def _load(name: str) -> ModuleType:
    """A module of installer/, which is scripts for the build, not a package."""
    spec = importlib.util.spec_from_file_location(name, INSTALLER / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _desktop(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(LINUX / name, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_menu_entries_start_twindeck_and_open_incident_packages() -> None:
    app = _desktop("twindeck.desktop")
    assert (app["Type"], app["Exec"], app["Icon"]) == ("Application", "twindeck", "twindeck")
    opener = _desktop("twindeck-package.desktop")
    assert opener["Exec"] == "twindeck --open %f" and opener["NoDisplay"] == "true"
    assert opener["MimeType"] == "application/x-twindeck-package;"


def test_the_mime_type_matches_twinpkg_files() -> None:
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    root = ET.parse(LINUX / "twindeck-mime.xml").getroot()  # also: a well-formed file
    mime = root.find("m:mime-type", ns)
    assert mime is not None and mime.get("type") == "application/x-twindeck-package"
    assert mime.find("m:glob", ns).get("pattern") == "*.twinpkg"  # type: ignore[union-attr]


def test_the_deb_depends_on_the_libraries_qt_and_vtk_need() -> None:
    declared = _load("check_system_libs").declared(LINUX / "depends.txt")
    for package in ("libgl1", "libegl1", "libxkbcommon-x11-0", "libxcb-cursor0",
                    "libfontconfig1", "libdbus-1-3", "libglib2.0-0", "libstdc++6"):  # fmt: skip
        assert package in declared, package
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    for xcb in {w for w in setup.split() if w.startswith("libxcb")}:
        assert xcb in declared, f"{xcb} is in scripts/setup.sh but not a dependency"


def test_maintainer_scripts_are_executable_shell() -> None:
    for name in ("postinst", "postrm"):
        path = LINUX / name
        assert path.read_text().startswith("#!/bin/sh\n") and path.stat().st_mode & 0o111
        assert subprocess.run(["sh", "-n", str(path)], check=False).returncode == 0
    assert "rm -rf /opt/twindeck" in (LINUX / "postrm").read_text()


def _toc(*dests: str) -> list[tuple[str, str, str]]:
    return [(d, f"/src/{d}", "EXTENSION" if d.endswith(".cpython.so") else "BINARY") for d in dests]


def test_libraries_nothing_links_to_are_left_out_and_plugins_are_kept() -> None:
    bundle_filter = _load("bundle_filter")
    binaries = _toc(
        "mod.cpython.so",  # an extension module: a root
        "libused.so.1",
        "libdeep.so.2",
        "libonly_for_gtk.so.0",
        "PySide6/Qt/plugins/platforms/libqxcb.so",  # a plugin: a root
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "libpython3.12.so.1.0",  # the bootloader dlopens it
    )
    datas = [("libQt6XcbQpa.so.6", "PySide6/Qt/lib/libQt6XcbQpa.so.6", "SYMLINK")]
    links = {
        "/src/mod.cpython.so": ["libused.so.1", "libc.so.6"],
        "/src/libused.so.1": ["libdeep.so.2"],
        "/src/PySide6/Qt/plugins/platforms/libqxcb.so": ["libQt6XcbQpa.so.6"],
    }
    kept, kept_datas, removed = bundle_filter.prune_unreachable_libraries(
        binaries, datas, lambda path: links.get(path, [])
    )
    assert removed == ["libonly_for_gtk.so.0"]
    assert len(kept) == len(binaries) - 1 and kept_datas == datas


def test_the_system_libraries_and_unused_plugins_are_dropped() -> None:
    bundle_filter = _load("bundle_filter")
    toc = _toc(
        "libstdc++.so.6",
        "libxcb-cursor.so.0",
        "libfontconfig.so.1",
        "libsqlite3.so.0",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
    )
    left = [d for d, _, _ in bundle_filter.drop_plugins(bundle_filter.drop_system_libraries(toc))]
    assert left == [
        "libsqlite3.so.0",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
    ]


@pytest.mark.skipif(shutil.which("makensis") is None, reason="needs makensis (apt: nsis)")
def test_the_nsis_script_compiles(tmp_path: Path) -> None:
    payload = tmp_path / "bundle"
    (payload / "_internal").mkdir(parents=True)
    (payload / "twindeck.exe").write_bytes(b"MZ stand-in")
    (payload / "_internal" / "base_library.zip").write_bytes(b"stand-in")
    out = tmp_path / "setup.exe"
    result = subprocess.run(
        ["makensis", "-V2", "-DVERSION=1.2.3", f"-DBUNDLE_DIR={payload}", f"-DOUTFILE={out}",
         "-DCOMPRESSOR=zlib", str(INSTALLER / "twindeck.nsi")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_bytes()[:2] == b"MZ"
