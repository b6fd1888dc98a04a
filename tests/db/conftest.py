"""Fixtures for the history tests: a real SQLite file and a real PostgreSQL server.

The PostgreSQL server is started once per session from Debian's binaries
(/usr/lib/postgresql/*/bin, package ``postgresql``) on 127.0.0.1 and a free port, with its
data and socket in a temp dir, and stopped at the end. Without the binaries the PostgreSQL
cases are skipped, unless TWINDECK_REQUIRE_POSTGRES=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg_server import PgServer, PostgresUnavailable, postgres_server


def _unavailable(reason: str) -> None:
    if os.environ.get("TWINDECK_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL required (TWINDECK_REQUIRE_POSTGRES=1) but {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason} (apt-get install postgresql)")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        with postgres_server() as server:
            yield server
    except PostgresUnavailable as exc:
        _unavailable(str(exc))
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    name = "t_" + uuid.uuid4().hex[:12]
    try:
        yield pg_server.create_database(name)
    finally:
        pg_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def history_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where to create a fresh history: an SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "plant.twinhist")
    return str(request.getfixturevalue("pg_url"))
