"""Preview a printed document, choose a printer, print, or save it as PDF (explicitly).

Nothing is written to disk unless the officer chooses "Save PDF…": the preview reads the bytes
from memory. With no printer installed, "Print…" says so and offers to save instead. Printing
runs on a worker thread (gui.ops.run_op); the dialog stays responsive and shows progress.

The dialog is sized from the screen it opens on (issue 11: at 760×900 its buttons fell off a
1366×768 screen): at most 760×900, never more than the available screen less room for the
window frame; the page zooms to fit, the buttons stay at the bottom, always visible.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.service import StationService
from gui.file_dialogs import save_file_name
from gui.ops import run_op
from gui.printing import load_pdf, print_pdf, printers_available
from resources.i18n import _, ngettext
from resources.private_files import write_private

log = logging.getLogger(__name__)

PREFERRED = QSize(760, 900)  # an A5 page at a readable zoom
FRAME = QSize(24, 60)  # window frame and title bar the window manager adds around the dialog


def fit_size(available: QSize, preferred: QSize = PREFERRED) -> QSize:
    """The preview's size on a screen with ``available`` room (its available geometry)."""
    return QSize(
        max(320, min(preferred.width(), available.width() - FRAME.width())),
        max(240, min(preferred.height(), available.height() - FRAME.height())),
    )


class PrintPreviewDialog(QDialog):
    """Shows ``pdf`` (bytes) with Print…, Save PDF… and Close."""

    printed = Signal(int)  # pages sent to the printer
    print_failed = Signal(str)
    saved = Signal(str)  # path written

    def __init__(
        self, pdf: bytes, title: str, suggested_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(self.sizeHint())
        self.pdf = pdf
        self.suggested_name = suggested_name
        self.document, self._buffer = load_pdf(pdf)
        self.document.setParent(self)
        self._buffer.setParent(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.status = QLabel("", self)
        self.print_button = QPushButton(_("Print…"), self)
        self.print_button.setObjectName("print")
        self.save_button = QPushButton(_("Save PDF…"), self)
        self.save_button.setObjectName("save")
        close = QPushButton(_("Close"), self)
        close.setObjectName("close")
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_pdf)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for b in (self.save_button, self.print_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.print_button.setDefault(True)
        self.view.setMinimumSize(200, 150)
        if self.sizeHint().height() < PREFERRED.height():  # a small screen: the whole page
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)

    def available(self) -> QSize:
        """The room on the screen the dialog opens on (the primary screen before it shows)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry().size() if screen is not None else PREFERRED

    def sizeHint(self) -> QSize:
        return fit_size(self.available())

    # --- printing ----------------------------------------------------------------------

    def choose_printer(self) -> QPrinter | None:
        """The printer and options the officer picks (None: cancelled). GUI thread only."""
        default = QPrinterInfo.defaultPrinter()
        mode = QPrinter.PrinterMode.HighResolution
        printer = QPrinter(mode) if default.isNull() else QPrinter(default, mode)
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return printer

    def print_document(self) -> None:
        if not printers_available():
            self._no_printer()
            return
        printer = self.choose_printer()
        if printer is not None:
            self.start_print(printer)

    def start_print(self, printer: QPrinter) -> None:
        """Render and send the pages on a worker thread; the buttons wait meanwhile."""
        self.print_button.setEnabled(False)
        self.status.setText(_("Printing…"))
        pdf = self.pdf
        self._printer = printer  # kept alive until the job reports
        run_op(self, lambda: print_pdf(pdf, printer), self._print_done, self._print_failed)

    def _print_done(self, pages: int) -> None:
        self.print_button.setEnabled(True)
        sent = ngettext("Sent to the printer ({pages} page).",
                        "Sent to the printer ({pages} pages).", pages)  # fmt: skip
        self.status.setText(sent.format(pages=pages))
        self.printed.emit(pages)

    def _print_failed(self, exc: BaseException) -> None:
        self.print_button.setEnabled(True)
        message = _("The document could not be printed: {reason}").format(reason=_(str(exc)))
        self.status.setText(message)
        self.print_failed.emit(message)
        QMessageBox.warning(self, self.windowTitle(), message)

    def _no_printer(self) -> None:
        answer = QMessageBox.information(
            self,
            self.windowTitle(),
            _("No printer is installed on this computer. You can save the document as a PDF "
              "file and print it from another computer."),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Close,
            QMessageBox.StandardButton.Save,
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Save:
            self.save_pdf()

    # --- saving ------------------------------------------------------------------------

    def save_pdf(self) -> str | None:
        """Ask where, then write the PDF there; nothing is written if the officer cancels."""
        path = save_file_name(self, _("Save PDF"), self.suggested_name, _("PDF documents (*.pdf)"))
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            write_private(target, self.pdf)  # 0600: a slip names a person, a sheet holds the key
        except OSError as exc:
            log.warning("could not save a PDF (%s)", type(exc).__name__)
            message = _("The file could not be saved there. Choose another place.")
            QMessageBox.warning(self, self.windowTitle(), message)
            return None
        self.status.setText(_("Saved."))
        self.saved.emit(str(target))
        return str(target)


def record_saved(parent: QWidget, service: StationService, enrollment_uuid: str | None) -> None:
    """A slip saved as PDF put personal data on disk at the officer's request: audit it."""
    run_op(parent, lambda: service.pdf_saved("enrollment", enrollment_uuid), lambda _none: None)


def show_print_preview(
    parent: QWidget | None, pdf: bytes, title: str, suggested_name: str
) -> PrintPreviewDialog:
    """Open the preview (non-modal) and return it."""
    dialog = PrintPreviewDialog(pdf, title, suggested_name, parent)
    dialog.show()
    return dialog


def show_audited_preview(parent: QWidget, service: StationService, pdf: bytes, title: str,
                         suggested_name: str, what: str,
                         entity_id: str | None) -> PrintPreviewDialog:  # fmt: skip
    """The preview of a sheet or list that names people: saving it puts them on disk at the
    user's request, so the save is audited (``pdf_saved(what, entity_id)``)."""
    dialog = show_print_preview(parent, pdf, title, suggested_name)
    dialog.saved.connect(lambda _path: run_op(parent, lambda: service.pdf_saved(what, entity_id),
                                              lambda _r: None))  # fmt: skip
    return dialog

