"""The lookup screen: type a name, an ID number, a year or a village; results as you type.

Searches run off the UI thread; a result that arrives after a newer query was typed is
dropped, so the table always matches the search box.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.labels import DC01_LABELS, VISIT_REASONS, label
from db.service import StationService
from db.types import EnrollmentState, ResidentDetail, SearchResult
from gui.ops import run_op
from gui.resident_model import STATE_COLUMN, ResidentTableModel, sex_label, state_text
from resources.i18n import N_, _, translate_joined
from resources.problems import describe, log_unexpected

TYPING_PAUSE_MS = 120


def state_line(state: EnrollmentState | None) -> str:
    """The detail panel's enrollment line: the state, its slip number, open ones if several."""
    if state is None:
        return _("No enrollment yet")
    text = state_text(state)
    if state.receipt_no:
        text += " · " + _("slip {slip}").format(slip=state.receipt_no)
    return text


def home_visit_label(reason: str, note: str | None = None) -> str:
    """Why the person needs a home visit, and the note of whoever marked it (none: empty)."""
    if reason == "none":
        return ""
    text = label(VISIT_REASONS, reason)
    return f"{text} – {note}" if note else text


class ResidentDetailPanel(QFrame):
    """Everything the register says of the selected person."""

    FIELDS = (
        ("full_name", N_("Full name")),
        ("enrollment_state", N_("Enrollment")),
        ("birth_display", N_("Date of birth")),
        ("sex", N_("Sex")),
        ("personal_id", N_("Personal ID number")),
        ("old_id", N_("Old ID (CMND)")),
        ("ethnicity", N_("Ethnicity")),
        ("religion", N_("Religion")),
        ("hometown", N_("Hometown")),
        ("village", N_("Village")),
        ("household_no", N_("Household no.")),
        ("relation_to_head", N_("Relation to head")),
        ("residence_type", N_("Residence")),
        ("phone", N_("Phone")),
        ("home_visit_reason", N_("Home visit")),
        ("review_flags", N_("To review")),
        *DC01_LABELS.items(),  # a person added at the desk: what form DC01 recorded
    )

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("detailPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = self.form = QFormLayout(self)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.values: dict[str, QLabel] = {}
        title = QLabel(_("Resident details"))
        title.setObjectName("panelTitle")
        layout.addRow(title)
        for key, caption in self.FIELDS:
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            value.setObjectName(f"detail_{key}")
            self.values[key] = value
            layout.addRow(_(caption) + ":", value)
        self.flag_button = QPushButton(_("Home visit…"))
        self.flag_button.setObjectName("flagVisit")
        self.flag_button.setToolTip(_("Mark that this person cannot come to the office"))
        layout.addRow(self.flag_button)
        self.shown: ResidentDetail | None = None
        self.can_flag = False  # the signed-in role may mark home visits (set by the lookup)
        self.show_detail(None)

    def show_detail(self, d: ResidentDetail | None) -> None:
        self.shown = d
        self.flag_button.setVisible(d is not None and self.can_flag)
        if d is None:
            for value in self.values.values():
                value.setText("")
            for key in DC01_LABELS:
                self.form.setRowVisible(self.values[key], False)
            return
        residence = {"permanent": _("Permanent"), "temporary": _("Temporary")}
        shown = {
            "full_name": d.full_name,
            "birth_display": d.birth_display,
            "sex": sex_label(d.sex),
            "personal_id": d.personal_id or "",
            "old_id": d.old_id or "",
            "ethnicity": d.ethnicity or "",
            "religion": d.religion or "",
            "hometown": d.hometown or "",
            "village": d.village or "",
            "household_no": d.household_no or "",
            "relation_to_head": d.relation_to_head or "",
            "residence_type": residence.get(d.residence_type or "", ""),
            "phone": d.phone or "",
            "home_visit_reason": home_visit_label(d.home_visit_reason, d.home_visit_note),
            "review_flags": translate_joined(d.review_flags) if d.review_flags else "",
        }
        shown["enrollment_state"] = state_line(d.enrollment_state)
        for key in DC01_LABELS:
            shown[key] = d.extra.get(key, "")
        for key, text in shown.items():
            self.values[key].setText(text)
        self.form.setRowVisible(self.values["review_flags"], bool(d.review_flags))
        for key in DC01_LABELS:
            self.form.setRowVisible(self.values[key], bool(shown[key]))
        state = self.values["enrollment_state"]
        state.setStyleSheet("font-weight: bold; color: #8a5a00;" if d.enrollment_state and
                            d.enrollment_state.open_count else "")  # fmt: skip


class LookupPage(QWidget):
    """Search box, results table, detail panel."""

    resident_chosen = Signal(int)  # Enter / double click on a result: the resident's id
    search_finished = Signal()  # for tests and the status bar

    def __init__(self, service_of: Callable[[], StationService]) -> None:
        super().__init__()
        self.service_of = service_of  # the window's signed-in service (searches are audited)
        self._seq = 0
        self._shown_seq = 0

        self.box = QLineEdit()
        self.box.setObjectName("searchBox")
        self.box.setPlaceholderText(
            _("Name (with or without accents), ID number, birth year, village…")
        )
        self.box.setClearButtonEnabled(True)
        self.status = QLabel(_("Type a name to search the register."))
        self.status.setObjectName("searchStatus")

        self.model = ResidentTableModel()
        self.table = QTableView()
        self.table.setObjectName("results")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3, 4, STATE_COLUMN):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.detail = ResidentDetailPanel()

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.box)
        lv.addWidget(self.status)
        lv.addWidget(self.table, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QHBoxLayout(self)
        layout.addWidget(splitter)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(TYPING_PAUSE_MS)
        self.timer.timeout.connect(self.search_now)
        self.box.textChanged.connect(lambda _text: self.timer.start())
        self.box.returnPressed.connect(self._enter)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.table.doubleClicked.connect(lambda index: self._choose(index.row()))
        self.detail.flag_button.clicked.connect(self.flag_shown)
        # first searches hit a warm cache; a failure here only means slower first searches
        run_op(self, service_of().warm_search, lambda _none: None,
               lambda exc: log_unexpected(exc, "warming the search"))  # fmt: skip

    def showEvent(self, event: QShowEvent) -> None:
        """Back from the wizard: search again, so each result's enrollment state is current
        (after the window's own reaction: "next person" clears the box first)."""
        super().showEvent(event)
        if self._shown_seq:
            QTimer.singleShot(0, self, self._search_again)

    def _search_again(self) -> None:
        if self.box.text().strip() and not self.timer.isActive():
            self.search_now()

    def focus_search(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    def search_now(self) -> None:
        self.timer.stop()
        query = self.box.text().strip()
        self._seq += 1
        seq = self._seq
        if not query:
            self._show(seq, SearchResult([], False))
            return
        service = self.service_of()
        run_op(self, lambda: service.search(query), lambda r: self._show(seq, r),
               lambda exc: self._failed(seq, exc))  # fmt: skip

    def _failed(self, seq: int, exc: BaseException) -> None:
        """A search that failed says so where the results would be (no dialog while typing)."""
        if seq != self._seq:
            return
        log_unexpected(exc, "search")
        self._shown_seq = seq
        self.model.set_hits([])
        self.detail.show_detail(None)
        self.status.setText(_("The search failed: {reason}").format(reason=describe(exc)))
        self.search_finished.emit()

    def _show(self, seq: int, result: SearchResult) -> None:
        if seq < self._shown_seq or seq != self._seq:
            return  # an older query answered late
        self._shown_seq = seq
        rows = self.table.selectionModel().selectedRows()
        before = self.model.hit(rows[0].row()) if rows else None
        self.model.set_hits(result.hits)
        n = len(result.hits)
        if not self.box.text().strip():
            self.status.setText(_("Type a name to search the register."))
        elif n == 0:
            self.status.setText(_("Nobody found. Check the spelling, or try fewer words."))
        elif result.more:
            self.status.setText(
                _("{count}+ people found: add a word, a birth year or a village.").format(count=n)
            )
        else:
            self.status.setText(_("{count} people found.").format(count=n))
        if n:  # the same person stays selected when the same search is run again
            ids = [h.id for h in result.hits]
            self.table.selectRow(ids.index(before.id) if before and before.id in ids else 0)
        else:
            self.detail.show_detail(None)
        self.search_finished.emit()

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        hit = self.model.hit(rows[0].row()) if rows else None
        if hit is None:
            self.detail.show_detail(None)
            return
        rid, service = hit.id, self.service_of()
        run_op(self, lambda: service.resident(rid), self._detail_loaded)

    def _detail_loaded(self, detail: ResidentDetail | None) -> None:
        rows = self.table.selectionModel().selectedRows()
        hit = self.model.hit(rows[0].row()) if rows else None
        if detail is not None and hit is not None and hit.id == detail.id:
            self.detail.can_flag = self.service_of().allowed("visit.record")
            self.detail.show_detail(detail)

    def flag_shown(self) -> None:
        """Mark (or unmark) the person shown for a home visit; their details show it after."""
        person, service = self.detail.shown, self.service_of()
        if person is None:
            return
        from gui.visit_flag import FlagVisitDialog

        dialog = FlagVisitDialog(service, person, self)
        rid = person.id
        dialog.flagged.connect(lambda _r: run_op(self, lambda: service.resident(rid),
                                                 self._detail_loaded))  # fmt: skip
        dialog.exec()

    def _enter(self) -> None:
        if self.timer.isActive() or self._shown_seq != self._seq:
            self.search_now()
            return
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._choose(rows[0].row())

    def _choose(self, row: int) -> None:
        hit = self.model.hit(row)
        if hit is not None:
            self.resident_chosen.emit(hit.id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Up/Down in the search box move through the results without leaving the box.
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.rowCount():
            rows = self.table.selectionModel().selectedRows()
            row = rows[0].row() if rows else -1
            row += 1 if event.key() == Qt.Key.Key_Down else -1
            self.table.selectRow(max(0, min(row, self.model.rowCount() - 1)))
            return
        super().keyPressEvent(event)
