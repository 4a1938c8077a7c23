"""Lãnh đạo → Kế hoạch đến nhà: the supervisor's home-visit plan (db/visits.py, issue 14).

Left, the people to plan: everyone marked for a home visit who is not enrolled and not on an
open visit, plus anyone found by a search; ticked, they go on the chosen day's plan for the
chosen team (this station or a paired laptop: a laptop's plan travels with its next work
packet) and mode. Right, the day's plan with what came of each visit, the outcome to record and
the A4 list to print. Every read and write runs on a worker thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.labels import VISIT_MODES, VISIT_OUTCOMES, VISIT_REASONS, label
from db.service import StationService
from db.types import SearchResult, VisitInfo, VisitPlanResult
from db.vntime import today_local
from gui.ops import run_op
from resources.i18n import _


@dataclass(frozen=True)
class Candidate:
    """A person the supervisor may put on the plan; ``reason`` "search": brought in by a
    search or from another list (not marked for a visit)."""

    uuid: str
    name: str
    birth: str
    village: str
    household: str
    reason: str


def _table(columns: list[str], name: str) -> QTableWidget:
    t = QTableWidget(0, len(columns))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(columns)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    header = t.horizontalHeader()  # names in full; the last column takes what is left
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return t


def _date_edit(day: date, name: str) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit


class VisitsDialog(QDialog):
    loaded = Signal()  # both lists on screen (tests, screenshots)
    planned = Signal(object)  # VisitPlanResult
    built = Signal(bytes)

    def __init__(self, service: StationService, parent: QWidget | None = None,
                 people: Sequence[Candidate] = (), mode: str | None = None) -> None:  # fmt: skip
        """``people``: residents to plan brought from another list (coverage, renewals, the
        cards waiting), shown first and already selected; ``mode``: how the team goes, chosen
        (a card taken home: "deliver")."""
        super().__init__(parent)
        self.service = service
        self.can_plan = service.allowed("visit.plan")
        self.candidates: list[Candidate] = [
            Candidate(p.uuid, p.name, p.birth, p.village, p.household, "search") for p in people]
        self._preselect = {p.uuid for p in people}
        self._mode_wanted = mode
        self.plan_items: list[VisitInfo] = []
        self.setWindowTitle(_("Home visit plan"))
        self.resize(1340, 660)
        self.day_edit = _date_edit(today_local(), "visitDay")
        self.day_edit.setMinimumDate(QDate(2020, 1, 1))
        self.team = QComboBox()
        self.team.setObjectName("visitTeam")
        for station_id, name in service.visit_teams():
            self.team.addItem(name, station_id)
        reload = QPushButton(_("Show"))
        reload.setObjectName("visitReload")
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Day:")))
        top.addWidget(self.day_edit)
        top.addWidget(QLabel(_("Team:")))
        top.addWidget(self.team, 1)
        top.addWidget(reload)
        top.addStretch(1)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self._planning_box())
        split.addWidget(self._plan_box())
        split.setSizes([630, 710])
        close = QPushButton(_("Close"))
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        reload.clicked.connect(self.refresh)
        self.day_edit.dateChanged.connect(lambda _d: self.refresh())
        self.team.currentIndexChanged.connect(lambda _i: self.refresh())
        close.clicked.connect(self.reject)
        self._pending = 0
        self.refresh()

    # --- layout -------------------------------------------------------------------------

    def _planning_box(self) -> QGroupBox:
        box = QGroupBox(_("People to plan"))
        self.search = QLineEdit()
        self.search.setObjectName("visitSearch")
        self.search.setPlaceholderText(_("Add someone: name or ID number, then Enter"))
        find = QPushButton(_("Find"))
        self.people = _table([_("Full name"), _("Born"), _("Village"), _("Household"),
                              _("Reason")], "visitCandidates")  # fmt: skip
        self.people.setSelectionMode(QTableWidget.SelectionMode.MultiSelection)
        self.mode = QComboBox()
        self.mode.setObjectName("visitMode")
        for code in VISIT_MODES:
            self.mode.addItem(label(VISIT_MODES, code), code)
        if self._mode_wanted is not None:
            self.mode.setCurrentIndex(max(0, self.mode.findData(self._mode_wanted)))
        self.note = QLineEdit()
        self.note.setObjectName("visitNote")
        self.note.setMaxLength(500)
        self.note.setPlaceholderText(_("Note for the team (optional)"))
        self.plan_button = QPushButton(_("Put on the plan"))
        self.plan_button.setObjectName("visitPlan")
        self.planning_status = QLabel()
        self.planning_status.setObjectName("visitPlanningStatus")
        self.planning_status.setWordWrap(True)
        find_row = QHBoxLayout()
        find_row.addWidget(self.search, 1)
        find_row.addWidget(find)
        how = QHBoxLayout()
        how.addWidget(QLabel(_("Mode:")))
        how.addWidget(self.mode)
        how.addWidget(self.note, 1)
        layout = QVBoxLayout(box)
        layout.addLayout(find_row)
        layout.addWidget(self.people, 1)
        layout.addWidget(self.planning_status)
        layout.addLayout(how)
        layout.addWidget(self.plan_button, 0, Qt.AlignmentFlag.AlignRight)
        self.search.returnPressed.connect(self.find_people)
        find.clicked.connect(self.find_people)
        self.plan_button.clicked.connect(self.plan)
        self.people.itemSelectionChanged.connect(self._selection)
        box.setEnabled(self.can_plan)
        return box

    def _plan_box(self) -> QGroupBox:
        box = QGroupBox(_("The day's plan"))
        self.plan_title = QLabel()
        self.plan_title.setObjectName("visitPlanTitle")
        self.plan_table = _table([_("Full name"), _("Village"), _("Household"), _("Mode"),
                                  _("Outcome")], "visitPlanTable")  # fmt: skip
        self.plan_table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.outcome_button = QPushButton(_("Record the outcome…"))
        self.outcome_button.setObjectName("visitOutcomeButton")
        self.print_button = QPushButton(_("Print or save the list…"))
        self.print_button.setObjectName("visitPrint")
        buttons = QHBoxLayout()
        buttons.addWidget(self.outcome_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.plan_title)
        layout.addWidget(self.plan_table, 1)
        layout.addLayout(buttons)
        self.outcome_button.clicked.connect(self.record_outcome)
        self.plan_table.itemDoubleClicked.connect(lambda _i: self.record_outcome())
        self.plan_table.itemSelectionChanged.connect(self._plan_selection)
        self.print_button.clicked.connect(self.print_list)
        return box

    # --- reading ----------------------------------------------------------------------

    def day(self) -> date:
        q = self.day_edit.date()
        return date(q.year(), q.month(), q.day())

    def team_id(self) -> str:
        return str(self.team.currentData())

    def refresh(self) -> None:
        service, day, team = self.service, self.day(), self.team_id()
        self._pending = 2 if self.can_plan else 1
        self.plan_title.setText(_("Loading…"))
        run_op(self, lambda: service.visits(day, team=team), self._show_plan, self._failed)
        if self.can_plan:
            run_op(self, service.visit_candidates, self._show_candidates, self._failed)

    def _one_loaded(self) -> None:
        self._pending -= 1
        if self._pending <= 0:
            self.loaded.emit()

    def _show_candidates(self, found: list[VisitInfo]) -> None:
        extra = [c for c in self.candidates if c.reason == "search"]
        self.candidates = [Candidate(v.resident_uuid, v.full_name, v.birth_display,
                                     v.village or "", v.household_no or "",
                                     label(VISIT_REASONS, v.reason)) for v in found]  # fmt: skip
        known = {c.uuid for c in self.candidates}
        self.candidates = [c for c in extra if c.uuid not in known] + self.candidates
        self._fill_candidates()
        if self._preselect:
            for r, c in enumerate(self.candidates):
                if c.uuid in self._preselect:
                    self.people.selectRow(r)
            self._preselect = set()
        self._one_loaded()

    def _fill_candidates(self) -> None:
        self.people.setRowCount(len(self.candidates))
        for r, c in enumerate(self.candidates):
            reason = _("found by search") if c.reason == "search" else c.reason
            for col, text in enumerate((c.name, c.birth, c.village, c.household, reason)):
                self.people.setItem(r, col, QTableWidgetItem(text))
        self.planning_status.setText(
            _("{n} people marked for a home visit and not yet planned. Select the people to "
              "put on the plan.").format(n=len(self.candidates)) if self.candidates
            else _("Nobody marked for a home visit is waiting. Find someone to add above."))
        self._selection()

    def _show_plan(self, found: list[VisitInfo]) -> None:
        self.plan_items = found
        open_ = sum(1 for v in found if v.outcome is None)
        self.plan_title.setText(_("{day}: {n} visits, {o} not done yet").format(
            day=self.day().strftime("%d/%m/%Y"), n=len(found), o=open_))
        self.plan_table.setRowCount(len(found))
        for r, v in enumerate(found):
            done = label(VISIT_OUTCOMES, v.outcome) if v.outcome else _("not done yet")
            if v.outcome == "rescheduled" and v.next_day:
                done += " → " + v.next_day.strftime("%d/%m/%Y")
            for col, text in enumerate((v.full_name, v.village or "", v.household_no or "",
                                        label(VISIT_MODES, v.mode), done)):  # fmt: skip
                self.plan_table.setItem(r, col, QTableWidgetItem(text))
        self._plan_selection()
        self._one_loaded()

    def _failed(self, exc: BaseException) -> None:
        from gui.errors import show_error

        self.plan_title.setText("")
        self._one_loaded()
        self._selection()
        show_error(self, exc)

    # --- planning ---------------------------------------------------------------------

    def find_people(self) -> None:
        query = self.search.text().strip()
        if not query:
            return
        service = self.service
        run_op(self, lambda: service.search(query, limit=20), self._found, self._failed)

    def _found(self, result: SearchResult) -> None:
        known = {c.uuid for c in self.candidates}
        added = [Candidate(h.uuid, h.full_name, h.birth_display, h.village or "",
                           h.household_no or "", "search")
                 for h in result.hits if h.uuid not in known]  # fmt: skip
        self.candidates = added + self.candidates
        self._fill_candidates()
        for r in range(len(added)):
            self.people.selectRow(r)
        if not result.hits:
            self.planning_status.setText(_("Nobody found. Check the spelling or the ID number."))

    def selected_candidates(self) -> list[str]:
        rows = sorted({i.row() for i in self.people.selectedIndexes()})
        return [self.candidates[r].uuid for r in rows if r < len(self.candidates)]

    def _selection(self) -> None:
        n = len(self.selected_candidates())
        self.plan_button.setEnabled(self.can_plan and n > 0)
        self.plan_button.setText(_("Put {n} on the plan of {day}").format(
            n=n, day=self.day().strftime("%d/%m/%Y")) if n else _("Put on the plan"))

    def plan(self) -> None:
        chosen = self.selected_candidates()
        if not chosen:
            return
        from gui.wizard.context import writer_pool

        self.plan_button.setEnabled(False)
        service, day, team = self.service, self.day(), self.team_id()
        mode, note = str(self.mode.currentData()), self.note.text()
        run_op(self, lambda: service.plan_visits(chosen, day, team, mode, note), self._planned,
               self._failed, pool=writer_pool())  # fmt: skip

    def _planned(self, result: VisitPlanResult) -> None:
        self.candidates = [c for c in self.candidates if c.uuid not in set(result.planned)]
        self.note.clear()
        self.refresh()
        lines = [_("{n} people put on the plan.").format(n=len(result.planned))]
        if result.already_planned:
            lines.append(_("{n} already on an open visit: left out.").format(
                n=result.already_planned))
        if result.not_counted:
            lines.append(_("{n} deceased, moved away or duplicate records: left out.").format(
                n=result.not_counted))
        if result.no_card:
            lines.append(_("{n} without a card waiting: left out.").format(n=result.no_card))
        self.planned.emit(result)
        self.planning_status.setText(" ".join(lines))

    # --- the day's plan -----------------------------------------------------------------

    def selected_visit(self) -> VisitInfo | None:
        rows = {i.row() for i in self.plan_table.selectedIndexes()}
        row = min(rows) if rows else -1
        return self.plan_items[row] if 0 <= row < len(self.plan_items) else None

    def _plan_selection(self) -> None:
        v = self.selected_visit()
        self.outcome_button.setEnabled(v is not None and v.outcome is None)
        self.print_button.setEnabled(bool(self.plan_items))

    def record_outcome(self) -> None:
        v = self.selected_visit()
        if v is None or v.outcome is not None:
            return
        from gui.visit_outcome import VisitOutcomeDialog

        dialog = VisitOutcomeDialog(self.service, v, self)
        dialog.recorded.connect(lambda _info: self.refresh())
        dialog.exec()

    def print_list(self) -> None:
        service, day, team = self.service, self.day(), self.team_id()
        self.print_button.setEnabled(False)

        def op() -> bytes:
            from printing.visits import build_visit_sheet

            return build_visit_sheet(service.visit_sheet(day, team))

        run_op(self, op, self._built, self._failed)

    def _built(self, pdf: bytes) -> None:
        from gui.print_preview import show_audited_preview

        self._plan_selection()
        day = self.day()
        show_audited_preview(self, self.service, pdf, _("Home visit list"),
                             f"den-nha-{day.isoformat()}.pdf", "visits", day.isoformat())
        self.built.emit(pdf)
