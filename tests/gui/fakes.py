"""A fake camera fed from real face photos (DESIGN.md §7, §10 item 11), for the GUI tests.

``FakeCapture`` stands in for ``cv2.VideoCapture`` behind the real ``WebcamSource``, so the
worker runs the same open/read/release code as with a USB camera. It can be "unplugged": reads
then fail, and after ``max_failures`` of them the source reports the camera disconnected.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence

import cv2
import numpy as np

from capture.sources import CameraSource, WebcamSource

LIGHT = 228  # a light plain wall


@functools.cache
def good_face() -> np.ndarray:
    """Grace Hopper cut out and set before a light plain wall (as tests/capture/conftest.py)."""
    from matplotlib import cbook

    with cbook.get_sample_data("grace_hopper.jpg") as fh:
        src = cv2.imdecode(np.frombuffer(fh.read(), np.uint8), cv2.IMREAD_COLOR)
    img = cv2.resize(src, None, fx=1.2, fy=1.2, interpolation=cv2.INTER_CUBIC)
    h, w = img.shape[:2]
    half = cv2.resize(img, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    hh, hw = half.shape[:2]
    mask = np.zeros((hh, hw), np.uint8)
    bgd, fgd = np.zeros((1, 65)), np.zeros((1, 65))
    cv2.setRNGSeed(0)
    cv2.grabCut(
        half, mask, (int(0.12 * hw), 5, int(0.78 * hw), hh - 5), bgd, fgd, 2, cv2.GC_INIT_WITH_RECT
    )
    fg = np.where((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD), 1.0, 0.0).astype(np.float32)
    fg = cv2.resize(fg, (w, h), interpolation=cv2.INTER_LINEAR)
    alpha = cv2.GaussianBlur(fg, (0, 0), 2)[..., None]
    canvas = np.full((h + 260, w + 160, 3), LIGHT, np.uint8)
    region = canvas[260:, 80 : 80 + w].astype(np.float32)
    canvas[260:, 80 : 80 + w] = (img * alpha + region * (1 - alpha)).astype(np.uint8)
    return canvas


@functools.cache
def lying_side_lit() -> np.ndarray:
    """A bedridden person photographed from above, light from one side: the picture is turned
    90° and half the face is in shadow, so lighting/exposure cannot be met (needs an override)."""
    good = good_face()
    ramp = np.clip(np.linspace(-1.2, 2.2, good.shape[1]), 0.12, 1.0).astype(np.float32)
    side = (good.astype(np.float32) * ramp[None, :, None]).astype(np.uint8)
    return np.ascontiguousarray(cv2.rotate(side, cv2.ROTATE_90_CLOCKWISE))


@functools.cache
def no_face() -> np.ndarray:
    """An empty room (the person has not sat down yet)."""
    return np.full((720, 960, 3), LIGHT, np.uint8)


class FakeCapture:
    """What the source uses of ``cv2.VideoCapture``; frames cycle through ``frames``."""

    def __init__(self, camera: FakeCamera) -> None:
        self.camera = camera
        self.released = False

    def isOpened(self) -> bool:
        return self.camera.plugged

    def read(self) -> tuple[bool, np.ndarray | None]:
        cam = self.camera
        with cam.lock:
            cam.reads += 1
            if not cam.plugged or self.released:
                return False, None
            frame = cam.frames[cam.reads % len(cam.frames)]
        return True, frame.copy()  # a real driver hands out a new buffer every read

    def release(self) -> None:
        self.released = True
        self.camera.releases += 1

    def set(self, prop: int, value: float) -> bool:
        return True

    def get(self, prop: int) -> float:
        return 0.0


class FakeCamera:
    """A USB camera on a desk: frames from photos, can be unplugged and plugged back."""

    def __init__(self, frames: Sequence[np.ndarray] | None = None) -> None:
        self.lock = threading.Lock()
        self.frames: list[np.ndarray] = list(frames) if frames is not None else [good_face()]
        self.plugged = True
        self.reads = 0
        self.opens = 0
        self.releases = 0

    def show(self, *frames: np.ndarray) -> None:
        """Put someone else (or the same person differently) before the camera."""
        with self.lock:
            self.frames = list(frames)

    def unplug(self) -> None:
        self.plugged = False

    def plug(self) -> None:
        self.plugged = True

    def _capture(self, index: int, api: int) -> FakeCapture:
        self.opens += 1
        return FakeCapture(self)

    def source(self) -> CameraSource:
        return WebcamSource(0, capture_factory=self._capture, api_preferences=(0,), max_failures=3)

    @property
    def factory(self) -> Callable[[], CameraSource]:
        return self.source

    @property
    def open_devices(self) -> int:
        """Captures opened and not yet released (a camera leak if > 0 after close)."""
        return self.opens - self.releases
