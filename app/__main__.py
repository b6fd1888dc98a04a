"""Entry point of the ``twindeck`` program: parse the command line, run the mode asked."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from app.cli import parse_args

    args = parse_args(argv)
    from app.fast_toml import install

    install()
    from app.i18n import set_language_override

    set_language_override(args.lang)
    if args.self_test:
        from app.compose.selftest import run_self_test

        return run_self_test()
    if args.shift_report is not None:
        from app.compose.shift_report import run_shift_report

        return run_shift_report(args)
    if args.train is not None and not args.preview:
        from app.compose.trainee import run_trainee

        return run_trainee(args)
    if args.train is not None:
        from app.compose.training import run_training

        return run_training(args)
    from app.compose.run import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
