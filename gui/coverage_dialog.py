"""Lãnh đạo → Độ phủ: how far the commune is from everyone enrolled (issue 14), per village,
on screen and as the A4 sheet — the same figures as ``main.py coverage`` (db/coverage.py).

Counted on a worker thread (gui/ops.run_op): a commune's register is a fraction of a second, a
province's a few seconds. Only counts are shown; saving the sheet is audited.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.service import StationService
from db.types import CoverageReport, CoverageRow
from db.vntime import today_local
from gui.ops import run_op
from printing.text import fmt_int, fmt_pct
from resources.i18n import _

UNKNOWN = "(không rõ)"
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _columns() -> tuple[str, ...]:
    return (_("Village"), _("Must hold a card"), _("Enrolled"), _("In progress"), _("Not yet"),
            _("Not applicable"), _("Share"))  # fmt: skip


def cells(row: CoverageRow) -> list[str]:
    return [row.label or UNKNOWN, fmt_int(row.must_hold), fmt_int(row.enrolled),
            fmt_int(row.in_progress), fmt_int(row.not_yet), fmt_int(row.not_applicable),
            fmt_pct(row.enrolled, row.must_hold)]  # fmt: skip


class CoverageDialog(QDialog):
    """Pick the day ages are counted on; the table fills; "Print or save…" shows the sheet."""

    shown = Signal(object)  # the report, once on screen (tests, the screenshots)
    built = Signal(bytes)

    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.report: CoverageReport | None = None
        self.setWindowTitle(_("Enrollment coverage"))
        self.resize(860, 560)
        today = today_local()
        self.on = QDateEdit(QDate(today.year, today.month, today.day))
        self.on.setObjectName("coverageOn")
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("dd/MM/yyyy")
        self.total = QLabel()
        self.total.setObjectName("coverageTotal")
        self.total.setWordWrap(True)
        self.table = QTableWidget(0, len(_columns()))
        self.table.setObjectName("coverageTable")
        self.table.setHorizontalHeaderLabels(list(_columns()))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(_columns())):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.count_button = QPushButton(_("Count again"))
        self.count_button.setObjectName("coverageCount")
        self.print_button = QPushButton(_("Print or save…"))
        self.print_button.setObjectName("coveragePrint")
        self.print_button.setEnabled(False)
        close = QPushButton(_("Close"))
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Ages on:")))
        top.addWidget(self.on)
        top.addWidget(self.count_button)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.total)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.count_button.clicked.connect(self.count)
        self.print_button.clicked.connect(self.print_sheet)
        close.clicked.connect(self.reject)
        self.count()

    def day(self) -> date:
        q = self.on.date()
        return date(q.year(), q.month(), q.day())

    def count(self) -> None:
        self.count_button.setEnabled(False)
        self.total.setText(_("Counting…"))
        service, on = self.service, self.day()
        run_op(self, lambda: service.coverage(on), self._shown, self._failed)

    def _shown(self, report: CoverageReport) -> None:
        self.report = report
        self.count_button.setEnabled(True)
        self.print_button.setEnabled(True)
        t = report.total
        self.total.setText(_("Commune: {progress}; in progress {p}, not yet {n}, not applicable "
                             "{x}.").format(progress=t.progress_text(), p=fmt_int(t.in_progress),
                                            n=fmt_int(t.not_yet), x=fmt_int(t.not_applicable)))
        self.table.setRowCount(len(report.villages))
        for r, row in enumerate(report.villages):
            for c, text in enumerate(cells(row)):
                item = QTableWidgetItem(text)
                if c:  # figures line up on the right, as on the sheet
                    item.setTextAlignment(RIGHT)
                self.table.setItem(r, c, item)
        self.shown.emit(report)

    def print_sheet(self) -> None:
        if self.report is None:
            return
        service, report = self.service, self.report
        self.print_button.setEnabled(False)

        def op() -> bytes:
            from printing.coverage import build_coverage

            return build_coverage(service.coverage_sheet(report))

        run_op(self, op, self._built, self._failed)

    def _built(self, pdf: bytes) -> None:
        from gui.print_preview import show_print_preview

        self.print_button.setEnabled(True)
        assert self.report is not None
        on = self.report.on
        preview = show_print_preview(self, pdf, _("Enrollment coverage"),
                                     f"do-phu-{on.isoformat()}.pdf")  # fmt: skip
        service = self.service

        def saved(_path: str) -> None:  # counts only, but a saved file is still audited
            run_op(self, lambda: service.pdf_saved("coverage", on.isoformat()), lambda _r: None)

        preview.saved.connect(saved)
        self.built.emit(pdf)

    def _failed(self, exc: BaseException) -> None:
        from gui.errors import show_error

        self.count_button.setEnabled(True)
        self.print_button.setEnabled(self.report is not None)
        self.total.setText("")
        show_error(self, exc)
