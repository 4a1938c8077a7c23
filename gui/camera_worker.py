"""The live camera: a worker object in its own QThread, and the controller the page holds.

Why this shape (ARCHITECTURE.md, "Lessons from the field": camera leaks): the worker opens,
reads and releases the source *inside* its thread, so a VideoCapture is never shared between
threads; it is stopped with a ``threading.Event`` (never ``terminate()``), and the controller
waits for the thread on close, so the device is released before the page goes away.

What is done with each frame — the *job* — runs in the same thread, right after each read, so
it never blocks the UI: the face tracker's quality checks for the portrait page
(:class:`FaceJob`, the default), the card's QR reader for the "Quét thẻ" dialog
(``capture.card.reader.CardReader().read``). A job is a callable ``image -> answer`` made on
the GUI thread by ``start()`` and used only by the camera thread afterwards (anything heavy it
builds on its first frame, in that thread). One frame is in flight at a time: while the GUI
has not yet taken the last frame, new ones are read (to keep the camera's buffer fresh) and
dropped, never queued. Frames travel as numpy arrays through ``Signal(object)``; the view
wraps them without a copy.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic

import numpy as np
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from typing_extensions import TypeVar  # a default (PEP 696) until Python 3.13

from capture.errors import CameraDisconnected, FrameSourceError
from capture.report import Mode, QualityReport
from capture.sources import CameraSource
from capture.tracking import FaceTracker

log = logging.getLogger(__name__)

SourceFactory = Callable[[], CameraSource]
FrameJob = Callable[[np.ndarray], object]
"""What the camera thread does with each frame; its answer travels in ``LiveFrame.report``."""
MIN_FRAME_INTERVAL = 1 / 30  # seconds; a fake or a file source would otherwise spin

R = TypeVar("R", default=QualityReport)  # a bare ``LiveFrame`` is the portrait page's


@dataclass(frozen=True, slots=True)
class LiveFrame(Generic[R]):
    """One preview frame and the job's answer on it: a ``QualityReport`` (for the upright
    frame) from :class:`FaceJob`, a ``CardRead`` from the card reader."""

    image: np.ndarray  # BGR uint8, as read; the GUI keeps it referenced while painting it
    report: R
    seq: int


class FaceJob:
    """The portrait page's job: the face tracker, in the mode last asked for."""

    def __init__(self, mode: Mode) -> None:
        self.mode = mode  # set from the GUI thread (a plain attribute), read on each frame
        self._tracker: FaceTracker | None = None

    def __call__(self, image: np.ndarray) -> QualityReport:
        if self._tracker is None:  # made in the camera thread, on its first frame
            self._tracker = FaceTracker(self.mode)
        self._tracker.mode = self.mode  # the tracker switches on this frame
        return self._tracker.assess(image)


class CameraWorker(QObject):
    """Lives in the camera thread: open, read + do the job in a loop, release."""

    frame = Signal(object)  # LiveFrame
    opened = Signal()
    disconnected = Signal(str)  # Vietnamese/English text comes from the page, this is the log id
    failed = Signal(str)  # the source could not be opened
    finished = Signal()

    def __init__(self, factory: SourceFactory, job: FrameJob) -> None:
        super().__init__()
        self._factory = factory
        self._job = job
        self._stop = threading.Event()
        self._taken = threading.Event()  # the GUI took the last frame: the next may go
        self._taken.set()
        self.dropped = 0  # frames read while the GUI was busy (for tests and the log)

    # --- called from the GUI thread (thread-safe: events and a plain attribute) ---------

    def request_stop(self) -> None:
        self._stop.set()

    def frame_taken(self) -> None:
        self._taken.set()

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
                        report = self._job(image)
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
    """Held by the portrait page or the card dialog (GUI thread): start, stop and wait, mode,
    frame hand-off.

    ``job`` makes the job for each start (a fresh one each time); without it the job is the
    face tracker in ``mode`` (:class:`FaceJob`). ``stop()`` returns only when the thread has
    finished and the device is released.
    """

    frame = Signal(object)  # LiveFrame, on the GUI thread
    opened = Signal()
    disconnected = Signal()
    failed = Signal()
    stopped = Signal()

    def __init__(self, factory: SourceFactory, parent: QObject | None = None,
                 job: Callable[[], FrameJob] | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.factory = factory
        self.mode = Mode.NORMAL
        self._make_job = job
        self._job: FrameJob | None = None
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
        self._job = FaceJob(self.mode) if self._make_job is None else self._make_job()
        worker = CameraWorker(self.factory, self._job)
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
        """The face tracker's mode (the portrait page); no meaning for other jobs."""
        self.mode = mode
        if isinstance(self._job, FaceJob):
            self._job.mode = mode

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
        self._job = None
        worker.request_stop()
        worker.frame_taken()
        thread.quit()  # ends its event loop once run() has returned (or at once if it has)
        if not thread.wait(5000):  # a hung driver: never terminate(), say so in the log
            log.error("camera thread did not stop within 5 s")
        worker.deleteLater()
        thread.deleteLater()
        self.stopped.emit()
