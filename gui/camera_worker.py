"""The live camera: a worker object in its own QThread, and the controller the page holds.

Why this shape (ARCHITECTURE.md, "Lessons from the field": camera leaks): the worker opens,
reads and releases the source *inside* its thread, so a VideoCapture is never shared between
threads; it is stopped with a ``threading.Event`` (never ``terminate()``), and the controller
waits for the thread on close, so the device is released before the page goes away.

The tracker's quality checks run in the same thread, right after each read, so they never
block the UI. One frame is in flight at a time: while the GUI has not yet taken the last
frame, new ones are read (to keep the camera's buffer fresh) and dropped, never queued. Frames
travel as numpy arrays through ``Signal(object)``; the view wraps them without a copy.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from capture.errors import CameraDisconnected, FrameSourceError
from capture.report import Mode, QualityReport
from capture.sources import CameraSource
from capture.tracking import FaceTracker

log = logging.getLogger(__name__)

SourceFactory = Callable[[], CameraSource]
MIN_FRAME_INTERVAL = 1 / 30  # seconds; a fake or a file source would otherwise spin


@dataclass(frozen=True, slots=True)
class LiveFrame:
    """One preview frame and the tracker's verdict on it (the report is for the upright frame)."""

    image: np.ndarray  # BGR uint8, as read; the GUI keeps it referenced while painting it
    report: QualityReport
    seq: int


class CameraWorker(QObject):
    """Lives in the camera thread: open, read + assess in a loop, release."""

    frame = Signal(object)  # LiveFrame
    opened = Signal()
    disconnected = Signal(str)  # Vietnamese/English text comes from the page, this is the log id
    failed = Signal(str)  # the source could not be opened
    finished = Signal()

    def __init__(self, factory: SourceFactory, mode: Mode) -> None:
        super().__init__()
        self._factory = factory
        self._mode = mode
        self._stop = threading.Event()
        self._taken = threading.Event()  # the GUI took the last frame: the next may go
        self._taken.set()
        self.dropped = 0  # frames read while the GUI was busy (for tests and the log)

    # --- called from the GUI thread (thread-safe: events and a plain attribute) ---------

    def request_stop(self) -> None:
        self._stop.set()

    def frame_taken(self) -> None:
        self._taken.set()

    def set_mode(self, mode: Mode) -> None:
        self._mode = mode  # read by the loop; the tracker switches on its next frame

    # --- the thread's work ----------------------------------------------------------------

    @Slot()
    def run(self) -> None:
        source: CameraSource | None = None
        try:
            source = self._factory()
            source.open()
        except FrameSourceError as exc:
            log.warning("camera could not be opened: %s", type(exc).__name__)
            self.failed.emit(type(exc).__name__)
            self._release(source)
            return
        self.opened.emit()
        tracker = FaceTracker(self._mode)
        seq = 0
        try:
            while not self._stop.is_set():
                started = time.monotonic()
                try:
                    image = source.read()
                except CameraDisconnected:
                    self.disconnected.emit("disconnected")
                    break
                if image is not None:
                    if self._taken.is_set():
                        tracker.mode = self._mode
                        report = tracker.assess(image)
                        seq += 1
                        self._taken.clear()
                        self.frame.emit(LiveFrame(image, report, seq))
                    else:
                        self.dropped += 1
                rest = MIN_FRAME_INTERVAL - (time.monotonic() - started)
                if rest > 0:
                    self._stop.wait(rest)
        except Exception:  # a bug must not leave the device open
            log.exception("camera worker failed")
            self.failed.emit("error")
        finally:
            self._release(source)

    def _release(self, source: CameraSource | None) -> None:
        if source is not None:
            try:
                source.close()
            except Exception:
                log.warning("camera did not close cleanly", exc_info=True)
        self.finished.emit()


class CameraController(QObject):
    """Held by the portrait page (GUI thread): start, stop and wait, mode, frame hand-off.

    ``stop()`` returns only when the thread has finished and the device is released.
    """

    frame = Signal(object)  # LiveFrame, on the GUI thread
    opened = Signal()
    disconnected = Signal()
    failed = Signal()
    stopped = Signal()

    def __init__(self, factory: SourceFactory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.factory = factory
        self.mode = Mode.NORMAL
        self._thread: QThread | None = None
        self._worker: CameraWorker | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self._thread is not None:
            return
        thread = QThread()
        thread.setObjectName("camera")
        worker = CameraWorker(self.factory, self.mode)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.frame.connect(self._on_frame)
        worker.opened.connect(self.opened)
        worker.disconnected.connect(lambda _why: self.disconnected.emit())
        worker.failed.connect(lambda _why: self.failed.emit())
        # direct: quit from the camera thread itself (the GUI thread may be waiting in stop())
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread, self._worker = thread, worker
        thread.start()

    def set_mode(self, mode: Mode) -> None:
        self.mode = mode
        if self._worker is not None:
            self._worker.set_mode(mode)

    def _on_frame(self, live: LiveFrame) -> None:
        worker = self._worker
        if worker is None:
            return  # a frame queued before stop(): drop it
        try:
            self.frame.emit(live)
        finally:
            worker.frame_taken()

    @property
    def dropped(self) -> int:
        return 0 if self._worker is None else self._worker.dropped

    def stop(self) -> None:
        """Ask the loop to end, wait for the thread (the device is released by then)."""
        thread, worker = self._thread, self._worker
        if thread is None or worker is None:
            return
        self._thread = self._worker = None
        worker.request_stop()
        worker.frame_taken()
        thread.quit()  # ends its event loop once run() has returned (or at once if it has)
        if not thread.wait(5000):  # a hung driver: never terminate(), say so in the log
            log.error("camera thread did not stop within 5 s")
        worker.deleteLater()
        thread.deleteLater()
        self.stopped.emit()
