"""Entry point of the ``twindeck`` program."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from app.cli import parse_args
    from app.compose.startup import run

    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
