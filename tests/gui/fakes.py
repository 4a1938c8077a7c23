"""A fake camera fed from real face photos (DESIGN.md §7, §10 item 11), for the GUI tests.

``FakeCapture`` stands in for ``cv2.VideoCapture`` behind the real ``WebcamSource``, so the
worker runs the same open/read/release code as with a USB camera. It can be "unplugged": reads
then fail, and after ``max_failures`` of them the source reports the camera disconnected.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from typing import Any

import cv2
import numpy as np

from capture.sources import CameraSource, WebcamSource
from tests.photos import LIGHT, on_plain_wall


def good_face() -> np.ndarray:
    """Grace Hopper before a light plain wall (tests/photos.py, shared with the capture tests)."""
    return on_plain_wall()


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


class ScannerRig:
    """A fingerprint scanner on the desk: the simulator (synthetic prints), one device that
    keeps its state across reopenings (an unplug happens once), its cases set by the test."""

    def __init__(self, **options: Any) -> None:
        self.options: dict[str, Any] = {"seed": 7, **options}
        self.device: Any = None
        self.made = 0

    def set(self, **options: Any) -> None:
        """Change the cases before the step opens the scanner (a new device then)."""
        self.options.update(options)
        self.device = None

    def make(self) -> Any:
        from capture.fingerprint.simulator import SimulatedScanner

        if self.device is None:
            self.device = SimulatedScanner(**self.options)
            self.made += 1
        return self.device

    @property
    def factory(self) -> Callable[[], Any]:
        return self.make
