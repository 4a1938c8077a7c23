"""Ten fingers recorded for tests that need an enrollment past the fingerprint step.

The print is one small real PNG (a ridge pattern), encoded once: what these tests check is
what happens after the step (submit, review, slips, tallies), not the score.
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

from capture.fingerprint.fingers import FINGERS
from db import fingerprints
from db.actor import SYSTEM, Actor
from db.service import StationService
from db.station import StationDB
from db.types import NewPrint


@lru_cache(maxsize=1)
def print_png() -> bytes:
    y, x = np.mgrid[0:96, 0:96].astype(np.float32)
    ridges = 128 + 100 * np.cos(2 * np.pi * np.hypot(x - 48, y - 70) / 9.0)
    ok, png = cv2.imencode(".png", ridges.astype(np.uint8))
    assert ok
    return bytes(png)


def take_ten(target: StationDB | StationService, uuid: str, actor: Actor = SYSTEM,
             *, quality: int = 72) -> None:  # fmt: skip
    """Record a flat print of every finger in one write (through the service when given one)."""
    prints = [NewPrint(f, "flat", print_png(), "png", quality) for f in FINGERS]
    if isinstance(target, StationService):
        target.record_prints(uuid, prints)
    else:
        fingerprints.record_prints(target, uuid, prints, actor=actor)
