"""The Linux installers, built and used as an installer/IT person would.

Builds everything once with ``installer/build_linux.sh`` (bundle, .deb, .tar.gz and the
NSIS stand-in; about 3 minutes on 2 cores), installs the .deb with dpkg, runs the
installed ``/usr/bin/twindeck --self-test`` on the Xvfb display pytest-xvfb provides,
then removes the package again. Opt in with TWINDECK_BUILD_INSTALLERS=1; installing
needs root (CI runs as root). A ``twindeck`` package installed before is replaced and
then removed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_DEB_MB = 160.0
MIME_TYPE = Path("/usr/share/mime/application/x-twindeck-package.xml")

pytestmark = [
    pytest.mark.installer,
    pytest.mark.skipif(
        os.environ.get("TWINDECK_BUILD_INSTALLERS") != "1",
        reason="builds the installers (~3 min): set TWINDECK_BUILD_INSTALLERS=1 to run",
    ),
    pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs Debian's dpkg-deb"),
]


@dataclass(frozen=True)
class Built:
    version: str
    bundle: Path
    deb: Path
    tarball: Path
    standin: Path
    report: str


def _run(
    *cmd: str, timeout: float = 120, env: dict[str, str] | None = None, cwd: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(cmd), capture_output=True, text=True, timeout=timeout, check=False, env=env, cwd=cwd
    )


def _apt_env() -> dict[str, str]:
    return {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}


@pytest.fixture(scope="module")
def built() -> Built:
    started = time.monotonic()
    result = _run("bash", str(ROOT / "installer" / "build_linux.sh"), timeout=1200)
    if result.returncode != 0:
        pytest.fail(f"installer/build_linux.sh failed:\n{result.stderr[-6000:]}")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    arch = _run("dpkg", "--print-architecture").stdout.strip()
    dist = ROOT / "dist"
    report = (dist / "build-report.txt").read_text()
    print(f"\n{report}build_linux.sh took {time.monotonic() - started:.0f} s")
    return Built(
        version,
        dist / "twindeck",
        dist / f"twindeck_{version}_{arch}.deb",
        dist / f"twindeck-{version}-linux-{os.uname().machine}.tar.gz",
        dist / f"twindeck-{version}-setup-standin.exe",
        report,
    )


@pytest.fixture(scope="module")
def installed(built: Built) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("installing the .deb needs root (CI runs as root)")
    if not os.environ.get("DISPLAY"):
        pytest.skip("the installed app's self-test needs a display (pytest-xvfb gives one)")
    env = _apt_env()
    result = _run("dpkg", "-i", str(built.deb), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    try:
        yield Path("/opt/twindeck")
    finally:
        if _run("dpkg-query", "-W", "twindeck").returncode == 0:
            _run("dpkg", "-r", "twindeck", env=env)


def test_the_bundle_is_stripped_and_carries_its_assets(built: Built) -> None:
    internal = built.bundle / "_internal"
    assert os.access(built.bundle / "twindeck", os.X_OK)
    assert (internal / "assets" / "plants" / "demo_workshop.toml").is_file()
    assert (internal / "assets" / "icons" / "twindeck.png").is_file()
    assert not (internal / "assets" / "screenshots").exists()
    for unwanted in ("tkinter", "matplotlib", "PIL", "pytest", "pyarrow", "IPython"):
        assert not (internal / unwanted).exists(), unwanted
    assert not list(internal.glob("PySide6/Qt/plugins/platforms/libqwayland*"))
    assert not list(internal.glob("libstdc++*")), "the system's libstdc++ must be used"
    sections = _run("readelf", "-S", str(internal / "vtkmodules" / "libvtkCommonCore.so"))
    assert sections.returncode == 0 and ".symtab" not in sections.stdout  # stripped


def test_the_deb_is_small_and_declares_what_it_needs(built: Built) -> None:
    size_mb = built.deb.stat().st_size / 1e6
    assert size_mb <= MAX_DEB_MB, f"{built.deb.name} is {size_mb:.0f} MB"
    fields = _run("dpkg-deb", "-f", str(built.deb), "Package", "Version", "Depends").stdout
    assert "Package: twindeck" in fields and f"Version: {built.version}" in fields
    depends = fields.split("Depends:", 1)[1]
    for package in ("libgl1", "libegl1", "libxkbcommon-x11-0", "libxcb-cursor0",
                    "libxcb-icccm4", "libfontconfig1", "libdbus-1-3", "libc6 (>= 2."):  # fmt: skip
        assert package in depends, package
    listing = _run("dpkg-deb", "-c", str(built.deb)).stdout
    for path in ("./opt/twindeck/twindeck", "./usr/share/applications/twindeck.desktop",
                 "./usr/share/icons/hicolor/scalable/apps/twindeck.svg",
                 "./usr/share/mime/packages/twindeck.xml"):  # fmt: skip
        assert path in listing, path
    assert "./usr/bin/twindeck -> /opt/twindeck/twindeck" in listing


def test_the_tarball_holds_the_bundle(built: Built) -> None:
    top = f"twindeck-{built.version}"
    with tarfile.open(built.tarball, "r:gz") as tar:
        names = set(tar.getnames())
        launcher = tar.getmember(f"{top}/twindeck")
    assert launcher.isfile() and launcher.mode & 0o111
    assert f"{top}/_internal/assets/plants/demo_workshop.toml" in names
    assert f"{top}/_internal/vtkmodules/libvtkCommonCore.so" in names
    assert len(names) > 500


def test_makensis_compiled_the_windows_installer_script(built: Built) -> None:
    assert built.standin.stat().st_size > 50e6  # the whole bundle is inside
    with built.standin.open("rb") as f:
        head = f.read(2_000_000)
    assert head[:2] == b"MZ" and b"NullsoftInst" in head


def test_the_installed_app_passes_its_self_test(installed: Path) -> None:
    assert os.path.realpath("/usr/bin/twindeck") == str(installed / "twindeck")
    started = time.monotonic()
    result = _run("/usr/bin/twindeck", "--self-test", env=dict(os.environ), cwd="/")
    took = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(frozen bundle)" in result.stdout
    assert f"from {installed}/_internal/assets" in result.stdout
    first = re.search(r"first frame drawn (\d+\.\d+) s after launch", result.stdout)
    assert first is not None
    print(f"\ninstalled self-test: {took:.1f} s, first frame {first.group(1)} s after launch")


def test_the_installed_app_passes_its_self_test_in_chinese(installed: Path) -> None:
    """The bundle carries the compiled translation and the .deb pulls in the CJK font."""
    result = _run("/usr/bin/twindeck", "--self-test", "--lang", "zh_CN", cwd="/")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "自检通过" in result.stdout  # "self-test passed", from the bundle's .qm
    assert "个信号" in result.stdout  # the assets line: "N 台设备，M 个信号"
    font = _run("dpkg-query", "-W", "-f=${Status}", "fonts-noto-cjk")
    assert font.stdout == "install ok installed", font.stdout + font.stderr


def test_the_installed_app_takes_a_screenshot(installed: Path, tmp_path: Path) -> None:
    out = tmp_path / "installed.png"
    started = time.monotonic()
    result = _run("/usr/bin/twindeck", "--screenshot", str(out), "--after", "1", cwd="/")
    took = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 20_000
    print(f"\ninstalled --screenshot --after 1: {took:.1f} s")


def test_the_menu_entry_icon_and_file_type_are_installed(installed: Path) -> None:
    desktop = Path("/usr/share/applications/twindeck.desktop")
    text = desktop.read_text()
    assert "Exec=twindeck\n" in text and "Icon=twindeck\n" in text
    opener = Path("/usr/share/applications/twindeck-package.desktop").read_text()
    assert "Exec=twindeck --open %f" in opener
    assert "MimeType=application/x-twindeck-package;" in opener
    if shutil.which("desktop-file-validate"):
        for entry in (desktop, Path("/usr/share/applications/twindeck-package.desktop")):
            check = _run("desktop-file-validate", str(entry))
            assert check.returncode == 0, check.stdout + check.stderr
    assert Path("/usr/share/icons/hicolor/scalable/apps/twindeck.svg").is_file()
    assert Path("/usr/share/icons/hicolor/256x256/apps/twindeck.png").is_file()
    assert Path("/usr/share/mime/packages/twindeck.xml").is_file()
    if shutil.which("update-mime-database"):  # postinst registered the file type
        assert MIME_TYPE.is_file()


def test_removing_the_package_leaves_nothing_behind(installed: Path) -> None:
    result = _run("dpkg", "-r", "twindeck", env=_apt_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert not installed.exists()
    assert not os.path.lexists("/usr/bin/twindeck")
    assert not Path("/usr/share/applications/twindeck.desktop").exists()
    assert not Path("/usr/share/icons/hicolor/scalable/apps/twindeck.svg").exists()
    assert not MIME_TYPE.exists()  # postrm refreshed the MIME database
    assert "ok installed" not in _run("dpkg-query", "-W", "-f=${Status}", "twindeck").stdout
