"""The fingerprint scanner off the UI thread: one scanner, one thread, one capture at a time.

Why its own single-thread pool (not the shared one): a scanner is not thread-safe (an SBI
device takes one request at a time; a vendor SDK handle belongs to one thread), and a capture
blocks for as long as the person takes to place the finger. Each capture also scores and
encodes the prints in that thread (capture.fingerprint.quality, .storage), so the page gets
finished prints and never waits on numpy. The scanner's state and preview callbacks come from
that thread and reach the page through queued signals; only the latest preview is shown.

Cancelling sets a ``threading.Event`` the backends check (never a thread kill), and closing
waits for the thread, so the device is released before the page goes away.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QThreadPool, Signal

from capture.fingerprint.fingers import Placement
from capture.fingerprint.quality import FingerQuality
from capture.fingerprint.scanner import DeviceInfo, ScannedFinger, Scanner, ScanState
from gui.ops import run_op

log = logging.getLogger(__name__)

ScannerFactory = Callable[[], Scanner]


@dataclass(frozen=True)
class TakenFinger:
    """One finger of one attempt, scored and encoded (ready to be stored)."""

    finger: int
    image: np.ndarray  # grey, for the page to show
    quality: FingerQuality
    data: bytes  # the stored form (WSQ, or PNG)
    image_format: str
    device_score: int | None


@dataclass(frozen=True)
class Taken:
    placement: Placement
    fingers: dict[int, TakenFinger]
    device: str


def judge(scan_fingers: dict[int, ScannedFinger], placement: Placement, device: str) -> Taken:
    """Score and encode each finger of a scan (runs in the scanner thread)."""
    from capture.fingerprint.quality import assess_finger
    from capture.fingerprint.storage import encode

    out: dict[int, TakenFinger] = {}
    for finger, scanned in scan_fingers.items():
        data, fmt = encode(scanned.image)
        out[finger] = TakenFinger(finger, scanned.image, assess_finger(scanned.image), data, fmt,
                                  scanned.device_score)  # fmt: skip
    return Taken(placement, out, device)


class _Relay(QObject):
    state = Signal(str)
    preview = Signal(object)


class ScannerController(QObject):
    """What the fingerprint page holds: open, capture, cancel, close, switch backends."""

    opened = Signal(object)  # DeviceInfo
    open_failed = Signal(object)  # the exception (ScannerNotFound, ...)
    state = Signal(str)  # ScanState value
    preview = Signal(object)  # grey np.ndarray, the latest only
    captured = Signal(object)  # Taken
    capture_failed = Signal(object)  # the exception (timeout, lifted, disconnected, ...)

    def __init__(self, factory: ScannerFactory, parent: QObject) -> None:
        super().__init__(parent)
        self._factory = factory
        self._scanner: Scanner | None = None
        self.device: DeviceInfo | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setObjectName("fingerprint-scanner")
        self._cancel = threading.Event()
        self._busy = False
        self._generation = 0  # bumped on close: a late answer of a closed scanner is dropped
        self._relay = _Relay()
        self._relay.moveToThread(self.thread())
        self._relay.state.connect(self.state)
        self._relay.preview.connect(self.preview)

    @property
    def busy(self) -> bool:
        """A capture (or an open) is in flight."""
        return self._busy

    @property
    def is_open(self) -> bool:
        return self.device is not None

    def use(self, factory: ScannerFactory) -> None:
        """Switch to another backend (the image folder after an unplug); opened on next use."""
        self.close()
        self._factory = factory

    def open(self) -> None:
        if self._busy:
            return
        self._busy = True

        def op() -> DeviceInfo:
            if self._scanner is not None:
                self._scanner.close()
            self._scanner = self._factory()
            return self._scanner.open()

        run_op(self, op, self._current(self._opened), self._current(self._open_failed),
               pool=self._pool)  # fmt: skip

    def _current(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        generation = self._generation

        def call(value: Any) -> None:
            if generation == self._generation:
                callback(value)

        return call

    def _opened(self, info: DeviceInfo) -> None:
        self._busy = False
        self.device = info
        self.opened.emit(info)

    def _open_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.device = None
        self.open_failed.emit(exc)

    def capture(self, placement: Placement, skip: Collection[int] = (),
                timeout: float | None = None) -> bool:  # fmt: skip
        """Start one capture; False when one is already in flight or nothing is open."""
        scanner = self._scanner
        if self._busy or scanner is None or self.device is None:
            return False
        self._busy = True
        self._cancel.clear()
        relay, cancel, device = self._relay, self._cancel, self._describe(self.device)
        skip = tuple(skip)

        def op() -> Taken:
            from capture.fingerprint.scanner import DEFAULT_TIMEOUT

            scan = scanner.capture(
                placement, timeout=timeout or DEFAULT_TIMEOUT, skip=skip,
                on_state=lambda s: relay.state.emit(ScanState(s).value),
                on_preview=lambda image: relay.preview.emit(image), cancel=cancel,
            )  # fmt: skip
            relay.state.emit(ScanState.DONE.value)
            return judge(dict(scan.fingers), placement, device)

        run_op(self, op, self._current(self._captured), self._current(self._capture_failed),
               pool=self._pool)  # fmt: skip
        return True

    @staticmethod
    def _describe(info: DeviceInfo) -> str:
        return " ".join(x for x in (info.backend, info.model, info.serial) if x)[:80]

    def _captured(self, taken: Taken) -> None:
        self._busy = False
        self.captured.emit(taken)

    def _capture_failed(self, exc: BaseException) -> None:
        from capture.fingerprint.scanner import ScannerDisconnected

        self._busy = False
        if isinstance(exc, ScannerDisconnected):
            self.device = None  # reopened by reconnect
        self.capture_failed.emit(exc)

    def cancel(self) -> None:
        self._cancel.set()

    def close(self, wait_ms: int = 5000) -> None:
        """Cancel, release the device in its thread, and wait for it."""
        self._cancel.set()
        self._generation += 1
        scanner, self._scanner, self.device = self._scanner, None, None
        if scanner is not None:
            self._pool.start(scanner.close)
        if not self._pool.waitForDone(wait_ms):
            log.warning("the fingerprint scanner did not stop in %d ms", wait_ms)
        self._busy = False
