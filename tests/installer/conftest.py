"""The installer tests build real packages: opt in with TWINDECK_BUILD_INSTALLERS=1."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "installer: builds the bundle and packages with installer/build_linux.sh and installs "
        "the .deb (needs TWINDECK_BUILD_INSTALLERS=1; installing needs root)",
    )
