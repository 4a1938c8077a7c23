"""Lãnh đạo → Chất lượng dữ liệu: the register-quality report ("sạch, sống", db/quality.py) and
its actions — the same report as ``main.py register-quality``.

One tab for likely duplicates (each group's residents side by side: name, ID number, birth,
village, household; "Cùng một người (giữ bản này)" keeps the selected record and joins the
others to it, "Không phải một người" dismisses the group for good) and one per kind of defect
(a resident's record: "Đã mất", "Đã chuyển đi", "Sửa…"). The report and every action run on a
worker thread (gui/ops.run_op); after an action the report is made again. Sized for 1366×768.
"""

from __future__ import annotations

from datetime import date
from itertools import combinations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.labels import FIELD_LABELS, QUALITY_KINDS
from db.service import StationService
from db.types import DuplicateGroup, QualityReport, QualityResident
from db.vntime import today_local
from gui.ops import run_op
from printing.text import fmt_int
from resources.i18n import _

FIX_FIELDS = ("full_name", "birth", "sex", "personal_id", "village", "household_no")


def _tab_titles() -> dict[str, str]:
    """Short tab titles (the kind's full sentence heads the tab): six tabs fit 1366 px."""
    return {"missing_id": _("No ID number"), "id_mismatch": _("ID number mismatch"),
            "missing_fields": _("Incomplete"), "no_village": _("No village"),
            "implausible_age": _("Over 110")}  # fmt: skip


def _columns() -> tuple[str, ...]:
    return (_("Full name"), _("Personal ID number"), _("Date of birth"), _("Sex"), _("Village"),
            _("Household no."))  # fmt: skip


def cells(r: QualityResident) -> list[str]:
    sex = {"M": _("Male"), "F": _("Female")}.get(r.sex or "", "")
    return [r.full_name, r.personal_id or "", r.birth_display, sex, r.village or "",
            r.household_no or ""]  # fmt: skip


#: The field a kind of defect asks to correct first (missing fields: the first one empty).
KIND_FIELDS = {"missing_id": "personal_id", "id_mismatch": "personal_id",
               "no_village": "village", "implausible_age": "birth"}  # fmt: skip


def field_to_fix(kind: str, r: QualityResident) -> str:
    """What the officer most likely came to correct, chosen when the dialog opens."""
    if kind == "missing_fields":
        empty = {"full_name": not r.full_name.strip(),
                 "birth": r.birth_date is None and r.birth_year is None, "sex": not r.sex}
        return next((name for name, missing in empty.items() if missing), "full_name")
    return KIND_FIELDS.get(kind, "full_name")


def _table(name: str) -> QTableWidget:
    table = QTableWidget(0, len(_columns()))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(_columns()))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for col in range(1, len(_columns())):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, people: tuple[QualityResident, ...]) -> None:
    table.setRowCount(len(people))
    for row, r in enumerate(people):
        for col, text in enumerate(cells(r)):
            table.setItem(row, col, QTableWidgetItem(text))
    if people:
        table.selectRow(0)


class FixDialog(QDialog):
    """One field of a resident's record, corrected (the register's own checks apply)."""

    def __init__(self, resident: QualityResident, parent: QWidget | None = None,
                 field: str = "full_name") -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(_("Correct the record"))
        self.resident = resident
        self.field = QComboBox()
        self.field.setObjectName("fixField")
        for name in FIX_FIELDS:
            self.field.addItem(_(FIELD_LABELS[name]), name)
        self.value = QLineEdit()
        self.value.setObjectName("fixValue")
        hint = QLabel(_("Date of birth as dd/mm/yyyy or the year alone; sex as Nam or Nữ."))
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(QLabel(resident.full_name))
        form.addRow(_("Field:"), self.field)
        form.addRow(_("New value:"), self.value)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)  # fmt: skip
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.field.setCurrentIndex(max(0, self.field.findData(field)))
        self.field.currentIndexChanged.connect(self._current)
        self._current()

    def _current(self) -> None:
        r, name = self.resident, self.chosen_field()
        shown = {"full_name": r.full_name, "birth": r.birth_display,
                 "sex": {"M": "Nam", "F": "Nữ"}.get(r.sex or "", ""),
                 "personal_id": r.personal_id or "", "village": r.village or "",
                 "household_no": r.household_no or ""}  # fmt: skip
        self.value.setText(shown[name])

    def chosen_field(self) -> str:
        return str(self.field.currentData())


class QualityDialog(QDialog):
    """The report in tabs; every action is asked of the core, which checks the role again."""

    shown = Signal(object)  # the report, once on screen (tests, the screenshots)
    acted = Signal(str)  # an action done ("same", "dismiss", "deceased", "moved_away", "fix")

    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.report: QualityReport | None = None
        self.groups: tuple[DuplicateGroup, ...] = ()
        self.setWindowTitle(_("Register data quality"))
        self.resize(1040, 640)
        self.summary = QLabel()
        self.summary.setObjectName("qualitySummary")
        self.summary.setWordWrap(True)
        self.again = QPushButton(_("Check again"))
        self.again.setObjectName("qualityAgain")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("qualityTabs")
        self.tabs.setUsesScrollButtons(False)
        self.group_list = QListWidget()
        self.group_list.setObjectName("qualityGroups")
        self.group_table = _table("qualityGroupTable")
        self.same_button = QPushButton(_("Same person (keep this record)"))
        self.same_button.setObjectName("qualitySame")
        self.dismiss_button = QPushButton(_("Not the same person"))
        self.dismiss_button.setObjectName("qualityDismiss")
        dup_tab = QWidget()
        dup = QVBoxLayout(dup_tab)
        dup.addWidget(self.group_list, 2)
        dup.addWidget(QLabel(_("Records of the selected group (select the one to keep):")))
        dup.addWidget(self.group_table, 2)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.same_button)
        row.addWidget(self.dismiss_button)
        dup.addLayout(row)
        self.tabs.addTab(dup_tab, _("Likely duplicates"))
        self.finding_tables: dict[str, QTableWidget] = {}
        self.finding_heads: dict[str, QLabel] = {}
        self.finding_people: dict[str, tuple[QualityResident, ...]] = {}
        self.finding_buttons: dict[str, list[QPushButton]] = {}
        for kind in ("missing_id", "id_mismatch", "missing_fields", "no_village",
                     "implausible_age"):  # fmt: skip
            self.tabs.addTab(self._finding_tab(kind), _tab_titles()[kind])
        close = QPushButton(_("Close"))
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.again)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.again.clicked.connect(self.check)
        self.group_list.currentRowChanged.connect(self._group_chosen)
        self.same_button.clicked.connect(self.same_person)
        self.dismiss_button.clicked.connect(self.dismiss)
        close.clicked.connect(self.reject)
        self._busy(True)
        self.check()

    def _finding_tab(self, kind: str) -> QWidget:
        tab = QWidget()
        table = _table(f"quality_{kind}")
        self.finding_tables[kind] = table
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.finding_buttons[kind] = []
        for text, name, slot in (
            (_("Deceased"), "deceased", lambda: self.mark(kind, "deceased")),
            (_("Moved away"), "moved_away", lambda: self.mark(kind, "moved_away")),
            (_("Correct…"), "fix", lambda: self.fix(kind)),
        ):
            button = QPushButton(text)
            button.setObjectName(f"quality_{kind}_{name}")
            button.clicked.connect(slot)
            button.setEnabled(False)  # until the report lists someone to act on
            self.finding_buttons[kind].append(button)
            buttons.addWidget(button)
        head = QLabel(_(QUALITY_KINDS[kind]))
        head.setObjectName(f"quality_{kind}_head")
        self.finding_heads[kind] = head
        layout = QVBoxLayout(tab)
        layout.addWidget(head)
        layout.addWidget(table, 1)
        layout.addLayout(buttons)
        return tab

    # --- the report -------------------------------------------------------------------

    def day(self) -> date:
        return today_local()

    def _busy(self, busy: bool) -> None:
        """While the report is made or an action runs, nothing else; then only the buttons
        that have someone to act on."""
        self.again.setEnabled(not busy)
        for w in (self.same_button, self.dismiss_button):
            w.setEnabled(not busy and bool(self.groups))
        for kind, buttons in self.finding_buttons.items():
            for w in buttons:
                w.setEnabled(not busy and bool(self.finding_people.get(kind)))

    def check(self) -> None:
        self._busy(True)
        self.summary.setText(_("Checking the register…"))
        service, on = self.service, self.day()
        run_op(self, lambda: service.register_quality(on), self._shown, self._failed)

    def _shown(self, report: QualityReport) -> None:
        self.report = report
        strict = sum(not g.weak for g in report.duplicates)
        self.summary.setText(_("{n} residents checked: {d} likely duplicates, {w} weaker "
                               "candidates, {f} records to complete.").format(
            n=fmt_int(report.examined), d=fmt_int(strict),
            w=fmt_int(len(report.duplicates) - strict),
            f=fmt_int(sum(f.count for f in report.findings))))  # fmt: skip
        self.groups = report.duplicates
        self.group_list.clear()
        for g in self.groups:
            names = " — ".join(r.full_name for r in g.residents)
            self.group_list.addItem(f"{_(QUALITY_KINDS[g.kind])}: {names}")
        if not self.groups:  # an empty list says so, and that nothing is to be done
            note = QListWidgetItem(_("No likely duplicates: nothing to do here."))
            note.setFlags(Qt.ItemFlag.NoItemFlags)
            self.group_list.addItem(note)
        self.tabs.setTabText(0, _("Likely duplicates") + f" ({len(self.groups)})")
        if self.groups:
            self.group_list.setCurrentRow(0)
        else:
            self.group_table.setRowCount(0)
        for n, f in enumerate(report.findings, start=1):
            self.finding_people[f.kind] = f.residents
            _fill(self.finding_tables[f.kind], f.residents)
            self.tabs.setTabText(n, f"{_tab_titles()[f.kind]} ({f.count})")
            shown = (_("{kind}: {n}, the first {m} listed") if f.count > len(f.residents)
                     else _("{kind}: {n}") if f.count else _("{kind}: none, nothing to do here."))
            self.finding_heads[f.kind].setText(shown.format(
                kind=_(QUALITY_KINDS[f.kind]), n=fmt_int(f.count),
                m=fmt_int(len(f.residents))))  # fmt: skip
        self._busy(False)
        self.shown.emit(report)

    def _group_chosen(self, row: int) -> None:
        if 0 <= row < len(self.groups):
            _fill(self.group_table, self.groups[row].residents)

    def _failed(self, exc: BaseException) -> None:
        from gui.errors import show_error

        self._busy(False)
        self.summary.setText("")
        show_error(self, exc)

    # --- the actions ------------------------------------------------------------------

    def _run(self, what: str, op: object) -> None:
        self._busy(True)

        def done(_result: object) -> None:
            self.acted.emit(what)
            self.check()

        run_op(self, op, done, self._failed)  # type: ignore[arg-type]

    def _group(self) -> DuplicateGroup | None:
        row = self.group_list.currentRow()
        return self.groups[row] if 0 <= row < len(self.groups) else None

    def same_person(self) -> None:
        g = self._group()
        keep_row = self.group_table.currentRow()
        if g is None or not 0 <= keep_row < len(g.residents):
            return
        keep = g.residents[keep_row].uuid
        others = [r.uuid for r in g.residents if r.uuid != keep]
        service = self.service

        def op() -> None:
            for uuid in others:
                service.mark_same_person(keep, uuid)

        self._run("same", op)

    def dismiss(self) -> None:
        g = self._group()
        if g is None:
            return
        pairs = list(combinations([r.uuid for r in g.residents], 2))
        service = self.service

        def op() -> None:
            for a, b in pairs:
                service.dismiss_pair(a, b)

        self._run("dismiss", op)

    def _chosen(self, kind: str) -> QualityResident | None:
        row = self.finding_tables[kind].currentRow()
        people = self.finding_people.get(kind, ())
        return people[row] if 0 <= row < len(people) else None

    def mark(self, kind: str, status: str) -> None:
        r = self._chosen(kind)
        if r is None:
            return
        service, uuid = self.service, r.uuid
        self._run(status, lambda: service.mark_resident(uuid, status))

    def fix(self, kind: str) -> None:
        r = self._chosen(kind)
        if r is None:
            return
        ask = FixDialog(r, self, field_to_fix(kind, r))
        if ask.exec() != QDialog.DialogCode.Accepted:
            return
        self.fix_field(r.uuid, ask.chosen_field(), ask.value.text())

    def fix_field(self, uuid: str, field: str, value: str) -> None:
        service = self.service
        self._run("fix", lambda: service.fix_resident(uuid, field, value))


__all__ = ["FixDialog", "QualityDialog"]
