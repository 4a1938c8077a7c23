"""A simulated fingerprint scanner: synthetic prints for the demo station and the tests.

Deterministic from ``seed``: every finger has its own pattern (thumbs are often whorls,
index fingers sometimes arches, loops open towards the little finger) and every attempt is a
new impression of the same finger — turned a little (±10°), shifted, pressed a little harder
or lighter, with fresh sensor noise — so attempts score differently, as they do on a real
glass. A slap placement returns the composed slap *and* the fingers already cut out (as SBI
devices do), with no device score.

The options make the field's cases reproducible: ``degraded`` (a finger too faded, too wet
… on every attempt), ``missing`` (not on the slap; a single capture of it shows empty glass),
``disconnect_after`` (the cable comes out once, on the capture after that many; ``open()``
again and it works), ``lift_on`` (the finger is lifted too early once), ``delay`` (how long a
capture takes, with preview frames and WAITING → READING → DONE, honouring ``cancel`` and
``timeout``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Mapping
from functools import lru_cache
from typing import ClassVar

import cv2
import numpy as np

from capture.fingerprint import synth
from capture.fingerprint.fingers import FINGERS, THUMBS, Impression, Placement, hand_of
from capture.fingerprint.scanner import (
    DEFAULT_TIMEOUT,
    DeviceInfo,
    FingerLifted,
    PreviewCallback,
    Scan,
    ScanCancelled,
    ScannedFinger,
    Scanner,
    ScannerDisconnected,
    ScannerError,
    ScannerNotFound,
    ScanState,
    ScanTimeout,
    StateCallback,
)

SIZE = (500, 500)
"""A flat print's image (h, w): a 500 ppi single-finger glass."""
ROLLED_SIZE = (500, 640)
"""A rolled print is wider: nail to nail."""
GLASS = 238.0
PREVIEW_FRAMES = 3
MARGIN = 24
"""Glass kept around each finger cut out of a slap (px)."""

# Pattern frequencies per finger (roughly those of fingerprint surveys: loops ~60 %, whorls
# ~30 %, arches ~5–10 %, whorls commoner on thumbs, arches on index fingers).
_THUMB = (("whorl", 0.5), ("loop", 0.42), ("arch", 0.04), ("tented_arch", 0.04))
_INDEX = (("loop", 0.5), ("whorl", 0.3), ("arch", 0.1), ("tented_arch", 0.1))
_OTHER = (("loop", 0.65), ("whorl", 0.28), ("arch", 0.04), ("tented_arch", 0.03))


def finger_pattern(seed: int, finger: int) -> str:
    """The pattern a simulated person has on a finger; loops open towards the little finger
    (ulnar loops): a right loop on the right hand, a left loop on the left."""
    table = _THUMB if finger in THUMBS else _INDEX if finger in (2, 7) else _OTHER
    rng = np.random.default_rng([seed, finger, 41])
    names = [n for n, _ in table]
    pick = str(rng.choice(names, p=[p for _, p in table]))
    if pick != "loop":
        return pick
    ulnar = rng.random() < 0.9
    right = hand_of(finger) == "right"
    return "right_loop" if ulnar == right else "left_loop"


@lru_cache(maxsize=64)
def _base_print(seed: int, finger: int) -> np.ndarray:
    """The finger's ridges, made once per person and finger (generation takes ~0.2 s)."""
    img = synth.make_print(finger_pattern(seed, finger), seed=seed * 11 + finger, size=SIZE,
                           background=GLASS)
    img.setflags(write=False)
    return img


def impression(seed: int, finger: int, attempt: int, *, rolled: bool = False,
               degraded: tuple[str, float] | None = None) -> np.ndarray:
    """One placement of ``finger``: the same ridges, a new turn, shift, pressure and noise."""
    rng = np.random.default_rng([seed, finger, attempt, 43])
    img = _base_print(seed, finger)
    if rolled:
        wide = cv2.resize(img, None, fx=1.25, fy=1.0, interpolation=cv2.INTER_LINEAR)
        img = _on_glass(wide, ROLLED_SIZE)
    img = synth.rotate(img, float(rng.uniform(-10.0, 10.0)), background=GLASS)
    img = synth.translate(img, int(rng.integers(-20, 21)), int(rng.integers(-15, 16)),
                          background=GLASS)
    grey = img.astype(np.float32)
    press = float(rng.uniform(0.8, 1.05))  # lighter or harder: the ridges' depth
    grey = GLASS - (GLASS - grey) * press
    grey += rng.normal(0.0, float(rng.uniform(1.0, 3.0)), grey.shape).astype(np.float32)
    out = np.clip(grey, 0, 255).astype(np.uint8)
    if degraded is not None:
        kind, strength = degraded
        out = synth.degrade(out, kind, strength, seed=seed * 131 + finger * 7 + attempt)
    return out


def blank_glass(seed: int, attempt: int, size: tuple[int, int] = SIZE) -> np.ndarray:
    """Empty glass: what a scanner shows when nothing is on it."""
    rng = np.random.default_rng([seed, attempt, 47])
    return np.clip(rng.normal(GLASS, 1.5, size), 0, 255).astype(np.uint8)


def _on_glass(img: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``img`` centred on (or cut to) a glass of ``size``."""
    h, w = size
    out = np.full(size, GLASS, np.uint8)
    ih, iw = img.shape
    sy, sx = max(0, (ih - h) // 2), max(0, (iw - w) // 2)
    part = img[sy: sy + h, sx: sx + w]
    oy, ox = (h - part.shape[0]) // 2, (w - part.shape[1]) // 2
    out[oy: oy + part.shape[0], ox: ox + part.shape[1]] = part
    return out


def slap_order(fingers: Collection[int]) -> list[int]:
    """Left to right on the glass, as on a ten-print card: the right hand index → little,
    the left hand little → index, the left thumb left of the right thumb."""
    lateral = (10, 9, 8, 7, 6, 1, 2, 3, 4, 5)
    return [f for f in lateral if f in fingers]


_DROPS = {2: 0.06, 3: 0.0, 4: 0.03, 5: 0.14, 7: 0.06, 8: 0.0, 9: 0.03, 10: 0.14, 1: 0.0, 6: 0.0}
"""How far each fingertip sits below the highest on a slap (the middle finger is longest)."""


class SimulatedScanner(Scanner):
    """Synthetic prints with a real scanner's behaviour (see the module docstring)."""

    backend: ClassVar[str] = "simulator"

    def __init__(
        self,
        seed: int = 0,
        *,
        offers_slaps: bool = True,
        delay: float = 0.0,
        degraded: Mapping[int, tuple[str, float]] | None = None,
        missing: Collection[int] = (),
        disconnect_after: int | None = None,
        lift_on: Collection[int] = (),
        present: bool = True,
    ) -> None:
        for kind, strength in (degraded or {}).values():
            if kind not in synth.DEGRADATIONS or not 0.0 <= strength <= 1.0:
                raise ValueError(f"bad degradation: {kind!r} {strength!r}")
        self.seed = seed
        self._slaps = offers_slaps
        self.delay = max(0.0, float(delay))
        self.degraded = dict(degraded or {})
        self.missing = frozenset(missing)
        self.disconnect_after = disconnect_after
        self._lift_on = set(lift_on)
        self._present = present  # False: "no scanner plugged in" (open raises)
        self._open = False
        self._captures = 0  # captures taken (all placements): the unplug counts these
        self._unplugged = False
        self._attempts: dict[int, int] = {}

    # --- the Scanner interface -------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._open

    @property
    def offers_slaps(self) -> bool:
        return self._slaps

    def open(self) -> DeviceInfo:
        if not self._present:
            raise ScannerNotFound()
        self._open = True
        return DeviceInfo(backend=self.backend, model="Synthetic prints",
                          serial=f"SIM-{self.seed:04d}", offers_slaps=self._slaps)

    def close(self) -> None:
        self._open = False

    def capture(
        self,
        placement: Placement,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        skip: Collection[int] = (),
        on_state: StateCallback | None = None,
        on_preview: PreviewCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> Scan:
        if not self._open:
            raise ScannerError()
        if any(f not in FINGERS for f in placement.fingers) or not placement.fingers:
            raise ValueError(f"no such placement: {placement.key}")
        if placement.is_slap and not self._slaps:
            raise ValueError("this scanner takes one finger at a time")
        self._unplug_if_due()
        self._captures += 1
        state = on_state or (lambda _s: None)
        state(ScanState.WAITING)
        # the finger arrives after 40 % of the capture's time, then is held until done
        arrive = 0.4 * self.delay
        if arrive > timeout:
            self._wait(timeout, cancel)
            raise ScanTimeout(seconds=f"{timeout:g}")
        self._wait(arrive, cancel)
        state(ScanState.READING)
        lifted = [f for f in placement.fingers if f in self._lift_on and f not in skip]
        if lifted:
            self._lift_on.difference_update(lifted)
            state(ScanState.LIFTED)
            raise FingerLifted()
        scan = self._take(placement, skip)
        final = scan.slap if scan.slap is not None else next(
            iter(scan.fingers.values())).image
        self._preview(final, on_preview, cancel)
        state(ScanState.DONE)
        return scan

    # --- inside ----------------------------------------------------------------------------

    def _unplug_if_due(self) -> None:
        if (self.disconnect_after is not None and not self._unplugged
                and self._captures >= self.disconnect_after):
            self._unplugged = True
            self._open = False
            raise ScannerDisconnected()

    def _wait(self, seconds: float, cancel: threading.Event | None) -> None:
        """Sleep, waking for ``cancel`` (ScanCancelled)."""
        if cancel is not None and cancel.is_set():
            raise ScanCancelled()
        if seconds <= 0:
            return
        if cancel is None:
            time.sleep(seconds)
        elif cancel.wait(seconds):
            raise ScanCancelled()

    def _preview(self, final: np.ndarray, on_preview: PreviewCallback | None,
                 cancel: threading.Event | None) -> None:
        """Frames of the finger pressing onto the glass, then the print itself."""
        hold = 0.6 * self.delay
        for i in range(1, PREVIEW_FRAMES + 1):
            self._wait(hold / PREVIEW_FRAMES, cancel)
            if on_preview is not None:
                k = i / PREVIEW_FRAMES
                frame = GLASS - (GLASS - final.astype(np.float32)) * k
                on_preview(np.clip(frame, 0, 255).astype(np.uint8))

    def _next_attempt(self, finger: int) -> int:
        n = self._attempts.get(finger, 0)
        self._attempts[finger] = n + 1
        return n

    def _finger_image(self, finger: int, rolled: bool) -> np.ndarray:
        attempt = self._next_attempt(finger)
        if finger in self.missing:
            return blank_glass(self.seed, attempt, ROLLED_SIZE if rolled else SIZE)
        return impression(self.seed, finger, attempt, rolled=rolled,
                          degraded=self.degraded.get(finger))

    def _take(self, placement: Placement, skip: Collection[int]) -> Scan:
        if not placement.is_slap:
            finger = placement.fingers[0]
            image = self._finger_image(finger, placement.impression is Impression.ROLLED)
            return Scan(placement, {finger: ScannedFinger(finger, image)})
        order = slap_order(placement.fingers)
        present = [f for f in order if f not in skip and f not in self.missing]
        tips = [self._finger_image(f, False) for f in present]
        n = len(order)
        size = (1000, 1600) if n > 2 else (1000, 1000)
        if not present:
            return Scan(placement, {}, slap=blank_glass(self.seed, self._captures, size))
        # every finger keeps its place on the glass even when a neighbour is absent
        composed = synth.slap(tips, seed=self.seed * 17 + self._captures, size=size,
                              background=GLASS, drops=[_DROPS[f] for f in present],
                              slots=[order.index(f) for f in present], n_slots=n)
        fingers: dict[int, ScannedFinger] = {}
        for f, (x, y, w, h) in zip(present, composed.boxes, strict=True):
            x0, x1 = max(0, x - MARGIN), min(size[1], x + w + MARGIN)
            y0, y1 = max(0, y - MARGIN), min(size[0], y + h + MARGIN)
            fingers[f] = ScannedFinger(f, np.ascontiguousarray(composed.image[y0:y1, x0:x1]))
        return Scan(placement, fingers, slap=composed.image)
