"""Quét thẻ: the webcam reads a chip ID card's QR code (issue 17), for the lookup.

The camera runs in its own thread (gui.camera_worker) with the card reader as its job
(capture.card.reader: no Qt); this dialog only paints the picture and says, in large type,
what to do next ("Đưa thẻ ra xa hơn một chút"…). The first frame that gives a card's text —
or one of our appointment slips', ``ES1|…`` — stops the camera, is kept in ``text``, is sent
as ``card_read(text)`` and closes the dialog (accepted); what the text is for (a resident by
ID number, an enrollment by slip) is the lookup's business. A camera that cannot be opened or
is unplugged says what to do and offers "Thử lại"; the dialog stays usable. However it closes
(a read, Cancel, Esc, the window's close button) the camera thread is stopped and waited for,
so the device is released before the dialog goes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QFont, QFontMetrics, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from capture.card.reader import CardRead, CardReader, Hint
from capture.sources import CameraSource
from gui.camera_worker import CameraController, FrameJob, LiveFrame
from gui.frame_view import FrameView
from resources.i18n import _

VIEW_SIZE = (640, 480)  # the picture at its own size: the dialog fits 1366×768
HINT_PT = 18  # the guidance line, read from arm's length while holding the card up


def card_job() -> FrameJob:
    """A fresh reader for each start of the camera (its detectors live in the camera thread)."""
    return CardReader().read


class CardScanDialog(QDialog):
    """The live camera, the guidance line, Cancel; ``card_read(text)`` on the first read."""

    card_read = Signal(str)  # the QR text as read: a card's, or a slip's (``ES1|…``)
    view: FrameView

    def __init__(self, camera_factory: Callable[[], CameraSource],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(_("Scan a card"))
        self.text: str | None = None
        self.last: CardRead | None = None  # the last frame's read (tests, the log)
        self.frames = 0  # frames shown since the camera last started
        self.camera = CameraController(camera_factory, self, job=card_job)
        self.camera.frame.connect(self._frame)
        self.camera.opened.connect(lambda: self.view.set_message(_("Camera starting…")))
        self.camera.disconnected.connect(self._disconnected)
        self.camera.failed.connect(self._no_camera)

        intro = QLabel(_("Hold the QR code on the front of the card up to the camera, 10 to "
                         "15 cm away, and keep it still: it is read by itself."))  # fmt: skip
        intro.setWordWrap(True)
        self.view = FrameView()
        self.view.setMinimumSize(*VIEW_SIZE)
        self.view.set_message(_("Camera starting…"))
        self.hint = QLabel(_("Camera starting…"))
        self.hint.setObjectName("cardHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"font-size: {HINT_PT}pt; font-weight: bold;")
        big = QFont(self.hint.font())
        big.setPointSizeF(HINT_PT)
        big.setBold(True)
        self.hint.setMinimumHeight(2 * QFontMetrics(big).lineSpacing() + 4)  # room for two lines
        self.retry_button = QPushButton(_("Try again"))
        self.retry_button.setObjectName("retryCamera")
        self.retry_button.clicked.connect(self.retry)
        self.retry_button.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setObjectName("cancelScan")
        buttons.addButton(self.retry_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self._started = False

    # --- the camera ------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started:  # the device is opened when the dialog is seen, not before
            self._started = True
            self._start()

    def _start(self) -> None:
        self.retry_button.hide()
        self.frames = 0
        self.view.set_message(_("Camera starting…"))
        self.hint.setText(_("Camera starting…"))
        self.camera.start()

    def retry(self) -> None:
        """Thử lại: open the camera again (after plugging it in, closing another program)."""
        self.camera.stop()
        self._start()

    def _frame(self, live: LiveFrame[CardRead]) -> None:
        if self.text is not None:
            return  # read already: the frames still queued are not looked at
        read = live.report
        self.last = read
        self.frames += 1
        self.view.set_frame(live.image, None)
        if read.text is not None and read.hint is Hint.FOUND:
            self._read(read.text)
            return
        self.hint.setText(_(read.hint.message))

    def _read(self, text: str) -> None:
        self.camera.stop()
        self.text = text
        self.hint.setText(_(Hint.FOUND.message))
        self.card_read.emit(text)
        self.accept()

    def _disconnected(self) -> None:
        self.camera.stop()
        self.view.set_message(
            _("The camera is disconnected. Check its cable, then press Try again, or close "
              "this window and type the ID number.")
        )  # fmt: skip
        self.hint.setText(_("Camera disconnected."))
        self.retry_button.show()

    def _no_camera(self) -> None:
        self.camera.stop()
        self.view.set_message(
            _("No camera could be opened. Plug one in (or close the program using it) and "
              "press Try again, or close this window and type the ID number.")
        )  # fmt: skip
        self.hint.setText(_("No camera."))
        self.retry_button.show()

    # --- closing: always stop the camera thread and wait for it ------------------------------

    def done(self, result: int) -> None:
        self.camera.stop()
        super().done(result)

    def hideEvent(self, event: QHideEvent) -> None:
        if not event.spontaneous():  # hidden by the program; a minimised window keeps it
            self.camera.stop()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.camera.stop()
        super().closeEvent(event)
