"""Command-line interface of the ``twindeck`` program."""

from __future__ import annotations

import argparse
from pathlib import Path

from app import __version__
from app.i18n import LANGUAGES
from app.spans import parse_span

EPILOG = """\
examples:
  twindeck                                   the built-in demo workshop, live
  twindeck --fault M07:overload@30           overload motor M07 30 s after start
  twindeck --fault M03:bearing_wear@10m+2h   M03's bearing starts to fail 10 min in and is
                                             in ISO 20816-3 zone D 2 h later
  twindeck --screenshot demo.png --after 90  render 90 s of simulated operation, save, exit
  twindeck --replay line1.twinhist --at +600 replay a recording from 10 min after its start
  twindeck --replay line1.twinhist --at -60 --span 8h --select M07 --screenshot shift.png
                                             the last 8 h of motor M07, as a picture
  twindeck --open m07-overload.twinpkg       replay an incident package
  twindeck --replay line1.twinhist --shift-report early.pdf --shift early --day 2026-11-26
                                             the early shift's handover report, headless
  twindeck --train assets/training/fan_bearing.toml --trainee "Li Wei"
                                             a training exercise: a bearing that fails
  twindeck --train LESSON.toml --preview --report key.pdf
                                             check a lesson with its answer key, headless
  twindeck --self-test                       check this installation works on this machine
  twindeck --wall --wall-cycle 20            the wall screen: each area and line for 20 s

fault kinds: bearing_wear, overload, cooling_loss, supply_imbalance, insulation_ageing
  (these develop over DEVELOP, and go on after it), voltage_sag, sensor_freeze (at once).
  Without +DEVELOP: overload steps, bearing wear ramps over minutes, cooling_loss develops
  over 30 min, supply_imbalance 15 min, insulation_ageing 1 h. Times: 600, 600s, 10m, 1.5h.
keys: Ctrl+F filter assets, Ctrl+R reset camera, Esc clear selection, F1 all shortcuts,
  F11 full screen, Shift+F11 wall screen (there: Left/Right pages, Esc back)
"""


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0: {text!r}")
    return value


def _cycle_s(text: str) -> float:
    value = _positive_float(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"at least 2 seconds a page: {text!r}")
    return value


def _span(text: str) -> int:
    try:
        return parse_span(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _screen(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a screen number: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"screens are numbered from 1: {text!r}")
    return number


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected WIDTHxHEIGHT, e.g. 1600x1000: {text!r}"
        ) from None
    if w < 320 or h < 240:
        raise argparse.ArgumentTypeError(f"window too small (at least 320x240): {text!r}")
    return w, h


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="twindeck",
        description="TwinDeck: live and replayed telemetry on a 3D model of the workshop.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--plant",
        type=Path,
        default=None,
        metavar="FILE",
        help="plant file (TOML) to open (default: the built-in demo workshop; with --replay, "
        "the plant stored in the recording)",
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="ASSET:KIND@START[+DEVELOP]",
        help="schedule a simulated fault START after the simulation starts, developing fully "
        "over DEVELOP (repeatable; see the fault kinds below)",
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="simulator seed (default: the plant file's)"
    )
    parser.add_argument(
        "--retention",
        type=_positive_float,
        default=600.0,
        metavar="SECONDS",
        help="how much live history to keep in memory per signal (default: 600). Each "
        "signal's buffer holds its rate x SECONDS samples of 8 bytes: 60,000 signals at 1 Hz "
        "take 288 MB at 600 s; the tooltip of the status bar's rates shows the session's",
    )
    parser.add_argument("--select", metavar="ASSET", help="asset to select at start")
    parser.add_argument(
        "--span",
        type=_span,
        default=None,
        metavar="SPAN",
        help="time span of the plots: 10s, 30s, 2min, 10min, 1h, 8h or 24h (default: 2min)",
    )
    replay = parser.add_argument_group("replay")
    replay.add_argument(
        "--replay",
        metavar="PATH|URL",
        help="open a recorded history read-only and replay it instead of running live",
    )
    replay.add_argument(
        "--open",
        metavar="FILE",
        type=Path,
        help="open an incident package (.twinpkg) read-only and replay it",
    )
    replay.add_argument(
        "--at",
        metavar="TIME",
        help="with --replay or --open: start at TIME: an ISO date-time (local unless it has "
        "a zone), +SECONDS after the recording's start, or -SECONDS before its end",
    )
    replay.add_argument(
        "--shift-report",
        metavar="FILE",
        type=Path,
        help="with --replay: write the shift report (.pdf or .csv) of --shift on --day, "
        "without a window, and exit (default: the last finished shift of the recording)",
    )
    replay.add_argument("--shift", metavar="NAME", help="with --shift-report: a shift's id or name")
    replay.add_argument("--day", metavar="YYYY-MM-DD", help="with --shift-report: its day (UTC)")
    training = parser.add_argument_group("training")
    training.add_argument(
        "--train",
        metavar="FILE",
        type=Path,
        help="run a training scenario (.toml, see assets/training/): a replayed incident or "
        "a simulated exercise, with pauses, questions and a score",
    )
    training.add_argument("--trainee", metavar="NAME", help="with --train: who is trained")
    training.add_argument(
        "--speed",
        type=_positive_float,
        metavar="X",
        help="with --train: replay speed (x real time, default 1; the trainer may change it)",
    )
    training.add_argument(
        "--preview",
        action="store_true",
        help="with --train: run the scenario with its own answer key, without a window, and "
        "check that it gives the full score (exit 1 if not)",
    )
    training.add_argument(
        "--report",
        metavar="FILE",
        type=Path,
        help="with --train: write the debrief report to FILE (.pdf, else HTML)",
    )
    record = parser.add_argument_group("recording")
    record.add_argument(
        "--db",
        metavar="PATH|URL",
        help="history to record into: an SQLite file or a postgresql+psycopg:// URL "
        "(default: a file per plant in the user data folder)",
    )
    record.add_argument("--no-record", action="store_true", help="do not record history")
    record.add_argument(
        "--keep-raw",
        type=_positive_float,
        default=30.0,
        metavar="DAYS",
        help="keep raw samples this many days (default: 30)",
    )
    record.add_argument(
        "--keep-overview",
        type=_positive_float,
        default=1825.0,
        metavar="DAYS",
        help="keep the min/max overview this many days (default: 1825)",
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE",
        help="render the main window to a PNG file and exit (needs --after, or --replay)",
    )
    parser.add_argument(
        "--after",
        type=_positive_float,
        metavar="SECONDS",
        help="with --screenshot: seconds of simulated operation before the picture (a plant "
        "with live [[connections]] runs them, and the rest, for as many real seconds)",
    )
    parser.add_argument(
        "--size", type=_size, default=(1600, 1000), metavar="WxH", help="window size"
    )
    parser.add_argument(
        "--fullscreen", action="store_true", help="open the window full screen (a wall display)"
    )
    parser.add_argument(
        "--screen", type=_screen, metavar="N", help="open the window on screen N (1 = the first)"
    )
    parser.add_argument(
        "--metrics",
        type=Path,
        metavar="FILE",
        help="append the session's figures to FILE as JSON lines: the first frame, then "
        "every second (frames, samples in, recording), and the last ones after closing",
    )
    parser.add_argument(
        "--wall",
        action="store_true",
        help="start in the wall screen: full screen, large type, the areas' and lines' "
        "figures page after page (Left/Right step, Esc: the normal window; View > Wall "
        "screen, Shift+F11, from there)",
    )
    parser.add_argument(
        "--wall-cycle",
        type=_cycle_s,
        default=15.0,
        metavar="SECONDS",
        help="seconds each page of the wall screen stays (default: 15)",
    )
    parser.add_argument("--fps", type=int, default=30, help="frame rate of the views (default: 30)")
    parser.add_argument(
        "--no-workspace",
        action="store_true",
        help="start with the default layout instead of the plant's saved workspace (which "
        "the window saves again when it closes)",
    )
    parser.add_argument(
        "--lang",
        choices=sorted(LANGUAGES),
        default=None,
        help="language of the user interface for this run (default: the one chosen in "
        "View > Language, else the system's)",
    )
    parser.add_argument("--version", action="version", version=f"TwinDeck {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation: simulate, record, replay and draw the demo plant in a "
        "window, print a report and exit (0 = every check passed)",
    )
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:  # dispatched by the entry point; nothing else applies
        return args
    if args.train is None and (args.trainee or args.preview or args.report or args.speed):
        parser.error("--trainee, --speed, --preview and --report only make sense with --train FILE")
    if args.train is not None and (args.replay or args.open or args.fault):
        parser.error(
            "--train runs the scenario's own replay or simulation: drop --replay, "
            "--open and --fault"
        )
    if args.shift_report is None and (args.shift or args.day):
        parser.error("--shift and --day only make sense with --shift-report FILE")
    if args.shift_report is not None and args.replay is None:
        parser.error("--shift-report reads a recording: give it with --replay PATH|URL")
    if args.after is not None and args.screenshot is None:
        parser.error("--after only makes sense with --screenshot FILE")
    replaying = args.replay is not None or args.open is not None
    if args.replay is not None and args.open is not None:
        parser.error("choose one of --replay and --open")
    if args.at is not None and not replaying:
        parser.error("--at only makes sense with --replay or --open")
    if replaying and (args.fault or args.db):
        parser.error("--replay and --open show a recording: --fault and --db do not apply")
    if args.screenshot is not None and args.after is None and not replaying:
        parser.error("--screenshot needs --after SECONDS (how long to simulate first)")
    if args.wall and (args.screenshot or args.train):
        parser.error("--wall shows the wall screen in a window: not with --screenshot or --train")
    if args.db and args.no_record:
        parser.error("--db and --no-record contradict each other")
    if not 1 <= args.fps <= 120:
        parser.error("--fps must be between 1 and 120")
    return args
