"""Check that the .deb depends on every system library the bundle links to.

    python installer/check_system_libs.py dist/twindeck installer/linux/depends.txt

Reads the DT_NEEDED entries of every shared library in the bundle (objdump -p), keeps
the names the bundle does not hold itself, finds them on this system (ldconfig -p) and
their Debian packages (dpkg -S), and fails naming any package missing from the
dependency list (alternatives ``a | b`` count for both). The C library's own packages
are implied by the libc6 version the build script adds. A library found nowhere fails
too: the bundle would not start.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

IMPLIED = {"libc6", "libc6-amd64", "libc-bin"}  # the build script adds libc6 (>= X)
BATCH = 200  # files per objdump run


def bundle_files(bundle: Path) -> tuple[list[Path], set[str]]:
    """The ELF shared objects in ``bundle`` and every file name it holds."""
    names, elves = set(), []
    for path in bundle.rglob("*"):
        names.add(path.name)
        if path.is_file() and not path.is_symlink() and ".so" in path.name:
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    elves.append(path)
    return elves, names


def needed(files: list[Path]) -> dict[str, list[Path]]:
    """DT_NEEDED name -> the files that need it."""
    users: dict[str, list[Path]] = {}
    for i in range(0, len(files), BATCH):
        chunk = files[i : i + BATCH]
        out = subprocess.run(
            ["objdump", "-p", *map(str, chunk)], capture_output=True, text=True, check=True
        ).stdout
        current: Path | None = None
        for line in out.splitlines():
            if ":     file format " in line:
                current = Path(line.split(":     file format ")[0])
            match = re.match(r"\s+NEEDED\s+(\S+)", line)
            if match and current is not None:
                users.setdefault(match.group(1), []).append(current)
    return users


def system_libraries() -> dict[str, str]:
    """soname -> path, for this machine's architecture, from the linker cache."""
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    wide = sys.maxsize > 2**32  # "(libc6,x86-64)", "(libc6,AArch64)" vs "(libc6)"
    found: dict[str, str] = {}
    for line in out.splitlines()[1:]:
        match = re.match(r"\s+(\S+) \(([^)]*)\) => (\S+)", line)
        if match and ("64" in match.group(2)) == wide:
            found.setdefault(match.group(1), match.group(3))
    return found


def package_of(path: str) -> str | None:
    candidates = {path, os.path.realpath(path)}
    for p in list(candidates):  # merged /usr: dpkg may know either spelling
        candidates.add(p.removeprefix("/usr") if p.startswith("/usr/lib") else "/usr" + p)
    for p in candidates:
        result = subprocess.run(["dpkg", "-S", p], capture_output=True, text=True, check=False)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].strip()
    return None


def declared(depends_file: Path) -> set[str]:
    names: set[str] = set()
    for line in depends_file.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        for alternative in filter(None, (a.strip() for a in line.split("|"))):
            names.add(alternative.split()[0].split(":")[0])
    return names


def check(bundle: Path, depends_file: Path) -> list[str]:
    """Problems found; empty when the dependency list covers the bundle."""
    elves, inside = bundle_files(bundle)
    system = system_libraries()
    have = declared(depends_file) | IMPLIED
    problems = []
    for name, users in sorted(needed(elves).items()):
        if name in inside:
            continue
        path = system.get(name)
        first = users[0].relative_to(bundle)
        if path is None:
            problems.append(f"{name} (needed by {first}) is neither bundled nor installed")
            continue
        package = package_of(path)
        if package is None:
            problems.append(f"{name} ({path}, needed by {first}) belongs to no package")
        elif package.split(":")[0] not in have:
            problems.append(f"{name} is in package {package}, missing from {depends_file}")
    return problems


def main(argv: Iterable[str]) -> int:
    bundle, depends_file = (Path(a) for a in argv)
    problems = check(bundle, depends_file)
    for problem in problems:
        print(f"check_system_libs: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
