"""Lãnh đạo → Cấp đổi thẻ: who reaches a card age (14, 25, 40, 60) from 1 January to N months
ahead and must get a card, by village (db/renewals.py) — on screen and as the A4 list, the
same as ``main.py renewals``. Those whose card issue date is unknown are marked on screen and
listed apart on paper.

Listed on a worker thread (gui/ops.run_op); the list names people, so it is audited by the
service, and saving it is audited too.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.service import StationService
from db.types import Renewal
from db.vntime import today_local
from gui.coverage_dialog import unknown
from gui.ops import run_op
from printing.text import fmt_int
from resources.i18n import _

DEFAULT_MONTHS = 3  # as ``main.py renewals`` (db/renewals.DEFAULT_MONTHS)
MAX_MONTHS = 120


def _columns() -> tuple[str, ...]:
    return (_("Village"), _("Full name"), _("Date of birth"), _("Card issued"), _("Card age"),
            _("Due"))  # fmt: skip


def cells(r: Renewal) -> list[str]:
    due = str(r.due.year) if r.birth_date is None else r.due.strftime("%d/%m/%Y")
    issued = _("unknown") if r.card_issued is None else r.card_issued.strftime("%d/%m/%Y")
    age = str(r.milestone)
    if r.card_issued is None and r.milestone == 14:
        age += " – " + _("first card")
    return [r.village or unknown(), r.full_name, r.birth_display, issued, age, due]


class RenewalsDialog(QDialog):
    """Months ahead in a spin box; the list fills; "Print or save…" shows the A4 list."""

    shown = Signal(object)  # the list, once on screen (tests)
    built = Signal(bytes)

    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.found: list[Renewal] | None = None
        self.asked: tuple[int, date] = (DEFAULT_MONTHS, today_local())
        self.setWindowTitle(_("Card renewals"))
        self.resize(960, 700)  # within 1366×740
        self.months = QSpinBox()
        self.months.setObjectName("renewalsMonths")
        self.months.setRange(0, MAX_MONTHS)
        self.months.setValue(DEFAULT_MONTHS)
        self.months.setSuffix(" " + _("months"))
        self.summary = QLabel()
        self.summary.setObjectName("renewalsSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(_columns()))
        self.table.setObjectName("renewalsTable")
        self.table.setHorizontalHeaderLabels(list(_columns()))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.list_button = QPushButton(_("List"))
        self.list_button.setObjectName("renewalsList")
        self.print_button = QPushButton(_("Print or save…"))
        self.print_button.setObjectName("renewalsPrint")
        self.print_button.setEnabled(False)
        self.plan_button = QPushButton(_("Plan home visits…"))
        self.plan_button.setObjectName("renewalsPlan")
        self.plan_button.setToolTip(_("Put the selected people (or everyone shown) on a home "
                                      "visit plan"))  # fmt: skip
        self.plan_button.setVisible(service.allowed("visit.plan"))
        self.plan_button.setEnabled(False)
        close = QPushButton(_("Close"))
        top = QHBoxLayout()
        top.addWidget(QLabel(_("From 1 January to")))
        top.addWidget(self.months)
        top.addWidget(QLabel(_("ahead")))
        top.addWidget(self.list_button)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.plan_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.list_button.clicked.connect(self.fetch)
        self.print_button.clicked.connect(self.print_list)
        self.plan_button.clicked.connect(self.plan_visits)
        close.clicked.connect(self.reject)
        self.fetch()

    def fetch(self) -> None:
        self.list_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.summary.setText(_("Counting…"))
        service, months, on = self.service, self.months.value(), today_local()
        self.asked = (months, on)
        run_op(self, lambda: service.renewals(months, on), self._shown, self._failed)

    def _shown(self, found: list[Renewal]) -> None:
        self.found = found
        self.list_button.setEnabled(True)
        self.print_button.setEnabled(True)
        undated = sum(1 for r in found if r.card_issued is None)
        if found:
            self.summary.setText(_("{n} people must get a card; of them, card issue date "
                                   "unknown: {u}.").format(n=fmt_int(len(found)),
                                                           u=fmt_int(undated)))  # fmt: skip
        else:
            self.summary.setText(_("Nobody reaches a card age in this period. Choose more months "
                                   "ahead and press List."))  # fmt: skip
        self.table.setRowCount(len(found))
        for row, r in enumerate(found):
            for col, text in enumerate(cells(r)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.plan_button.setEnabled(bool(found))
        self.shown.emit(found)

    def plan_visits(self) -> None:
        """Those who must renew and cannot come: the selected rows (or all) to a visit plan."""
        from gui.visits_dialog import Candidate, VisitsDialog

        found = self.found or []
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        picked = [found[r] for r in rows if r < len(found)] or found
        people = [Candidate(r.uuid, r.full_name, r.birth_display, r.village or "", "",
                            "search") for r in picked]  # fmt: skip
        VisitsDialog(self.service, self, people).exec()

    def print_list(self) -> None:
        if self.found is None:
            return
        service, found, (months, on) = self.service, self.found, self.asked
        self.print_button.setEnabled(False)

        def op() -> bytes:
            from printing.renewals import build_renewals

            return build_renewals(service.renewals_sheet(found, months, on))

        run_op(self, op, self._built, self._failed)

    def _built(self, pdf: bytes) -> None:
        from gui.print_preview import show_audited_preview

        self.print_button.setEnabled(True)
        on = self.asked[1]
        show_audited_preview(self, self.service, pdf, _("Card renewals"),
                             f"cap-doi-the-{on.isoformat()}.pdf", "renewals", on.isoformat())
        self.built.emit(pdf)

    def _failed(self, exc: BaseException) -> None:
        from gui.errors import show_error

        self.list_button.setEnabled(True)
        self.print_button.setEnabled(self.found is not None)
        self.summary.setText("")
        show_error(self, exc)
