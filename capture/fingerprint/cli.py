"""``main.py check-finger IMAGE``: a fingerprint image's quality score from the command line.

No station is needed: the file (WSQ, PNG or BMP, 500 ppi grey; colour is turned grey) is read
with :func:`capture.fingerprint.storage.load_print` and scored by
:func:`capture.fingerprint.quality.assess_finger`, as the wizard step does. Exit status:
0 the score meets the threshold, 1 it does not, 2 the file cannot be read. ``--json`` prints
``{"score", "passed", "reasons": [{"code", "vi", "en"}], "features"}`` (both languages from
the catalogue); an unreadable file gives ``{"error": {"vi", "en"}}`` on stdout and the
sentence on stderr. Heavy imports (NumPy, OpenCV, the WSQ codec) happen inside :func:`run`,
so building the main parser stays cheap.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from resources.i18n import _

EXIT_PASSED, EXIT_FAILED, EXIT_UNREADABLE = 0, 1, 2
DEFAULT_THRESHOLD = 40
"""``capture.fingerprint.quality.DEFAULT_THRESHOLD``, repeated so that the parser's help does
not import NumPy (a test keeps the two equal)."""


def _threshold(text: str) -> int:
    """argparse type: a whole number 0–100."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(
            _("the threshold is a whole number from 0 to 100, not {value}").format(value=text)
        )
    return value


def register(subparsers: Any) -> None:
    """Add the ``check-finger`` subcommand to the main parser."""
    p = subparsers.add_parser(
        "check-finger",
        help=_("score a fingerprint image (quality 0–100)"),
        description=_("Score a fingerprint image (WSQ, PNG or BMP, 500 ppi) as the station "
                      "does, with what to do when it falls short."),
    )  # fmt: skip
    p.add_argument("image", metavar="IMAGE", help=_("fingerprint image file (WSQ, PNG or BMP)"))
    p.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    p.add_argument(
        "--threshold", type=_threshold, default=DEFAULT_THRESHOLD, metavar="N",
        help=_("the score a print needs, 0–100 (default: {default})").format(
            default=DEFAULT_THRESHOLD
        ),
    )  # fmt: skip
    p.set_defaults(func=run)


def _table(result: Any, threshold: int) -> str:
    lines = [
        _("Fingerprint quality: {score}/100 (needed: {threshold})").format(
            score=result.score, threshold=threshold
        ),
        _("PASSED") if result.passed(threshold) else _("NOT PASSED"),
    ]
    width = max((len(r.code) for r in result.reasons), default=0)
    lines += [f"  {r.code:<{width}}  {_(r.message)}" for r in result.reasons]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from capture.errors import CaptureError
    from capture.fingerprint.quality import assess_finger
    from capture.fingerprint.storage import load_print
    from resources.problems import describe

    try:
        image = load_print(args.image)
        result = assess_finger(image)
    except CaptureError as exc:
        if args.json:
            print(json.dumps({"error": {"vi": exc.text_in("vi"), "en": exc.text_in("en")}},
                             ensure_ascii=False))  # fmt: skip
        print(describe(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    if args.json:
        print(json.dumps(result.to_dict(args.threshold), ensure_ascii=False, indent=2))
    else:
        print(_table(result, args.threshold))
    return EXIT_PASSED if result.passed(args.threshold) else EXIT_FAILED
