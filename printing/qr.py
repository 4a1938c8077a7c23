"""QR codes (made by segno) drawn as vector rectangles, plus the payloads they carry.

Vector modules stay sharp on a 203 dpi thermal head and on a laser printer alike, and drawing
them costs far less than encoding a PNG per slip. Horizontal runs of dark modules are merged
into one rectangle each, which keeps the page small.

Payloads are short ASCII strings so the code stays at a low QR version (large modules):

* slip: ``ES1|<enrollment uuid>|<slip no>``;
* recovery sheet: ``ESKEY1:<grouped base32 key>`` (see :mod:`printing.keytext`).
"""

from __future__ import annotations

from functools import lru_cache

import segno
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

SLIP_PREFIX = "ES1"
KEY_PREFIX = "ESKEY1:"
QUIET_MODULES = 4  # the white border a QR reader needs around the code


def slip_payload(enrollment_id: str, slip_no: str) -> str:
    """The text encoded in an appointment slip's QR code."""
    return f"{SLIP_PREFIX}|{enrollment_id}|{slip_no}"


def parse_slip_payload(text: str) -> tuple[str, str]:
    """``(enrollment_id, slip_no)`` from a scanned slip QR; ``ValueError`` if it is not one."""
    parts = text.strip().split("|")
    if len(parts) != 3 or parts[0] != SLIP_PREFIX or not parts[1] or not parts[2]:
        raise ValueError("not an Enrollment Station slip code")
    return parts[1], parts[2]


@lru_cache(maxsize=64)
def _runs(payload: str, error: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """Module count and the dark runs ``(row, start column, length)`` of a QR symbol."""
    qr = segno.make(payload, error=error, micro=False)
    runs: list[tuple[int, int, int]] = []
    for y, row in enumerate(qr.matrix):
        x = 0
        n = len(row)
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return len(qr.matrix), tuple(runs)


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float,
            error: str = "m") -> None:
    """Draw the QR symbol (with its quiet zone) in the square ``size`` at ``(x, y)``.

    ``(x, y)`` is the bottom-left corner in points; ``size`` includes the quiet zone.
    """
    count, runs = _runs(payload, error)
    module = size / (count + 2 * QUIET_MODULES)
    top = y + size - QUIET_MODULES * module
    left = x + QUIET_MODULES * module
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row, start, length in runs:
        # A hair of overlap between rows avoids white seams in some renderers.
        path.rect(left + start * module, top - (row + 1) * module, length * module,
                  module * 1.02)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


class QrFlowable(Flowable):
    """A QR code as a platypus flowable of a fixed square size."""

    def __init__(self, payload: str, size: float, error: str = "m") -> None:
        super().__init__()
        self.payload = payload
        self.size = size
        self.error = error
        self.width = self.height = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        draw_qr(self.canv, self.payload, 0, 0, self.size, self.error)
