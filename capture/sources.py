"""Frame sources: a webcam, a photo file, a video file — one small interface.

The GUI's camera worker (a QObject in a QThread) owns one source: ``open()``, then ``read()``
in a loop until told to stop, then ``close()``. ``read()`` returns the latest frame or None for
a frame that did not come (a webcam drops one now and then); after ``max_failures`` misses in a
row it raises :class:`CameraDisconnected`, because an unplugged USB camera or a hung driver
looks exactly like that. The source can then be closed and opened again.

Every source takes an injectable capture factory so tests (and the GUI's fake camera fed from
real photos) can stand in for ``cv2.VideoCapture``.
"""

from __future__ import annotations

import logging
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from capture.errors import CameraDisconnected, FrameSourceError, ImageReadError
from capture.imagefile import load_image
from resources.i18n import N_

log = logging.getLogger(__name__)

DEFAULT_MAX_FAILURES = 5
"""Misses in a row before a camera counts as gone (about 1/6 s at 30 fps; a USB hiccup is 1-2)."""


class VideoCaptureLike(Protocol):
    """What we use of ``cv2.VideoCapture`` (so a fake can be injected)."""

    def isOpened(self) -> bool: ...
    def read(self) -> tuple[bool, np.ndarray | None]: ...
    def release(self) -> None: ...
    def set(self, prop: int, value: float) -> bool: ...
    def get(self, prop: int) -> float: ...


CaptureFactory = Callable[..., VideoCaptureLike]
"""Called like ``cv2.VideoCapture``: ``factory(index_or_path, api_preference)``."""


class CameraSource(ABC):
    """Open / read the latest frame / close. Not thread-safe: one thread owns a source."""

    def __init__(self, max_failures: int = DEFAULT_MAX_FAILURES) -> None:
        self.max_failures = max_failures
        self._failures = 0

    @property
    @abstractmethod
    def is_open(self) -> bool:
        """True between a successful ``open()`` and ``close()``."""

    @abstractmethod
    def open(self) -> None:
        """Start delivering frames; raise :class:`FrameSourceError` if that is impossible."""

    @abstractmethod
    def _grab(self) -> np.ndarray | None:
        """One frame or None (a miss)."""

    @abstractmethod
    def close(self) -> None:
        """Release the device or file. Safe to call twice."""

    def read(self) -> np.ndarray | None:
        """The latest frame (BGR uint8), or None for a miss; raises after too many misses."""
        if not self.is_open:
            raise FrameSourceError(N_("The camera is not open."))
        try:
            frame = self._grab()
        except cv2.error:  # some drivers throw instead of returning False
            log.warning("frame source raised while reading", exc_info=True)
            frame = None
        if frame is None or frame.size == 0:
            self._failures += 1
            if self._failures >= self.max_failures:
                log.warning("no frames after %d reads: reporting disconnected", self._failures)
                raise CameraDisconnected()
            return None
        self._failures = 0
        return frame

    @property
    def consecutive_failures(self) -> int:
        """Misses in a row so far (the GUI may show "waiting for the camera…")."""
        return self._failures

    def __enter__(self) -> CameraSource:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def default_api_preference(platform: str | None = None) -> int:
    """The capture API that works best per OS (the default one is slow or flaky on Windows)."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        return cv2.CAP_DSHOW  # opens in ~1 s; MSMF can take 10+ s and is tried as a fallback
    if platform.startswith("linux"):
        return cv2.CAP_V4L2
    if platform == "darwin":
        return cv2.CAP_AVFOUNDATION
    return cv2.CAP_ANY


def fallback_api_preferences(platform: str | None = None) -> tuple[int, ...]:
    """APIs to try in order when opening a webcam."""
    first = default_api_preference(platform)
    platform = platform or sys.platform
    if platform.startswith("win"):
        return (first, cv2.CAP_MSMF, cv2.CAP_ANY)
    return (first, cv2.CAP_ANY) if first != cv2.CAP_ANY else (first,)


class WebcamSource(CameraSource):
    """A USB or built-in webcam through ``cv2.VideoCapture``."""

    def __init__(
        self,
        index: int = 0,
        width: int | None = 1280,
        height: int | None = 720,
        *,
        capture_factory: CaptureFactory = cv2.VideoCapture,
        api_preferences: tuple[int, ...] | None = None,
        max_failures: int = DEFAULT_MAX_FAILURES,
    ) -> None:
        super().__init__(max_failures)
        self.index = index
        self.width = width
        self.height = height
        self._factory = capture_factory
        self._apis = api_preferences or fallback_api_preferences()
        self._cap: VideoCaptureLike | None = None
        self.api: int | None = None

    @property
    def is_open(self) -> bool:
        return self._cap is not None

    def open(self) -> None:
        self.close()
        self._failures = 0
        for api in self._apis:
            cap = self._factory(self.index, api)
            if cap.isOpened():
                self._cap, self.api = cap, api
                break
            cap.release()
        if self._cap is None:
            raise FrameSourceError(
                N_("Camera {index} cannot be opened (in use by another program, or absent)."),
                index=self.index,
            )
        if self.width and self.height:  # a request: the driver picks the nearest mode
            self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, float(self.width))
            self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, float(self.height))
        self._cap.set(cv2.CAP_PROP_BUFFERSIZE, 1.0)  # latest frame, not a stale queue
        log.info("camera %d opened (api %s)", self.index, self.api)

    def _grab(self) -> np.ndarray | None:
        assert self._cap is not None
        ok, frame = self._cap.read()
        return frame if ok else None

    @property
    def resolution(self) -> tuple[int, int] | None:
        """The (width, height) the driver actually delivers."""
        if self._cap is None:
            return None
        return (
            int(self._cap.get(cv2.CAP_PROP_FRAME_WIDTH)),
            int(self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT)),
        )

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None
            log.info("camera %d closed", self.index)


@dataclass(frozen=True)
class CameraInfo:
    """A camera that answered when probed."""

    index: int
    width: int
    height: int


def list_cameras(
    max_index: int = 5,
    *,
    capture_factory: CaptureFactory = cv2.VideoCapture,
    api_preference: int | None = None,
) -> list[CameraInfo]:
    """Cameras 0..max_index-1 that open and deliver a frame (slow: ~0.1–1 s per index)."""
    api = default_api_preference() if api_preference is None else api_preference
    found: list[CameraInfo] = []
    for index in range(max_index):
        cap = capture_factory(index, api)
        try:
            if not cap.isOpened():
                continue
            ok, frame = cap.read()
            if ok and frame is not None:
                found.append(CameraInfo(index, frame.shape[1], frame.shape[0]))
        finally:
            cap.release()
    return found


class ImageFileSource(CameraSource):
    """A still photo (e.g. copied from a phone's memory card): the same frame on every read."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(max_failures=1)
        self.path = Path(path)
        self._frame: np.ndarray | None = None

    @property
    def is_open(self) -> bool:
        return self._frame is not None

    def open(self) -> None:
        try:
            self._frame = load_image(self.path)
        except ImageReadError as exc:
            raise FrameSourceError(exc.template, **exc.fields) from exc

    def _grab(self) -> np.ndarray | None:
        return None if self._frame is None else self._frame.copy()

    def close(self) -> None:
        self._frame = None


class VideoFileSource(CameraSource):
    """A video file for tests and demos; at the end it loops or behaves like an unplugged camera."""

    def __init__(
        self,
        path: str | Path,
        loop: bool = False,
        *,
        capture_factory: CaptureFactory = cv2.VideoCapture,
        max_failures: int = DEFAULT_MAX_FAILURES,
    ) -> None:
        super().__init__(max_failures)
        self.path = Path(path)
        self.loop = loop
        self._factory = capture_factory
        self._cap: VideoCaptureLike | None = None

    @property
    def is_open(self) -> bool:
        return self._cap is not None

    def open(self) -> None:
        self.close()
        self._failures = 0
        if not self.path.is_file():
            raise FrameSourceError(N_("The video file does not exist."))
        cap = self._factory(str(self.path), cv2.CAP_ANY)
        if not cap.isOpened():
            cap.release()
            raise FrameSourceError(N_("This is not a video that can be played."))
        self._cap = cap

    def _grab(self) -> np.ndarray | None:
        assert self._cap is not None
        ok, frame = self._cap.read()
        if not ok and self.loop:
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0.0)
            ok, frame = self._cap.read()
        return frame if ok else None

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None
