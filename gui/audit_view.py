"""The audit trail for supervisors and administrators: filter by day, officer and action;
verify the chain on demand (in the background: a million events take a few seconds)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.service import StationService
from db.types import VerifyResult
from db.vntime import to_local
from gui.errors import show_error
from gui.ops import run_op
from resources.i18n import _

LIMIT = 2000


class AuditDialog(QDialog):
    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle(_("Audit trail"))
        self.resize(1150, 640)
        self.use_day = QCheckBox(_("Day:"))
        self.use_day.setChecked(True)
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.officer = QLineEdit()
        self.officer.setPlaceholderText(_("user name"))
        self.action = QLineEdit()
        self.action.setPlaceholderText(_("action, e.g. signin"))
        self.action.setMinimumWidth(230)  # the code filtered by (column "Action")
        show = QPushButton(_("Show"))
        show.clicked.connect(self.reload)
        self.verify_button = QPushButton(_("Verify the chain"))
        self.verify_button.clicked.connect(self.verify)
        filters = QHBoxLayout()
        for w in (self.use_day, self.day, QLabel(_("Officer:")), self.officer,
                  QLabel(_("Action:")), self.action, show):  # fmt: skip
            filters.addWidget(w)
        filters.addStretch(1)
        filters.addWidget(self.verify_button)
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("auditTable")
        self.table.setHorizontalHeaderLabels(
            [_("No."), _("Time"), _("Officer"), _("Action"), _("What happened"), _("Object"),
             _("Details")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col in range(6):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.status = QLabel()
        self.status.setObjectName("auditStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.officer.returnPressed.connect(self.reload)
        self.action.returnPressed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        picked = self.day.date()
        day = None
        if self.use_day.isChecked():
            day = date(picked.year(), picked.month(), picked.day())
        try:
            rows = self.service.audit_events(day=day, officer=self.officer.text() or None,
                                             action=self.action.text().strip() or None,
                                             limit=LIMIT)  # fmt: skip
        except Exception as exc:
            show_error(self, exc)
            return
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            obj, short = r.object_text(), r.object_text(short=True)
            cells = [str(r.seq), to_local(r.at).strftime("%d/%m/%Y %H:%M:%S"), r.officer,
                     r.action, r.action_text(), short, r.details_text()]  # fmt: skip
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == 5 and short != obj:
                    item.setToolTip(obj)  # the whole enrollment id
                self.table.setItem(i, j, item)
        more = _(" (the newest {n})").format(n=LIMIT) if len(rows) >= LIMIT else ""
        self.status.setText(_("{n} events").format(n=len(rows)) + more)

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.status.setText(_("Verifying the audit trail…"))

        def done(result: VerifyResult) -> None:
            self.verify_button.setEnabled(True)
            if result.ok:
                self.status.setText(
                    _("Audit trail intact: {n} events verified.").format(n=result.checked)
                )
            else:
                from gui.audit_words import broken_message

                self.status.setText(broken_message(result))
                self.status.setStyleSheet("color: #b00020")

        def failed(exc: BaseException) -> None:
            self.verify_button.setEnabled(True)
            show_error(self, exc)

        run_op(self, self.service.verify_audit, done, failed)
