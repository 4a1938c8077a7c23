"""The audit trail for supervisors and administrators, in words: who (full name), did what
("Xem hồ sơ"), about what (a slip number or a resident's name, looked up now for this reader —
the event holds ids only), filtered by day, officer and action; the chain verified on demand (in
the background: a million events take a few seconds). Codes and full ids are in the
expandable technical details of the selected event, for whoever must report them.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.labels import ACTIONS
from db.service import StationService
from db.types import AuditRow, OfficerInfo, VerifyResult
from db.vntime import to_local, today_local
from gui.audit_words import action_text, broken_message, intact_message, subject_text
from gui.errors import show_error
from gui.ops import run_op
from printing.text import fmt_int
from resources.i18n import _

LIMIT = 2000
COLUMNS = ("time", "officer", "action", "subject", "details")


class AuditDialog(QDialog):
    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.rows: list[AuditRow] = []
        self.setWindowTitle(_("Audit trail"))
        self.resize(1150, 640)
        self.use_day = QCheckBox(_("Day:"))
        self.use_day.setChecked(True)
        today = today_local()  # Vietnam's day, whatever the computer's time zone
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.officer = QComboBox()
        self.officer.setObjectName("auditOfficer")
        self.officer.addItem(_("All officers"), None)
        for o in self._officers():
            self.officer.addItem(f"{o.full_name} ({o.username})", o.username)
        self.action = QComboBox()
        self.action.setObjectName("auditAction")
        self.action.addItem(_("All actions"), None)
        for text, code in sorted((action_text(c), c) for c in ACTIONS):
            self.action.addItem(text, code)
        self.action.setMaxVisibleItems(20)
        self.verify_button = QPushButton(_("Verify the chain"))
        self.verify_button.setObjectName("auditVerify")
        self.verify_button.clicked.connect(self.verify)
        filters = QHBoxLayout()
        for w in (self.use_day, self.day, QLabel(_("Officer:")), self.officer,
                  QLabel(_("Action:")), self.action):  # fmt: skip
            filters.addWidget(w)
        filters.addStretch(1)
        filters.addWidget(self.verify_button)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("auditTable")
        self.table.setHorizontalHeaderLabels(
            [_("Time"), _("Officer"), _("Action"), _("About"), _("Details")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)

        self.more = QPushButton(_("Technical details ▸"))
        self.more.setObjectName("auditMore")
        self.more.setCheckable(True)
        self.more.setFlat(True)
        self.more.toggled.connect(self._toggle_details)
        self.details = QPlainTextEdit()
        self.details.setObjectName("auditDetails")
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(130)
        self.details.hide()
        self.chain = QLabel()
        self.chain.setObjectName("auditChain")
        self.chain.setWordWrap(True)
        self.chain.setText(_("The chain of the trail has not been checked in this window yet."))
        self.status = QLabel()
        self.status.setObjectName("auditStatus")
        close = QPushButton(_("Close"))
        close.setObjectName("auditClose")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status)
        bottom.addSpacing(12)
        bottom.addWidget(self.chain, 1)
        bottom.addWidget(self.more)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(bottom)

        self.use_day.toggled.connect(lambda _on: self.reload())
        self.day.dateChanged.connect(lambda _d: self.reload())
        self.officer.currentIndexChanged.connect(lambda _i: self.reload())
        self.action.currentIndexChanged.connect(lambda _i: self.reload())
        self.reload()

    def _officers(self) -> list[OfficerInfo]:
        try:
            return self.service.officers() if self.service.allowed("officer.list") else []
        except Exception as exc:
            show_error(self, exc)
            return []

    # --- listing --------------------------------------------------------------------------

    def reload(self) -> None:
        day = None
        if self.use_day.isChecked():
            picked = self.day.date()
            day = date(picked.year(), picked.month(), picked.day())
        self.day.setEnabled(self.use_day.isChecked())
        action = self.action.currentData()
        try:
            rows = self.service.audit_events(day=day, officer=self.officer.currentData(),
                                             action=action, exact=action is not None,
                                             limit=LIMIT)  # fmt: skip
        except Exception as exc:
            show_error(self, exc)
            return
        self.rows = rows
        self.table.setRowCount(len(rows))
        time_format = "%H:%M:%S" if day is not None else "%d/%m/%Y %H:%M:%S"
        for i, r in enumerate(rows):
            cells = [to_local(r.at).strftime(time_format), officer_text(r),
                     action_text(r.action), subject_text(r), r.details_text()]  # fmt: skip
            tip = technical_text(r)
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                self.table.setItem(i, j, item)
        more = _(" (the newest {n})").format(n=fmt_int(LIMIT)) if len(rows) >= LIMIT else ""
        self.status.setText(_("{n} events").format(n=fmt_int(len(rows))) + more)
        self.details.setPlainText("")
        if rows:
            self.table.selectRow(0)
            self._selected()  # the same row as before: no selection signal

    def _selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            self.details.setPlainText(technical_text(self.rows[row]))

    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.more.setText(_("Technical details ▾") if shown else _("Technical details ▸"))

    # --- the chain ------------------------------------------------------------------------

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.chain.setStyleSheet("")
        self.chain.setText(_("Verifying the audit trail…"))

        def done(result: VerifyResult) -> None:
            self.verify_button.setEnabled(True)
            if result.ok:
                self.chain.setText(intact_message(result))
                self.chain.setStyleSheet("color: #1b6e20")
            else:
                self.chain.setText(broken_message(result))
                self.chain.setStyleSheet("color: #b00020; font-weight: bold")

        def failed(exc: BaseException) -> None:
            self.verify_button.setEnabled(True)
            self.chain.setText("")
            show_error(self, exc)

        run_op(self, self.service.verify_audit, done, failed)


def officer_text(row: AuditRow) -> str:
    if row.officer == "system":
        return _("the program")
    return row.officer_name or row.officer


def technical_text(row: AuditRow) -> str:
    """Everything the event stores, as stored: for a report to the province."""
    lines = [
        _("Event no.: {seq}").format(seq=row.seq),
        _("Time (UTC): {at}").format(at=row.at.strftime("%Y-%m-%d %H:%M:%S")),
        _("Action code: {code}").format(code=row.action),
        _("User name: {user}").format(user=row.officer),
        _("Object: {entity} {id}").format(entity=row.entity or "–", id=row.entity_id or ""),
        _("Details as stored: {details}").format(details=row.details or "–"),
        _("Station: {id}").format(id=row.station_id),
    ]
    return "\n".join(lines)
