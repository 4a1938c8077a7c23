"""What came of a home visit, recorded when the team is back (db/visits.record_outcome).

The outcome is chosen explicitly — the list starts on "choose", and OK stays off until a
choice is made — so an Enter pressed by mistake records nothing false; a new day is asked only
for "rescheduled", and must be after today (the core checks it too).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.labels import VISIT_MODE_OUTCOMES, VISIT_OUTCOMES, VISIT_REASONS, label
from db.service import StationService
from db.types import VisitInfo
from db.vntime import today_local
from gui.ops import run_op
from resources.i18n import _


def visit_line(v: VisitInfo) -> str:
    """The person as the team knows them: name, birth, village and household, why."""
    where = ", ".join(x for x in (v.village, v.household_no and _("household {no}").format(
        no=v.household_no)) if x)  # fmt: skip
    parts = [v.full_name, v.birth_display, where, label(VISIT_REASONS, v.reason)]
    return " · ".join(p for p in parts if p)


class VisitOutcomeDialog(QDialog):
    recorded = Signal(object)  # the VisitInfo with its outcome

    def __init__(self, service: StationService, visit: VisitInfo,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.service, self.visit = service, visit
        self.setWindowTitle(_("Outcome of the home visit"))
        self.who = QLabel(visit_line(visit))
        self.who.setWordWrap(True)
        self.outcome = QComboBox()
        self.outcome.setObjectName("visitOutcome")
        self.outcome.addItem(_("— choose —"), None)
        for code in VISIT_MODE_OUTCOMES.get(visit.mode or "", tuple(VISIT_OUTCOMES)):
            self.outcome.addItem(label(VISIT_OUTCOMES, code), code)
        tomorrow = today_local() + timedelta(days=1)
        self.next_day = QDateEdit(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
        self.next_day.setObjectName("visitNextDay")
        self.next_day.setCalendarPopup(True)
        self.next_day.setDisplayFormat("dd/MM/yyyy")
        self.next_day.setMinimumDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
        self.next_label = QLabel(_("New day:"))
        self.note = QLineEdit()
        self.note.setObjectName("visitOutcomeNote")
        self.note.setMaxLength(500)
        self.note.setPlaceholderText(_("What the team found (optional)"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)  # fmt: skip
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Record"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        form = QFormLayout()
        form.addRow(_("Outcome:"), self.outcome)
        form.addRow(self.next_label, self.next_day)
        form.addRow(_("Note:"), self.note)
        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.outcome.currentIndexChanged.connect(lambda _i: self._changed())
        self.buttons.accepted.connect(self.record)
        self.buttons.rejected.connect(self.reject)
        self._changed()

    def chosen(self) -> str | None:
        code = self.outcome.currentData()
        return str(code) if code else None

    def _changed(self) -> None:
        code = self.chosen()
        self.ok.setEnabled(code is not None)
        later = code == "rescheduled"
        self.next_day.setVisible(later)
        self.next_label.setVisible(later)

    def day(self) -> date:
        q = self.next_day.date()
        return date(q.year(), q.month(), q.day())

    def record(self) -> None:
        code = self.chosen()
        if code is None:
            return
        from gui.wizard.context import writer_pool

        self.ok.setEnabled(False)
        service, uuid, note = self.service, self.visit.uuid, self.note.text()
        next_day = self.day() if code == "rescheduled" else None
        assert uuid is not None
        run_op(self, lambda: service.record_visit_outcome(uuid, code, note, next_day),
               self._done, self._failed, pool=writer_pool())  # fmt: skip

    def _done(self, info: VisitInfo) -> None:
        self.recorded.emit(info)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from gui.errors import show_error

        self._changed()
        show_error(self, exc)
