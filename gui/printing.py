"""Sending PDF bytes (built in memory by printing/) to a printer with QtPdf + QPrinter.

Everything here may run on a worker thread: the document is loaded into a QPdfDocument of the
calling thread from a QBuffer (no temporary file: a slip holds personal data), pages are
rendered to images and painted on the QPrinter, which Qt allows off the GUI thread (QPainter on
QImage / QPrinter). Only the choice of printer (QPrintDialog) happens on the GUI thread.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

log = logging.getLogger(__name__)

MAX_DPI = 300  # enough for text and a QR code; more only makes the job slower and larger


class PrintError(Exception):
    """The document could not be sent to the printer (message shown to the officer)."""


def load_pdf(pdf: bytes) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument reading from memory; keep the buffer alive as long as the document."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    doc.load(buffer)
    if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() < 1:
        raise PrintError("the document cannot be read")
    return doc, buffer


def printers_available() -> bool:
    return bool(QPrinterInfo.availablePrinters())


def render_page(doc: QPdfDocument, page: int, dpi: float) -> QImage:
    """One page as an image at ``dpi`` (its size in points comes from the PDF)."""
    points = doc.pagePointSize(page)
    size = QSize(
        max(1, round(points.width() * dpi / 72)), max(1, round(points.height() * dpi / 72))
    )
    return doc.render(page, size)


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Paint every page of ``pdf`` on ``printer``; returns the number of pages printed.

    Each page is scaled to fit the printable area, keeping its proportions and centred, so an
    A5 slip comes out right on an A4 printer and an 80 mm roll slip on a receipt printer.
    """
    doc, buffer = load_pdf(pdf)
    dpi = min(printer.resolution(), MAX_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("the printer cannot be opened")
    try:
        count = doc.pageCount()
        for page in range(count):
            if page:
                printer.newPage()
            image = render_page(doc, page, dpi)
            area = printer.pageRect(QPrinter.Unit.DevicePixel)
            scale = min(area.width() / image.width(), area.height() / image.height())
            w, h = image.width() * scale, image.height() * scale
            target = QRectF((area.width() - w) / 2, (area.height() - h) / 2, w, h)
            painter.drawImage(target, image)
    finally:
        painter.end()
        doc.close()
        buffer.close()
    log.info("printed a document of %d page(s)", count)
    return count
