"""Step 4: the appointment slip: preview, print (Ctrl+P) or save as PDF, then the next person.

The PDF is built in memory off the UI thread and shown by the same preview as everywhere else
(gui.print_preview), set into the page instead of a window. Ctrl+P is a window shortcut of the
page (the wizard enables it while the page is shown): it prints wherever the focus is, and a
Ctrl+P pressed while the slip is still being built prints it as soon as it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout

from gui.print_preview import PrintPreviewDialog, record_saved
from gui.wizard.base import WizardStep
from gui.wizard.context import WizardContext
from printing import build_slip
from resources.i18n import N_, _


class SlipStep(WizardStep):
    name = ""  # the enrollment is submitted: nothing more goes into the draft
    title = N_("Slip")
    can_go_back = False
    loaded = Signal()

    def __init__(self, ctx: WizardContext) -> None:
        super().__init__(ctx)
        self.preview: PrintPreviewDialog | None = None
        self.heading = QLabel()
        self.heading.setObjectName("stepHeading")
        self.heading.setWordWrap(True)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.addWidget(self.heading)
        self._print_asked = False  # Ctrl+P before the slip was shown

    def shortcuts(self) -> list[tuple[str, Callable[[], object]]]:
        return [("Ctrl+P", self.print_slip)]

    def next_label(self) -> str:
        return _("Next person (Enter)")

    def entered(self) -> None:
        info = self.ctx.info
        if info is None:
            return
        self.heading.setText(
            _("Saved. Slip {number}: print it (Ctrl+P) and give it to the person.").format(
                number=info.receipt_no or ""
            )
        )
        service, uuid = self.ctx.service, info.uuid
        # through the core: officers print their own slips, and the print is audited
        self.ctx.read(self, lambda: build_slip(service.slip(uuid)), self._show)
        self.setFocus()

    def _show(self, pdf: bytes) -> None:
        if self.preview is not None:
            self.preview.deleteLater()
        name = (self.ctx.info.receipt_no if self.ctx.info else None) or "giay-hen"
        preview = PrintPreviewDialog(pdf, _("Appointment slip"), f"{name}.pdf", self)
        uuid = self.ctx.info.uuid if self.ctx.info else None
        preview.saved.connect(lambda _path: record_saved(self, self.ctx.service, uuid))
        preview.setWindowFlags(Qt.WindowType.Widget)  # a page of the wizard, not a window
        for button in preview.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter means "next person" on this page, not Print
            button.setDefault(False)
            if button.objectName() == "close":
                button.hide()
        preview.view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        preview.view.setZoomMode(QPdfView.ZoomMode.FitInView)  # the whole slip at 1366×768
        self.box.addWidget(preview, 1)
        preview.show()
        self.preview = preview
        self.setFocus()
        self.loaded.emit()
        if self._print_asked:
            self._print_asked = False
            self.print_slip()

    def print_slip(self) -> None:
        if self.preview is None:
            self._print_asked = True  # printed as soon as it is shown
            return
        if self.preview.print_button.isEnabled():  # not while a print is being sent
            self.preview.print_document()

    def advance_op(self) -> Callable[[], Any] | None:
        return None
