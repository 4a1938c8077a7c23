"""Mark a resident as needing a home visit (or clear the mark), from the lookup's detail panel:
the officer who knows the person cannot come — bedridden, post-partum, no transport — says why,
and the supervisor finds them among the people to plan (gui/visits_dialog.py)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.labels import VISIT_REASONS, label
from db.service import StationService
from db.types import ResidentDetail
from gui.ops import run_op
from resources.i18n import _


class FlagVisitDialog(QDialog):
    flagged = Signal(str)  # the reason stored ("none": the mark was cleared)

    def __init__(self, service: StationService, person: ResidentDetail,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.service, self.person = service, person
        self.setWindowTitle(_("Home visit"))
        who = QLabel(", ".join(x for x in (person.full_name, person.birth_display,
                                           person.village) if x))  # fmt: skip
        who.setWordWrap(True)
        self.reason = QComboBox()
        self.reason.setObjectName("visitReason")
        for code in VISIT_REASONS:
            self.reason.addItem(label(VISIT_REASONS, code), code)
        self.reason.setCurrentIndex(max(0, self.reason.findData(person.home_visit_reason)))
        self.note = QLineEdit(person.home_visit_note or "")
        self.note.setObjectName("visitFlagNote")
        self.note.setMaxLength(500)
        self.note.setPlaceholderText(_("e.g. cannot sit up; call the son first"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)  # fmt: skip
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        form = QFormLayout()
        form.addRow(_("Reason:"), self.reason)
        form.addRow(_("Note:"), self.note)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addLayout(form)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

    def save(self) -> None:
        from gui.wizard.context import writer_pool

        self.ok.setEnabled(False)
        service, uuid = self.service, self.person.uuid
        reason, note = str(self.reason.currentData()), self.note.text()
        run_op(self, lambda: service.flag_for_visit(uuid, reason, note),
               lambda _r: self._done(reason), self._failed, pool=writer_pool())  # fmt: skip

    def _done(self, reason: str) -> None:
        self.flagged.emit(reason)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from gui.errors import show_error

        self.ok.setEnabled(True)
        show_error(self, exc)
