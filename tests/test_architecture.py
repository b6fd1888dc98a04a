"""The layering rule (app -> db -> twin; twin is numpy + stdlib) holds in the code, and the
code and the tests pass ruff and mypy with the project's settings."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold() -> None:
    # In a subprocess: import-linter's CLI reconfigures logging for the whole process.
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


def _top_level_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


# Protocol clients are the one exception, and only inside the connectors' own package.
CONNECTOR_LIBRARIES = {"paho", "asyncua", "pymodbus", "keyring", "cryptography"}


def test_twin_uses_only_numpy_and_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"numpy", "twin", "__future__"}
    connectors = ROOT / "twin" / "sources" / "connections"
    offenders = {}
    for path in (ROOT / "twin").rglob("*.py"):
        extra = CONNECTOR_LIBRARIES if connectors in path.parents else set()
        names = sorted(_top_level_imports(path) - allowed - extra)
        if names:
            offenders[str(path.relative_to(ROOT))] = names
    assert offenders == {}


CHECKED = ("app", "db", "twin", "tests")


def _run_module(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m <args>`` in the project root, as CI runs it; caches go where the tool
    puts them there (.ruff_cache, .mypy_cache, both ignored by git)."""
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_ruff_finds_nothing() -> None:
    result = _run_module("ruff", "check", *CHECKED)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_finds_nothing() -> None:
    # ~30 s from a cold cache, a second or two after.
    result = _run_module("mypy", *CHECKED)
    assert result.returncode == 0, result.stdout + result.stderr
