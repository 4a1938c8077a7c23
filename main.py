"""Enrollment Station (Trạm thu nhận căn cước).

No arguments: the desktop app. Subcommands: the station administrator's command line, built on
the same core (db/, capture/, printing/) as the GUI. Everything happens inside functions so that
importing this module costs nothing.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import logging.handlers
import sys
from collections.abc import Sequence
from pathlib import Path

# Each module exposes ``register(subparsers)``; its parsers set ``func(args) -> int``.
COMMAND_MODULES = ("db.cli", "capture.cli", "capture.fingerprint.cli")

log = logging.getLogger("enrollment_station")


class _VersionAction(argparse.Action):
    """``--version``: the version and build date, worked out only when asked (not at every
    start, which reads the package metadata otherwise for nothing)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="print the version and build date, then exit")  # fmt: skip

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kw: object) -> None:
        from resources.version import describe

        print(describe())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=Path(sys.argv[0]).stem if getattr(sys, "frozen", False) else "main.py",
        description="Trạm thu nhận căn cước — Enrollment Station. "
        "Without a command, opens the desktop app.",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--data-dir", help="station data directory (default: per-user data dir)")
    where.add_argument(
        "--demo", action="store_true", help="use the demo station (created on first use)"
    )
    parser.add_argument("--lang", choices=("vi", "en"), help="language of the interface")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def setup_logging(verbose: bool) -> None:
    """Log to stderr (warnings) and a rotating file in the user log dir.

    Never log names, ID numbers or images: log ids and counts only.
    """
    from platformdirs import user_log_dir

    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root.addHandler(console)
    try:
        from resources.private_files import private_dir, tighten

        log_dir = private_dir(Path(user_log_dir("enrollment-station", appauthor=False)))
        tighten(log_dir)
        fh = logging.handlers.RotatingFileHandler(
            log_dir / "station.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(fh)
    except OSError:  # a read-only home must not stop the station
        log.warning("cannot write the log file")


def main(argv: Sequence[str] | None = None) -> int:
    from resources.private_files import restrict_umask

    restrict_umask()  # before any file is made: the station's files are its user's only
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(args.verbose)
    from resources import i18n

    if args.lang:
        i18n.set_language(args.lang)
    if args.command is None:
        from gui.app import run_gui

        return run_gui(args)
    return int(args.func(args))


if __name__ == "__main__":
    if getattr(sys, "frozen", False):  # the frozen build (packaging/enrollment-station.spec):
        import multiprocessing  # the register reader's spawned process (db/register/chunks.py)

        multiprocessing.freeze_support()  # starts the bundle again: run the child, not main()
    sys.exit(main())
