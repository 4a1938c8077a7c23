"""Print preview: the PDF shown from memory, printing off the UI thread (to a PDF printer, no
hardware), the no-printer message, and saving only when the officer chooses where."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox, QPushButton

from gui.print_preview import PrintPreviewDialog
from printing import SlipData, Station, build_slip, parse_slip_payload
from tests.printing.pdfcheck import decode_qr, needs_pdftoppm, page_count, render_pages

STATION = Station(agency_name="Công an xã Nà Hỳ", station_name="Trạm thu nhận trụ sở",
                  commune="xã Nà Hỳ", province="tỉnh Điện Biên")  # fmt: skip


@pytest.fixture
def slip_pdf() -> bytes:
    return build_slip(SlipData(
        station=STATION, enrollment_id="0b9f0a8e-4c1e-4f57-9f5e-1c2d3e4f5a6b",
        slip_no="NH-2026-000123", full_name="Nguyễn Thị Ánh Tuyết", personal_id="011190012345",
        birth_date=date(1950, 3, 12), received_at=datetime(2026, 3, 12, 1, 5, tzinfo=UTC),
        return_date=date(2026, 3, 23), officer_name="Lò Văn Đức",
        return_place="Trụ sở Công an xã Nà Hỳ",
    ))  # fmt: skip


@pytest.fixture
def dialog(qtbot: Any, slip_pdf: bytes) -> PrintPreviewDialog:
    d = PrintPreviewDialog(slip_pdf, "Giấy hẹn", "giay-hen.pdf")
    qtbot.addWidget(d)
    return d


@pytest.fixture
def no_printers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gui.printing.QPrinterInfo.availablePrinters", staticmethod(lambda: []))


def test_preview_loads_from_memory(dialog: PrintPreviewDialog) -> None:
    assert dialog.document.pageCount() == 1
    assert dialog.view.document() is dialog.document


def test_no_printer_says_so_and_writes_nothing(
    dialog: PrintPreviewDialog, no_printers: None, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path, qtbot: Any,
) -> None:  # fmt: skip
    shown: list[str] = []

    def info(parent: Any, title: str, text: str, *a: Any) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Close

    monkeypatch.setattr(QMessageBox, "information", staticmethod(info))
    def never(*a: Any, **k: Any) -> str:
        pytest.fail("no save unless chosen")

    monkeypatch.setattr("gui.print_preview.save_file_name", never)
    qtbot.mouseClick(dialog.print_button, qtbot_button())
    assert len(shown) == 1 and ("printer" in shown[0].lower() or "máy in" in shown[0].lower())
    assert list(tmp_path.iterdir()) == []


def test_no_printer_then_save_as_pdf(
    dialog: PrintPreviewDialog, no_printers: None, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path, slip_pdf: bytes, qtbot: Any,
) -> None:  # fmt: skip
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda *a: QMessageBox.StandardButton.Save))  # fmt: skip
    monkeypatch.setattr("gui.print_preview.save_file_name",
                        lambda *a, **k: str(tmp_path / "giay-hen"))  # fmt: skip
    with qtbot.waitSignal(dialog.saved, timeout=2000) as saved:
        qtbot.mouseClick(dialog.print_button, qtbot_button())
    assert saved.args == [str(tmp_path / "giay-hen.pdf")]
    assert (tmp_path / "giay-hen.pdf").read_bytes() == slip_pdf


def test_save_cancelled_writes_nothing(
    dialog: PrintPreviewDialog, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("gui.print_preview.save_file_name", lambda *a, **k: "")
    assert dialog.save_pdf() is None
    assert list(tmp_path.iterdir()) == []


@needs_pdftoppm
def test_print_runs_off_the_ui_thread_and_the_qr_survives(
    dialog: PrintPreviewDialog, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qtbot: Any
) -> None:
    import threading

    from gui import printing as gp

    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    threads: list[bool] = []
    real = gp.print_pdf

    def spy(pdf: bytes, p: QPrinter) -> int:
        threads.append(threading.current_thread() is threading.main_thread())
        return real(pdf, p)

    monkeypatch.setattr("gui.print_preview.print_pdf", spy)
    monkeypatch.setattr("gui.print_preview.printers_available", lambda: True)
    monkeypatch.setattr(dialog, "choose_printer", lambda: printer)
    with qtbot.waitSignal(dialog.printed, timeout=20000) as done:
        qtbot.mouseClick(dialog.print_button, qtbot_button())
    assert done.args == [1] and threads == [False]
    assert dialog.print_button.isEnabled()
    pdf = out.read_bytes()
    assert page_count(pdf) == 1
    png = render_pages(pdf, tmp_path, dpi=150, stem="printed")[0]
    assert parse_slip_payload(decode_qr(png)) == ("0b9f0a8e-4c1e-4f57-9f5e-1c2d3e4f5a6b",
                                                  "NH-2026-000123")  # fmt: skip


def qtbot_button() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_the_reprint_dialog_fits_a_1366x768_screen_with_its_buttons_visible(
    dialog: PrintPreviewDialog, qtbot: Any
) -> None:
    from PySide6.QtCore import QPoint, QSize

    from gui.print_preview import fit_size

    room = QSize(1366, 740)  # 1366×768 less a panel
    fitted = fit_size(room)
    assert fitted.width() <= 760 and fitted.height() <= room.height() - 40
    assert fit_size(QSize(1920, 1080)) == QSize(760, 900)  # a large screen: the full size
    hint = dialog.sizeHint()
    screen = dialog.available()
    assert hint.width() <= min(1366, screen.width()) and hint.height() <= min(740, screen.height())
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    dialog.resize(fitted)  # as on the officer's screen
    dialog.show()
    qtbot.waitExposed(dialog)
    for button in (dialog.print_button, dialog.save_button, dialog.findChild(QPushButton, "close")):
        assert button is not None and button.isVisible()
        bottom = button.mapTo(dialog, QPoint(0, button.height()))
        assert 0 <= bottom.y() <= dialog.height(), button.objectName()
        assert button.mapTo(dialog, QPoint(button.width(), 0)).x() <= dialog.width()
