"""Lãnh đạo → Độ phủ: how far the commune is from everyone enrolled (issue 14), per village,
on screen and as the A4 sheet — the same figures as ``main.py coverage`` (db/coverage.py).

Counted on a worker thread (gui/ops.run_op): a commune's register is a fraction of a second, a
province's a few seconds. Only counts are shown; saving the sheet is audited.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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
from db.types import NO_VILLAGE, CoverageList, CoverageListRow, CoverageReport, CoverageRow
from db.vntime import today_local
from gui.ops import run_op
from printing.text import fmt_int, fmt_pct
from resources.i18n import _


def unknown() -> str:
    """A line without a village, in the reader's language."""
    return "(" + _("unknown") + ")"

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


#: The state behind each column whose number opens a list (db/coverage_lists.py).
COLUMN_STATES = {2: "enrolled", 3: "in_progress", 4: "not_yet", 5: "not_applicable"}


def _columns() -> tuple[str, ...]:
    return (_("Village"), _("Must hold a card"), _("Enrolled"), _("In progress"), _("Not yet"),
            _("Not applicable"), _("Share"), _("VNeID requests"), _("Cards arrived"),
            _("Cards handed over"))  # fmt: skip


def cells(row: CoverageRow) -> list[str]:
    return [row.label or unknown(), fmt_int(row.must_hold), fmt_int(row.enrolled),
            fmt_int(row.in_progress), fmt_int(row.not_yet), fmt_int(row.not_applicable),
            fmt_pct(row.enrolled, row.must_hold), fmt_int(row.vneid_requests),
            fmt_int(row.cards_arrived), fmt_int(row.cards_delivered)]  # fmt: skip


class CoverageDialog(QDialog):
    """Pick the day ages are counted on; the table fills; "Print or save…" shows the sheet."""

    shown = Signal(object)  # the report, once on screen (tests, the screenshots)
    built = Signal(bytes)

    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.report: CoverageReport | None = None
        self.setWindowTitle(_("Enrollment coverage"))
        self.resize(1120, 700)  # every village of a commune without scrolling, within 1366×740
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
        self.table.setToolTip(_("Double-click a number to see who is behind it."))
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
        self.table.cellDoubleClicked.connect(self.open_cell)
        close.clicked.connect(self.reject)
        self.lists: list[QDialog] = []  # the lists opened (tests)
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
        progress = _("enrolled {done}/{of} ({pct})").format(  # the table's number formats
            done=fmt_int(t.enrolled), of=fmt_int(t.must_hold), pct=fmt_pct(t.enrolled, t.must_hold))
        self.total.setText(_("Commune: {progress}; in progress {p}, not yet {n}, not applicable "
                             "{x}.").format(progress=progress, p=fmt_int(t.in_progress),
                                            n=fmt_int(t.not_yet), x=fmt_int(t.not_applicable)))
        rows = (*report.villages, report.total)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            texts = cells(row)
            if row is report.total:
                texts[0] = _("Whole commune")
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if c:  # figures line up on the right, as on the sheet
                    item.setTextAlignment(RIGHT)
                if row is report.total:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        self.shown.emit(report)

    def cell_village(self, row: int) -> str | None:
        """The village a table row stands for: a name, NO_VILLAGE, or None (the commune)."""
        assert self.report is not None
        if row >= len(self.report.villages):
            return None
        line = self.report.villages[row]
        return line.label if line.key else NO_VILLAGE

    def open_cell(self, row: int, column: int) -> None:
        """A number of the table opened as the list of its residents (other columns: the
        not-yet list of that line)."""
        if self.report is None:
            return
        state = COLUMN_STATES.get(column, "not_yet")
        dialog = CoverageListDialog(self.service, self.report.on, state,
                                    self.cell_village(row), parent=self)  # fmt: skip
        self.lists.append(dialog)
        dialog.show()

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
        from gui.print_preview import show_audited_preview

        self.print_button.setEnabled(True)
        assert self.report is not None
        on = self.report.on  # counts only, but a saved file is still audited
        show_audited_preview(self, self.service, pdf, _("Enrollment coverage"),
                             f"do-phu-{on.isoformat()}.pdf", "coverage", on.isoformat())
        self.built.emit(pdf)

    def _failed(self, exc: BaseException) -> None:
        from gui.errors import show_error

        self.count_button.setEnabled(True)
        self.print_button.setEnabled(self.report is not None)
        self.total.setText("")
        show_error(self, exc)


def _groups() -> tuple[tuple[str, str], ...]:
    return (("must_hold", _("aged 14 and over")), ("aged_6_13", _("aged 6–13")),
            ("under_6", _("under 6")))  # fmt: skip


def _states() -> tuple[tuple[str, str], ...]:
    return (("enrolled", _("Enrolled")), ("in_progress", _("In progress")),
            ("not_yet", _("Not yet")), ("not_applicable", _("Not applicable")))  # fmt: skip


def _list_columns() -> tuple[str, ...]:
    return (_("Full name"), _("Date of birth"), _("Sex"), _("Village"), _("Household"),
            _("Phone"), _("Home visit"), _("Notes"))  # fmt: skip


def list_cells(r: CoverageListRow) -> list[str]:
    from gui.lookup import home_visit_label

    sex = {"M": _("Male"), "F": _("Female")}.get(r.sex or "", "")
    return [r.full_name, r.birth_display, sex, r.village or unknown(), r.household_no or "",
            r.phone or "", home_visit_label(r.home_visit_reason), r.home_visit_note or ""]


class CoverageListDialog(QDialog):
    """Who is behind one number: the age group and state can be changed, the list fetched off
    the UI thread; "only those needing a home visit" filters what is shown (and printed)."""

    shown = Signal(object)  # the CoverageList on screen, once filled
    built = Signal(bytes)

    def __init__(self, service: StationService, on: date, state: str = "not_yet",
                 village: str | None = None, group: str | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.service, self.on, self.village = service, on, village
        self.found: CoverageList | None = None
        where = (_("Whole commune") if village is None
                 else (village or unknown()))  # fmt: skip
        self.setWindowTitle(_("Coverage list") + " – " + where)
        self.resize(1200, 660)  # room for the home-visit notes, within 1366×740
        self.group = QComboBox()
        self.group.setObjectName("coverageListGroup")
        for code, text in _groups():
            self.group.addItem(text, code)
        self.group.setCurrentIndex(max(0, self.group.findData(group or "must_hold")))
        self.state = QComboBox()
        self.state.setObjectName("coverageListState")
        for code, text in _states():
            self.state.addItem(text, code)
        self.state.setCurrentIndex(max(0, self.state.findData(state)))
        self.visits_only = QCheckBox(_("Only those needing a home visit"))
        self.visits_only.setObjectName("coverageListVisits")
        self.summary = QLabel()
        self.summary.setObjectName("coverageListSummary")
        self.empty = QLabel()  # what an empty list means, over where the rows would be
        self.empty.setObjectName("coverageListEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.table = QTableWidget(0, len(_list_columns()))
        self.table.setObjectName("coverageListTable")
        self.table.setHorizontalHeaderLabels(list(_list_columns()))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.print_button = QPushButton(_("Print or save…"))
        self.print_button.setObjectName("coverageListPrint")
        self.print_button.setEnabled(False)
        self.plan_button = QPushButton(_("Plan home visits…"))
        self.plan_button.setObjectName("coverageListPlan")
        self.plan_button.setToolTip(_("Put the selected people (or everyone shown) on a home "
                                      "visit plan"))  # fmt: skip
        self.plan_button.setVisible(service.allowed("visit.plan"))
        self.plan_button.setEnabled(False)
        close = QPushButton(_("Close"))
        top = QHBoxLayout()
        top.addWidget(QLabel(where))
        top.addWidget(self.group)
        top.addWidget(self.state)
        top.addWidget(self.visits_only)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.plan_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.group.currentIndexChanged.connect(self.fetch)
        self.state.currentIndexChanged.connect(self.fetch)
        self.visits_only.toggled.connect(self._fill)
        self.print_button.clicked.connect(self.print_list)
        self.plan_button.clicked.connect(self.plan_visits)
        close.clicked.connect(self.reject)
        self.fetch()

    def cell(self) -> tuple[str, str | None]:
        """The state and age group chosen (no group for those not applicable)."""
        state = str(self.state.currentData())
        return state, None if state == "not_applicable" else str(self.group.currentData())

    def fetch(self) -> None:
        state, group = self.cell()
        self.group.setEnabled(group is not None)  # those not applicable are in no age group
        service, on, village = self.service, self.on, self.village
        self.found = None
        self.print_button.setEnabled(False)
        self.summary.setText(_("Counting…"))
        run_op(self, lambda: service.coverage_list(state, group, village, on), self._fetched,
               self._failed)  # fmt: skip

    def _fetched(self, found: CoverageList) -> None:
        if (found.state, found.group) != self.cell():
            return  # an older answer: the choice changed while it was fetched
        self.found = found
        self._fill()

    def shown_list(self) -> CoverageList | None:
        """What is on screen: the whole cell, or its home-visit cases only."""
        if self.found is None or not self.visits_only.isChecked():
            return self.found
        rows = tuple(r for r in self.found.rows if r.home_visit_reason != "none")
        return replace(self.found, rows=rows, home_visits_only=True)

    def _fill(self) -> None:
        shown = self.shown_list()
        if shown is None:
            return
        self.table.setRowCount(len(shown.rows))
        for r, row in enumerate(shown.rows):
            for c, text in enumerate(list_cells(row)):
                item = QTableWidgetItem(text)
                if c == len(_list_columns()) - 1 and text:
                    item.setToolTip(text)  # a long note, whole
                self.table.setItem(r, c, item)
        n = fmt_int(len(shown.rows))
        assert self.found is not None
        if shown.home_visits_only:
            self.summary.setText(_("{n} of {m} people need a home visit").format(
                n=n, m=fmt_int(len(self.found.rows))))  # fmt: skip
        else:
            self.summary.setText(_("{n} people").format(n=n))
        self.empty.setVisible(not shown.rows)
        if not shown.rows:
            self.empty.setText(_("Nobody here needs a home visit. Untick the box to see everyone.")
                               if shown.home_visits_only else
                               _("Nobody in this list. Choose another age group or state "
                                 "above."))  # fmt: skip
        self.print_button.setEnabled(True)
        self.plan_button.setEnabled(bool(shown.rows) and shown.state in ("not_yet",
                                                                          "in_progress"))
        self.shown.emit(shown)

    def to_plan(self) -> list[CoverageListRow]:
        """The people a plan would take: those selected, or everyone shown."""
        shown = self.shown_list()
        if shown is None:
            return []
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        picked = [shown.rows[r] for r in rows if r < len(shown.rows)]
        return picked or list(shown.rows)

    def plan_visits(self) -> None:
        from gui.visits_dialog import Candidate, VisitsDialog

        people = [Candidate(r.uuid, r.full_name, r.birth_display, r.village or "",
                            r.household_no or "", "search") for r in self.to_plan()]
        VisitsDialog(self.service, self, people).exec()

    def print_list(self) -> None:
        shown = self.shown_list()
        if shown is None:
            return
        service = self.service
        self.print_button.setEnabled(False)

        def op() -> bytes:
            from printing.coverage import build_coverage_list

            return build_coverage_list(service.coverage_list_sheet(shown))

        run_op(self, op, self._built, self._failed)

    def _built(self, pdf: bytes) -> None:
        from gui.print_preview import show_audited_preview

        self.print_button.setEnabled(True)
        on = self.on
        show_audited_preview(self, self.service, pdf, _("Coverage list"),
                             f"danh-sach-do-phu-{on.isoformat()}.pdf", "coverage", on.isoformat())
        self.built.emit(pdf)

    def _failed(self, exc: BaseException) -> None:
        from gui.errors import show_error

        self.print_button.setEnabled(self.found is not None)
        self.summary.setText("")
        show_error(self, exc)
