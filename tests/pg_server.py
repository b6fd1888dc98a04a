"""A throwaway PostgreSQL server on 127.0.0.1, for the tests and the benchmarks.

Started from Debian's binaries (/usr/lib/postgresql/*/bin, package ``postgresql``, or
``TWINDECK_PG_BINDIR``) on a free port, with its data and socket in a temp dir, durability
off (a test server), and stopped and removed on exit.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class PostgresUnavailable(Exception):
    """No PostgreSQL binaries or driver here: the message says what is missing."""


@dataclass(frozen=True)
class PgServer:
    port: int
    user: str = "postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def admin(self) -> Any:
        """An autocommit connection to the ``postgres`` database."""
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname="postgres", autocommit=True
        )

    def create_database(self, name: str) -> str:
        """Create database ``name``; its SQLAlchemy URL."""
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _pg_bindir() -> Path | None:
    env = os.environ.get("TWINDECK_PG_BINDIR")
    if env and Path(env, "initdb").exists():
        return Path(env)
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name)
    )
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    return Path(which).parent if which else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres_user(*paths: Path) -> list[str]:
    """initdb refuses to run as root: the command prefix that runs it as ``postgres``."""
    if os.geteuid() != 0:
        return []
    import pwd

    pw = pwd.getpwnam("postgres")
    for p in paths:
        os.chown(p, pw.pw_uid, pw.pw_gid)
    return ["runuser", "-u", "postgres", "--"]


@contextlib.contextmanager
def postgres_server() -> Iterator[PgServer]:
    """Run a PostgreSQL server while the block runs. Raises PostgresUnavailable when this
    machine has none, RuntimeError (with the server's log) when it does not start."""
    bindir = _pg_bindir()
    if bindir is None:
        raise PostgresUnavailable("no initdb found under /usr/lib/postgresql/*/bin or on PATH")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise PostgresUnavailable(
            "the psycopg driver is not installed (pip install 'psycopg[binary]')"
        ) from None
    base = Path(tempfile.mkdtemp(prefix="twindeck-pg-"))
    data, sock, log = base / "data", base / "sock", base / "server.log"
    sock.mkdir()
    prefix = _as_postgres_user(base, sock)
    port = _free_port()

    def run(*cmd: str) -> None:
        subprocess.run([*prefix, *cmd], check=True, capture_output=True, timeout=120)

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
            "--no-sync", "-E", "UTF8", "--no-locale")  # fmt: skip
        opts = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        run(str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(log),
            "-w", "-t", "60", "start")  # fmt: skip
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        out = getattr(exc, "stderr", b"") or b""
        logtext = log.read_text() if log.exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(
            f"could not start PostgreSQL: {exc}\n{out.decode(errors='replace')}\n{logtext}"
        ) from None
    try:
        yield PgServer(port)
    finally:
        with contextlib.suppress(Exception):
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)
