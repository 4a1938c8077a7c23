"""``main.py check-photo FILE``: the portrait checks from the command line.

Exit status: 0 accepted, 1 rejected, 2 the file could not be read. Heavy imports (OpenCV)
happen inside :func:`run`, so building the main parser stays cheap.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from resources.i18n import _
from resources.private_files import write_private

EXIT_ACCEPTED, EXIT_REJECTED, EXIT_UNREADABLE = 0, 1, 2


def register(subparsers: Any) -> None:
    """Add the ``check-photo`` subcommand to the main parser."""
    p = subparsers.add_parser(
        "check-photo",
        help=_("check a portrait photo against the quality rules"),
        description=_("Check a portrait photo (JPEG or PNG) and optionally write the 3:4 "
                      "portrait."),
    )
    p.add_argument("file", metavar="FILE", help=_("photo file"))
    p.add_argument(
        "--bedridden",
        action="store_true",
        help=_("the person is lying down (any rotation, sheet background allowed)"),
    )
    p.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    p.add_argument(
        "--out", metavar="PORTRAIT.jpg",
        help=_("write the portrait here when the photo is accepted"),
    )
    p.set_defaults(func=run)


def _table(report: Any, lang: str | None) -> str:
    mark = {True: "OK", False: "!!"}
    lines = [f"{'':2} {'check':<12} {'value':>9}  instruction"]
    for c in report.checks:
        flag = mark[c.passed] if c.passed or c.severity.value == "fail" else "? "
        value = (
            "-"
            if c.value is None
            else (f"{c.value:.0f}" if abs(c.value) >= 100 else f"{c.value:.3g}")
        )
        text = c.instruction.text(lang) if lang else c.instruction.vi
        lines.append(f"{flag:2} {c.id:<12} {value:>9}  {text}")
        if lang is None:
            lines.append(f"{'':2} {'':<12} {'':>9}  {c.instruction.en}")
    verdict = "ĐẠT / ACCEPTED" if report.accepted else "KHÔNG ĐẠT / REJECTED"
    extra = []
    if report.rotation:
        extra.append(f"rotation {report.rotation}°")
    if report.bedridden:
        extra.append("bedridden")
    lines.append(verdict + (f" ({', '.join(extra)})" if extra else ""))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from capture.crop import portrait
    from capture.errors import CaptureError, ImageReadError
    from capture.imagefile import load_image
    from capture.quality import assess
    from capture.report import Mode
    from resources.problems import describe

    lang = getattr(args, "lang", None)
    try:
        frame = load_image(args.file)
    except ImageReadError as exc:
        if args.json:
            print(json.dumps({"error": {"vi": exc.text_in("vi"), "en": exc.text_in("en")}},
                             ensure_ascii=False))  # fmt: skip
        print(describe(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    report = assess(frame, Mode.BEDRIDDEN if args.bedridden else Mode.NORMAL)
    written = None
    if args.out and report.accepted:
        try:
            write_private(Path(args.out), portrait(frame, report))
            written = str(args.out)
        except (OSError, CaptureError) as exc:
            message = describe(exc) if isinstance(exc, CaptureError) else exc.strerror
            print(_("The portrait cannot be written: {reason}").format(reason=message),
                  file=sys.stderr)  # fmt: skip
            return EXIT_UNREADABLE
    if args.json:
        data = report.to_dict()
        data["portrait"] = written
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(_table(report, lang))
        if written:
            print(f"portrait: {written}")
        elif args.out:
            print("portrait not written (photo rejected)")
    return EXIT_ACCEPTED if report.accepted else EXIT_REJECTED
