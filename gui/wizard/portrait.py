"""Step 2: the portrait, live: what to fix is written on the picture; the photo takes itself.

The camera runs in its own thread (gui.camera_worker); this page only paints what it sends.
Once every check has passed for a short steady moment the still is taken automatically;
the officer can also press Capture (F5) or load a phone photo from a file. The still is
judged again cold (capture.quality.assess, with the preview's report as hint), cropped and
stored at once (the enrollment keeps it even if the program stops right after). A still that
fails a check can be kept only with a reason (override), which sends it to the supervisor.

A still with no face (a very dark room, nobody in front of the camera) cannot become a
portrait at all: the page then says the capture engine's own cause and what to do ("Ảnh quá
tối, …: bật thêm đèn…", as ``main.py check-photo`` does), in large type until the next photo.
The page's keys (F5, F6, Ctrl+O, Ctrl+B) act wherever the focus is while the page is shown
(the wizard makes them window shortcuts, see ``WizardStep.shortcuts``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from capture import crop, quality
from capture.errors import CaptureError
from capture.imagefile import load_image
from capture.report import Mode, QualityReport
from db.types import EnrollmentInfo
from gui.camera_worker import CameraController, LiveFrame
from gui.file_dialogs import open_file_name
from gui.frame_view import FrameView
from gui.wizard import override
from gui.wizard.base import WizardStep
from gui.wizard.context import WizardContext
from resources.i18n import N_, _, language, ngettext
from resources.problems import describe, log_unexpected

log = logging.getLogger(__name__)

STEADY_SECONDS = 0.6  # every check passed this long: take the still by itself
THUMB = (240, 320)


@dataclass(frozen=True)
class Still:
    jpeg: bytes  # empty: no face, so no portrait can be cut (the report says why)
    report: QualityReport
    source: str  # camera | file


def make_still(image: np.ndarray, mode: Mode, hint: QualityReport | None, source: str) -> Still:
    """Judge the still cold and crop it (runs off the UI thread)."""
    report = quality.assess(image, mode, hint=hint)
    if report.face is None:
        return Still(b"", report, source)
    return Still(crop.portrait(image, report), report, source)


def cause_of(report: QualityReport) -> str:
    """What the capture engine says is wrong and what to do, first thing first (the same
    sentences as ``main.py check-photo``)."""
    primary = report.primary
    if primary is None:
        return _("No face in this frame: no portrait can be made.")
    return primary.instruction.text(language())


class PortraitStep(WizardStep):
    name = "portrait"
    title = N_("Portrait")
    view: FrameView

    def __init__(self, ctx: WizardContext) -> None:
        super().__init__(ctx)
        self.camera = CameraController(ctx.camera_factory, self)
        self.camera.frame.connect(self._frame)
        self.camera.opened.connect(lambda: self.view.set_message(_("Camera starting…")))
        self.camera.disconnected.connect(self._disconnected)
        self.camera.failed.connect(self._no_camera)
        self.view = FrameView()
        self.view.set_message(_("Camera starting…"))
        self.bedridden = QCheckBox(_("Bedridden: lying down, camera above (Ctrl+B)"))
        self.bedridden.setObjectName("bedridden")
        self.bedridden.toggled.connect(self._mode_changed)
        self.status = QLabel()
        self.status.setObjectName("cameraStatus")
        self.status.setWordWrap(True)
        self.verdict = QLabel()  # why the last photo could not be used, until the next one
        self.verdict.setObjectName("stillProblem")
        self.verdict.setWordWrap(True)
        self.verdict.setStyleSheet("color: #b00020; font-size: 13pt; font-weight: bold;")
        self.verdict.hide()
        self.photo = QLabel(_("No portrait yet"))
        self.photo.setObjectName("portraitThumb")
        self.photo.setFixedSize(*THUMB)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_note = QLabel()
        self.photo_note.setWordWrap(True)
        self.photo_note.setObjectName("portraitNote")
        self.capture_button = QPushButton(_("Capture (F5)"))
        self.capture_button.setObjectName("capture")
        self.retake_button = QPushButton(_("Retake (F6)"))
        self.retake_button.setObjectName("retake")
        self.file_button = QPushButton(_("Load from file…"))
        self.file_button.setObjectName("loadFile")
        self.reconnect_button = QPushButton(_("Reconnect camera"))
        self.reconnect_button.setObjectName("reconnect")
        self.reconnect_button.hide()
        self.capture_button.clicked.connect(self.capture_now)
        self.retake_button.clicked.connect(self.retake)
        self.file_button.clicked.connect(self.load_file)
        self.reconnect_button.clicked.connect(self.reconnect)

        side = QVBoxLayout()
        side.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignHCenter)
        side.addWidget(self.photo_note)
        grid = QGridLayout()
        grid.addWidget(self.capture_button, 0, 0)
        grid.addWidget(self.retake_button, 0, 1)
        grid.addWidget(self.file_button, 1, 0, 1, 2)
        grid.addWidget(self.reconnect_button, 2, 0, 1, 2)
        side.addLayout(grid)
        side.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.bedridden)
        left.addWidget(self.view, 1)
        left.addWidget(self.verdict)
        left.addWidget(self.status)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 1)
        layout.addLayout(side)

        self.attempts = 0
        self.source = "camera"
        self.latest: LiveFrame | None = None
        self._steady_since: float | None = None
        self._capturing = False
        self._stored = False  # a portrait is stored for this enrollment
        self._lying = False  # the stored portrait was taken lying down
        self.judged: Still | None = None  # the still the override dialog is asked about

    def shortcuts(self) -> list[tuple[str, Callable[[], object]]]:
        return [("F5", self.capture_now), ("F6", self.retake), ("Ctrl+O", self.load_file),
                ("Ctrl+B", self.bedridden.toggle)]  # fmt: skip

    # --- what the override dialog is told (gui.wizard.override.OverrideSubject) -----------

    def override_photo(self) -> bytes | None:
        return self.judged.jpeg if self.judged is not None else None

    def offers_bedridden(self) -> bool:
        """ "Bedridden" fits only a person photographed lying down or recorded bedridden."""
        resident = self.ctx.resident
        recorded = resident is not None and resident.home_visit_reason == "bedridden"
        return self.bedridden.isChecked() or recorded

    # --- draft ---------------------------------------------------------------------------

    def load(self, info: EnrollmentInfo | None) -> None:
        data = (info.draft.get("portrait") or {}) if info else {}
        lying = self.ctx.resident is not None and self.ctx.resident.home_visit_reason == "bedridden"
        p = info.portrait if info else None
        self.bedridden.setChecked(bool(data.get("bedridden", p.bedridden if p else lying)))
        self.attempts = int(data.get("attempts", p.attempts if p else 0))
        self.source = str(data.get("source", "camera"))
        if p is not None and info is not None:
            self._stored = True
            self._lying = p.bedridden
            uuid, service = info.uuid, self.ctx.service
            self.ctx.read(self, lambda: service.portrait(uuid), self._show_jpeg,
                          self._readback_failed)  # fmt: skip
            self._describe_stored(p.exception_reason)

    def save(self) -> dict[str, Any]:
        return {"bedridden": self.bedridden.isChecked(), "attempts": self.attempts,
                "source": self.source}  # fmt: skip

    def validate(self) -> list[str]:
        if self._stored:
            return []
        return [_("Take the portrait first (F5), or load a photo from a file.")]

    def busy(self) -> bool:
        return self._capturing

    # --- camera --------------------------------------------------------------------------

    def entered(self) -> None:
        if self._stored:
            self.view.set_message(_("The portrait is taken. Press Retake (F6) for another one."))
        else:
            self._start_camera()
        self.setFocus()

    def left(self) -> None:
        self.camera.stop()

    def _start_camera(self) -> None:
        self.reconnect_button.hide()
        self._steady_since = None
        self.latest = None
        self.view.set_message(_("Camera starting…"))
        self.camera.set_mode(self._mode())
        self.camera.start()

    def _mode(self) -> Mode:
        return Mode.BEDRIDDEN if self.bedridden.isChecked() else Mode.NORMAL

    def _mode_changed(self, _on: bool) -> None:
        self._steady_since = None
        self.camera.set_mode(self._mode())

    def _frame(self, live: LiveFrame) -> None:
        self.latest = live
        report = live.report
        lang = language()
        if report.accepted:
            lines = [_("Good. Hold still…")]
        else:
            failing = report.failures or report.warnings
            primary = report.primary
            ordered = ([primary] if primary else []) + [c for c in failing if c is not primary]
            # checks that need a face only repeat its cause ("not measured: too dark")
            ordered = [c for c in ordered if c.measured or c is primary]
            lines = [c.instruction.text(lang) for c in ordered[:3]]
        self.view.set_frame(live.image, report, lines)
        self.status.setText(
            _("All checks passed.") if report.accepted
            else ngettext("{count} check to fix.", "{count} checks to fix.",
                          len(report.failures)).format(count=len(report.failures))
        )  # fmt: skip
        if not report.accepted or report.mode is not self._mode():
            self._steady_since = None
            return
        now = time.monotonic()
        if self._steady_since is None:
            self._steady_since = now
        elif now - self._steady_since >= STEADY_SECONDS and not self._capturing:
            self._take(live.image, report, "camera")

    def _disconnected(self) -> None:
        self.camera.stop()
        self.view.set_message(
            _("The camera is disconnected. Check its cable, then press Reconnect, or load a "
              "photo from a file. Nothing typed is lost.")
        )  # fmt: skip
        self.status.setText(_("Camera disconnected."))
        self.reconnect_button.show()

    def _no_camera(self) -> None:
        self.camera.stop()
        self.view.set_message(
            _("No camera could be opened. Plug one in and press Reconnect, or load a photo "
              "from a file.")
        )  # fmt: skip
        self.status.setText(_("No camera."))
        self.reconnect_button.show()

    def reconnect(self) -> None:
        self.camera.stop()
        self._start_camera()

    # --- taking the still ----------------------------------------------------------------

    def capture_now(self) -> None:
        """F5: take the still now, whatever the checks say (a failing one asks for a reason)."""
        if self.latest is None or self._capturing or not self.camera.running:
            return
        self._take(self.latest.image, self.latest.report, "camera")

    def load_file(self) -> None:
        if self._capturing:
            return
        name = open_file_name(self, _("Load a portrait photo"), _("Photos (*.jpg *.jpeg *.png)"))
        if not name:
            return
        self.camera.stop()
        path, mode = Path(name), self._mode()
        self._capturing = True
        self.ctx.read(self, lambda: make_still(load_image(path), mode, None, "file"),
                      self._judged, self._failed)  # fmt: skip

    def _take(self, image: np.ndarray, hint: QualityReport, source: str) -> None:
        self._capturing = True
        self._steady_since = None
        mode = self._mode()
        self.ctx.read(self, lambda: make_still(image, mode, hint, source), self._judged,
                      self._failed)  # fmt: skip

    def _judged(self, still: Still) -> None:
        self.attempts += 1
        self._say_problem("")
        if not still.jpeg:  # no face: nothing to keep, even with an exception
            self._capturing = False
            self._say_problem(cause_of(still.report))
            if not self.camera.running and not self.reconnect_button.isVisible():
                self._start_camera()
            return
        exception: tuple[str, str | None] | None = None
        if not still.report.accepted:
            self.camera.stop()
            self.judged = still
            try:
                exception = override.ask(still.report, self)
            finally:
                self.judged = None
            if exception is None:  # retake
                self._capturing = False
                self._start_camera()
                self.setFocus()
                return
        self._store(still, exception)

    def _say_problem(self, text: str) -> None:
        """Why the last photo cannot be used, large, until the next photo says otherwise."""
        self.verdict.setText(text)
        self.verdict.setVisible(bool(text))

    def _store(self, still: Still, exception: tuple[str, str | None] | None) -> None:
        self.camera.stop()
        self.source = still.source
        ctx, service, uuid, r = self.ctx, self.ctx.service, self.ctx.uuid, still.report
        attempts, lying = self.attempts, self._mode() is Mode.BEDRIDDEN
        reason, note = exception if exception else (None, None)

        def op() -> EnrollmentInfo:
            return service.attach_portrait(uuid, still.jpeg, crop.PORTRAIT_SIZE[0],
                                           crop.PORTRAIT_SIZE[1], r.to_dict(), attempts=attempts,
                                           bedridden=lying, exception_reason=reason,
                                           note=note)  # fmt: skip

        def done(info: EnrollmentInfo) -> None:
            ctx.info = info
            self._stored = True
            self._lying = lying
            self._capturing = False
            self._show_jpeg(still.jpeg)
            self._describe_stored(reason)
            self.view.set_message(_("Portrait saved. Press Enter to go on, or Retake (F6)."))
            self.status.setText(_("Portrait saved."))

        ctx.write(self, op, done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._capturing = False
        if isinstance(exc, CaptureError):
            self._say_problem(describe(exc))
            if not self.camera.running and not self.reconnect_button.isVisible():
                self._start_camera()
            return
        from gui.errors import show_error

        show_error(self, exc)

    def _readback_failed(self, exc: BaseException) -> None:
        """The stored portrait is kept; only showing it failed: say so where it would be."""
        log_unexpected(exc, "portrait read back")
        self.status.setText(
            _("The saved portrait cannot be shown: {reason}").format(reason=describe(exc))
        )

    def retake(self) -> None:
        if self._capturing:
            return
        self._start_camera()
        self.setFocus()  # the page's keys act from anywhere (window shortcuts) all the same

    def _show_jpeg(self, jpeg: bytes | None) -> None:
        if not jpeg:
            return
        pix = QPixmap()
        pix.loadFromData(jpeg)
        self.photo.setPixmap(
            pix.scaled(*THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                       Qt.TransformationMode.SmoothTransformation)
        )  # fmt: skip

    def _describe_stored(self, reason: str | None) -> None:
        lines = [_("Kept with an exception: waits for a supervisor's approval.") if reason
                 else _("All checks passed.")]  # fmt: skip
        if self._lying:
            lines.append(_("Taken lying down (bedridden)."))
        self.photo_note.setText("\n".join(lines))
