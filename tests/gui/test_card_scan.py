"""Quét thẻ through the webcam path (issue 17): a fake camera (the real WebcamSource over a fake
capture, tests/gui/fakes.py) shows the desk, then a card held too close, then the card held
right — frames made by tests/capture/card_images.py; the dialog says what to do, reads the
card once, closes and releases the camera. A camera that is missing or unplugged says so and
can be tried again."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog

from capture.card.reader import Hint
from gui.card_scan import CardScanDialog
from resources.i18n import _
from tests.capture import card_images as frames
from tests.gui.fakes import FakeCamera


def _dialog(qtbot: Any, cam: FakeCamera) -> CardScanDialog:
    dialog = CardScanDialog(cam.factory)
    qtbot.addWidget(dialog)
    return dialog


def _says(dialog: CardScanDialog, hint: Hint) -> bool:
    return dialog.hint.text() == _(hint.message) and dialog.view.has_frame


def test_guidance_then_the_card_is_read_once_and_the_camera_released(qtbot: Any) -> None:
    cam = FakeCamera([frames.frame("no_card")])
    dialog = _dialog(qtbot, cam)
    read: list[str] = []
    dialog.card_read.connect(read.append)
    dialog.show()
    qtbot.waitUntil(lambda: _says(dialog, Hint.NO_CODE), timeout=5000)
    cam.show(frames.frame("too_close"))
    qtbot.waitUntil(lambda: _says(dialog, Hint.TOO_CLOSE), timeout=5000)
    with qtbot.waitSignal(dialog.card_read, timeout=5000) as got:
        cam.show(frames.frame("rotated_15"))
    assert got.args == [frames.CARD_TEXT]
    assert dialog.text == frames.CARD_TEXT
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    assert not dialog.camera.running and cam.open_devices == 0  # stopped and waited for
    qtbot.wait(100)  # frames queued before the stop are not read again
    assert read == [frames.CARD_TEXT]


def test_a_code_that_is_not_a_card_is_not_taken(qtbot: Any) -> None:
    cam = FakeCamera([frames.frame("other_qr")])
    dialog = _dialog(qtbot, cam)
    dialog.show()
    qtbot.waitUntil(lambda: _says(dialog, Hint.NOT_A_CARD), timeout=5000)
    assert dialog.text is None and dialog.isVisible()
    dialog.reject()
    assert not dialog.camera.running and cam.open_devices == 0


def test_no_camera_says_what_to_do_and_try_again_reads_the_card(qtbot: Any) -> None:
    cam = FakeCamera([frames.frame("flat")])
    cam.unplug()
    dialog = _dialog(qtbot, cam)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.retry_button.isVisible(), timeout=5000)
    assert dialog.hint.text() == _("No camera.")
    assert cam.open_devices == 0 and not dialog.camera.running
    cam.plug()
    with qtbot.waitSignal(dialog.card_read, timeout=5000):
        dialog.retry_button.click()
    assert dialog.text == frames.CARD_TEXT and cam.open_devices == 0


def test_unplugged_while_scanning_keeps_the_dialog_usable(qtbot: Any) -> None:
    cam = FakeCamera([frames.frame("no_card")])
    dialog = _dialog(qtbot, cam)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.frames >= 1, timeout=5000)
    cam.unplug()
    qtbot.waitUntil(lambda: dialog.retry_button.isVisible(), timeout=5000)
    assert dialog.hint.text() == _("Camera disconnected.")
    assert dialog.isVisible() and cam.open_devices == 0
    dialog.close()  # the window's close button: nothing left running
    assert dialog.text is None and not dialog.camera.running and cam.open_devices == 0


def test_cancel_stops_the_camera(qtbot: Any) -> None:
    cam = FakeCamera([frames.frame("no_card")])
    dialog = _dialog(qtbot, cam)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.frames >= 1, timeout=5000)
    dialog.findChild(type(dialog.retry_button), "cancelScan").click()
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.text is None
    assert not dialog.camera.running and cam.open_devices == 0
