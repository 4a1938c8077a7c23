"""The daily tally from the Supervision menu: a day or a range of days, previewed, then printed
or saved — the same figures and the same paper as ``main.py tally`` (db/tally.py, printing/).

The figures are counted and the PDF built on a worker thread (gui/ops.run_op): a range of
months reads one aggregate query, but ReportLab's layout still takes a moment. Nothing is
written to disk unless the supervisor saves the PDF, and that save is audited.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from db.service import StationService
from db.vntime import today_local
from gui.ops import run_op
from gui.print_preview import PrintPreviewDialog
from printing.text import fmt_period
from resources.i18n import _

if TYPE_CHECKING:
    from printing import TallyData


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _day(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def _date_edit(d: date, name: str) -> QDateEdit:
    edit = QDateEdit(_qdate(d))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")  # as Vietnamese write dates
    edit.setMaximumDate(_qdate(today_local()))
    return edit


class TallyDialog(QDialog):
    """Pick the days; "Preview…" builds the tally and opens the print preview."""

    built = Signal(bytes)  # the PDF, once built (tests, the screenshots)

    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.pdf: bytes | None = None
        self.preview: PrintPreviewDialog | None = None
        self.setWindowTitle(_("Daily tally"))
        self.setMinimumWidth(520)
        today = today_local()
        self.one_day = QRadioButton(_("One day"))
        self.one_day.setObjectName("tallyOneDay")
        self.one_day.setChecked(True)
        self.range = QRadioButton(_("Several days"))
        self.range.setObjectName("tallyRange")
        self.first = _date_edit(today, "tallyFirst")
        self.last = _date_edit(today, "tallyLast")
        self.to_label = QLabel(_("to"))
        self.prepared_by = QLineEdit(service.actor.full_name)
        self.prepared_by.setObjectName("tallyPreparedBy")
        self.message = QLabel()
        self.message.setObjectName("tallyMessage")
        self.message.setWordWrap(True)
        self.preview_button = QPushButton(_("Preview…"))
        self.preview_button.setObjectName("tallyPreview")
        self.preview_button.setDefault(True)
        close = QPushButton(_("Close"))
        close.setObjectName("tallyClose")

        days = QHBoxLayout()
        days.addWidget(self.first)
        days.addWidget(self.to_label)
        days.addWidget(self.last)
        days.addStretch(1)
        kind = QHBoxLayout()
        kind.addWidget(self.one_day)
        kind.addWidget(self.range)
        kind.addStretch(1)
        form = QFormLayout()
        form.addRow(_("Period:"), kind)
        form.addRow(_("Days:"), days)
        form.addRow(_("Prepared by:"), self.prepared_by)
        intro = QLabel(_("Enrollments received in these days, by officer, village and place, "
                         "with the approval status — the paper the head of the commune police "
                         "signs."))  # fmt: skip
        intro.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.one_day.toggled.connect(self._kind_changed)
        self.first.dateChanged.connect(self._first_changed)
        self.preview_button.clicked.connect(self.build)
        close.clicked.connect(self.reject)
        self._kind_changed()

    # --- the days -------------------------------------------------------------------------

    def _kind_changed(self, _on: bool = False) -> None:
        several = self.range.isChecked()
        self.last.setVisible(several)
        self.to_label.setVisible(several)
        if not several:
            self.last.setDate(self.first.date())

    def _first_changed(self, picked: QDate) -> None:
        if not self.range.isChecked() or self.last.date() < picked:
            self.last.setDate(picked)

    def choose(self, first: date, last: date | None = None) -> None:
        """Set the days as the supervisor would (tests, the screenshots)."""
        (self.range if last is not None and last != first else self.one_day).setChecked(True)
        self.first.setDate(_qdate(first))
        self.last.setDate(_qdate(last or first))

    def period(self) -> tuple[date, date]:
        first = _day(self.first.date())
        return first, (_day(self.last.date()) if self.range.isChecked() else first)

    # --- building -------------------------------------------------------------------------

    def build(self) -> None:
        first, last = self.period()
        if last < first:
            self.message.setStyleSheet("color: #b00020")
            self.message.setText(_("The last day is before the first one."))
            return
        self.message.setStyleSheet("")
        self.message.setText(_("Counting the enrollments and preparing the paper…"))
        self.preview_button.setEnabled(False)
        service, by = self.service, self.prepared_by.text().strip()

        def op() -> tuple[TallyData, bytes]:
            from printing import build_tally

            tally = service.tally(first, last, prepared_by=by)
            return tally, build_tally(tally)

        run_op(self, op, self._built, self._failed)

    def _built(self, result: tuple[TallyData, bytes]) -> None:
        from gui.print_preview import show_print_preview

        tally, pdf = result
        self.preview_button.setEnabled(True)
        self.pdf = pdf
        self.message.setText(summary(tally))
        first, last = tally.date_from, tally.date_to
        name = f"thong-ke-{first.isoformat()}" + (f"-{last.isoformat()}" if last != first
                                                  else "") + ".pdf"  # fmt: skip
        self.preview = show_print_preview(self, pdf, _("Daily tally"), name)
        service = self.service
        def saved(_path: str) -> None:  # a tally names officers: the save is audited
            run_op(self, lambda: service.pdf_saved("tally", first.isoformat()), lambda _r: None)

        self.preview.saved.connect(saved)
        self.built.emit(pdf)

    def _failed(self, exc: BaseException) -> None:
        from gui.errors import show_error

        self.preview_button.setEnabled(True)
        self.message.setText("")
        show_error(self, exc)


def summary(t: TallyData) -> str:
    """The figures in one sentence, under the days (what the paper shows first)."""
    return _("{period}: {total} enrollments received — {waiting} waiting for approval, "
             "{approved} approved, {returned} sent back; {exceptions} with an exception.").format(
        period=fmt_period(t.date_from, t.date_to), total=t.total, waiting=t.pending_approval,
        approved=t.approved, returned=t.returned, exceptions=t.exceptions) + " " + _(
        "Cards: {arrived} arrived, {delivered} handed over.").format(
        arrived=t.cards_arrived, delivered=sum(t.cards_delivered.values()))  # fmt: skip
