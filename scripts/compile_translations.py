"""Compile assets/translations/*.ts into the .qm files the program loads (pyside6-lrelease).

Run by scripts/setup.sh and by the installer spec before bundling; the .qm files are built,
not committed. Usage: python scripts/compile_translations.py  (exit 1 if one fails)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "assets" / "translations"
# PySide6's console script, run with this interpreter so that any venv works
LRELEASE = "import sys; from PySide6.scripts.pyside_tool import lrelease; sys.exit(lrelease())"


def compile_all(folder: Path = FOLDER) -> list[Path]:
    """Compile every ``.ts`` in ``folder`` whose ``.qm`` is missing or older; the .qm files."""
    built = []
    for ts in sorted(folder.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            cmd = [sys.executable, "-c", LRELEASE, "-silent", str(ts), "-qm", str(qm)]
            subprocess.run(cmd, check=True)
        if not qm.is_file():
            raise RuntimeError(f"{ts}: pyside6-lrelease wrote no {qm.name}")
        built.append(qm)
    return built


if __name__ == "__main__":
    try:
        for path in compile_all():
            print(f"translation {path.name}")
    except (subprocess.CalledProcessError, RuntimeError) as exc:
        print(f"compile_translations: {exc}", file=sys.stderr)
        sys.exit(1)
