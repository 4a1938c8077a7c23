"""The camera worker: frames from a fake camera fed with a real photo, the face box, the
disconnect after missed reads, stop + wait releasing the device, and the frame view."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QThread

from capture.report import Mode
from gui.camera_worker import CameraController, LiveFrame
from gui.frame_view import FrameView, wrap
from tests.gui.fakes import FakeCamera, good_face, lying_side_lit


def test_frames_arrive_with_a_report_and_the_device_is_released(qtbot: Any) -> None:
    cam = FakeCamera()
    ctl = CameraController(cam.factory)
    seen: list[LiveFrame] = []
    threads: list[QThread] = []
    ctl.frame.connect(lambda f: (seen.append(f), threads.append(QThread.currentThread())))
    with qtbot.waitSignal(ctl.opened, timeout=3000):
        ctl.start()
    qtbot.waitUntil(lambda: len(seen) >= 3, timeout=5000)
    ctl.stop()
    assert not ctl.running
    assert cam.open_devices == 0  # opened and released inside the worker thread
    assert all(t is QThread.currentThread() for t in threads)  # delivered on the GUI thread
    first = seen[0]
    assert first.image.shape == good_face().shape
    assert first.report.face is not None and first.report.accepted
    assert [f.seq for f in seen] == sorted(f.seq for f in seen)


def test_unplugged_camera_reports_disconnected_and_releases(qtbot: Any) -> None:
    cam = FakeCamera()
    ctl = CameraController(cam.factory)
    with qtbot.waitSignal(ctl.frame, timeout=5000):
        ctl.start()
    with qtbot.waitSignal(ctl.disconnected, timeout=5000):
        cam.unplug()
    ctl.stop()
    assert cam.open_devices == 0


def test_camera_that_cannot_open_fails_cleanly(qtbot: Any) -> None:
    cam = FakeCamera()
    cam.unplug()
    ctl = CameraController(cam.factory)
    with qtbot.waitSignal(ctl.failed, timeout=3000):
        ctl.start()
    ctl.stop()
    assert cam.open_devices == 0


def test_frames_are_dropped_while_the_gui_is_busy(qtbot: Any) -> None:
    """One frame in flight: a slow GUI makes the worker drop frames, never queue them."""
    cam = FakeCamera()
    ctl = CameraController(cam.factory)
    got: list[int] = []
    ctl.frame.connect(lambda f: got.append(f.seq))
    ctl.start()
    qtbot.waitUntil(lambda: len(got) >= 1, timeout=5000)
    QThread.msleep(400)  # the GUI thread is busy: nothing is delivered meanwhile
    qtbot.waitUntil(lambda: len(got) >= 2, timeout=5000)
    ctl.stop()
    assert cam.reads > len(got) + 3  # reads went on; frames were dropped, not queued


def test_bedridden_mode_turns_the_face_upright(qtbot: Any) -> None:
    cam = FakeCamera([lying_side_lit()])
    ctl = CameraController(cam.factory)
    ctl.set_mode(Mode.BEDRIDDEN)
    seen: list[LiveFrame] = []
    ctl.frame.connect(seen.append)
    ctl.start()
    qtbot.waitUntil(lambda: any(f.report.face is not None for f in seen), timeout=5000)
    ctl.stop()
    face = next(f for f in seen if f.report.face is not None)
    assert face.report.rotation in (90, 270)
    view = FrameView()
    qtbot.addWidget(view)
    view.resize(640, 480)
    view.set_frame(face.image, face.report, ["Ánh sáng không đều"])
    view.show()
    qtbot.waitUntil(lambda: view.painted >= 1, timeout=2000)


def test_wrap_shares_memory() -> None:
    a = np.zeros((4, 6, 3), np.uint8)
    img = wrap(a)
    a[0, 0] = (255, 0, 0)  # BGR blue
    assert img.pixelColor(0, 0).blue() == 255  # the QImage reads the array itself: no copy
