"""The lookup screen: type a name, an ID number, a year or a village; results as you type.

Searches run off the UI thread; a result that arrives after a newer query was typed is
dropped, so the table always matches the search box.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

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
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from capture.card.qr_text import CardQR, NotACardQR, looks_like_card, parse
from db.corrections import card_differences, register_values
from db.labels import DC01_LABELS, FIELD_LABELS, VISIT_REASONS, label
from db.service import StationService
from db.types import EnrollmentState, ResidentDetail, SearchResult
from gui.ops import run_op
from gui.resident_model import STATE_COLUMN, ResidentTableModel, sex_label, state_text
from printing.qr import SLIP_PREFIX as QR_SLIP_PREFIX
from resources.i18n import N_, _, ngettext, translate_joined
from resources.problems import describe, log_unexpected

if TYPE_CHECKING:
    from capture.sources import CameraSource

TYPING_PAUSE_MS = 120
SLIP_PREFIX = QR_SLIP_PREFIX + "|"  # an appointment slip's QR: a card task, not a search


def is_scanned_code(text: str) -> bool:
    """A card's QR text (12 digits and a pipe) or a slip's, as a scanner types it: never
    searched as words while it arrives; Enter reads it."""
    return looks_like_card(text) or text.lstrip().startswith(SLIP_PREFIX)


def card_lines(values: dict[str, str], card: CardQR, trusted: bool) -> str:
    """What the card says that the register does not, in words (the address as a hint)."""
    def shown(field: str, value: str) -> str:
        return (sex_label(value) if field == "sex" else value) or "—"

    lines = [_("{field}: the card says {card}, the register {register}").format(
        field=_(FIELD_LABELS.get(f, f)), card=shown(f, said), register=shown(f, held))
        for f, held, said in card_differences(values, card, letters_trusted=trusted)]
    if not lines:
        lines.append(_("The card agrees with the register."))
    if card.address:
        lines.append(_("Address on the card: {address}").format(address=card.address))
    if not trusted:
        lines.append(_("(read by the scanner: accents may be wrong)"))
    return "\n".join(lines)


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
        self.card_note = QLabel()  # what a scanned card says that the register does not
        self.card_note.setObjectName("cardDifferences")
        self.card_note.setWordWrap(True)
        self.card_note.setStyleSheet("color: #8a5a00; font-weight: bold;")
        layout.addRow(self.card_note)
        self.card_note.hide()
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
        self.handover_button = QPushButton(_("Hand the card over…"))
        self.handover_button.setObjectName("handOver")
        self.handover_button.setToolTip(_("The card has arrived: hand it over to this person"))
        layout.addRow(self.handover_button)
        self.shown: ResidentDetail | None = None
        self.can_flag = False  # the signed-in role may mark home visits (set by the lookup)
        self.can_hand_over = False  # … and hand cards over
        self.show_detail(None)

    def show_detail(self, d: ResidentDetail | None) -> None:
        self.shown = d
        self.card_note.hide()
        self.flag_button.setVisible(d is not None and self.can_flag)
        self.handover_button.setVisible(
            d is not None and self.can_hand_over and d.enrollment_state is not None
            and d.enrollment_state.status == "card_ready")  # fmt: skip
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

    def __init__(self, service_of: Callable[[], StationService],
                 camera_factory: Callable[[], CameraSource] | None = None) -> None:  # fmt: skip
        super().__init__()
        self.service_of = service_of  # the window's signed-in service (searches are audited)
        self.camera_factory = camera_factory
        self._seq = 0
        self._shown_seq = 0
        # the card read last (its holder is searched by number); trusted: read by the camera
        self.card: CardQR | None = None
        self.card_trusted = False

        self.box = QLineEdit()
        self.box.setObjectName("searchBox")
        self.box.setPlaceholderText(
            _("Name (with or without accents), ID number, birth year, village…")
        )
        self.box.setClearButtonEnabled(True)
        self.scan_button = QPushButton(_("Scan a card (F6)"))
        self.scan_button.setObjectName("scanCard")
        self.scan_button.setToolTip(_("Read the QR code of a chip ID card with the camera"))
        self.scan_button.setShortcut("F6")
        self.scan_button.clicked.connect(self.scan_card)
        self.scan_button.setVisible(camera_factory is not None)
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
        row = QHBoxLayout()
        row.addWidget(self.box, 1)
        row.addWidget(self.scan_button)
        lv.addLayout(row)
        lv.addWidget(self.status)
        lv.addWidget(self.table, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        detail_scroll = QScrollArea()  # a card's differences may make the panel taller
        detail_scroll.setWidget(self.detail)
        detail_scroll.setWidgetResizable(True)
        detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        splitter.addWidget(detail_scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QHBoxLayout(self)
        layout.addWidget(splitter)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(TYPING_PAUSE_MS)
        self.timer.timeout.connect(self.search_now)
        self.box.textChanged.connect(self._typed)
        self.box.returnPressed.connect(self._enter)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.table.doubleClicked.connect(lambda index: self._choose(index.row()))
        self.detail.flag_button.clicked.connect(self.flag_shown)
        self.detail.handover_button.clicked.connect(self.hand_over_shown)
        # first searches hit a warm cache; a failure here only means slower first searches
        run_op(self, service_of().warm_search, lambda _none: None,
               lambda exc: log_unexpected(exc, "warming the search"))  # fmt: skip

    def showEvent(self, event: QShowEvent) -> None:
        """Back from the wizard: search again, so each result's enrollment state is current
        (after the window's own reaction: "next person" clears the box first)."""
        super().showEvent(event)
        if self._shown_seq:
            QTimer.singleShot(0, self, self._search_again)

    def _typed(self, text: str) -> None:
        """Search as the officer types; a scanner typing a card's code is waited for (Enter)."""
        if is_scanned_code(text):
            self.timer.stop()
            self.status.setText(_("Reading a scanned code… (Enter when it is complete)"))
            return
        self.timer.start()

    def read_code(self, text: str, *, trusted: bool = False) -> bool:
        """A card's QR text (typed by a scanner, or read by the camera when ``trusted``):
        search its holder by the number, the only part a scan surely gets right."""
        if text.lstrip().startswith(SLIP_PREFIX):
            self.status.setText(_("This is an appointment slip: hand the card over from the "
                                  "Cards menu."))  # fmt: skip
            return False
        try:
            card = parse(text)
        except NotACardQR:
            self.card = None
            self.status.setText(_("The card's code could not be read: scan it again."))
            return False
        self.card, self.card_trusted = card, trusted
        self.box.blockSignals(True)
        self.box.setText(card.personal_id)
        self.box.blockSignals(False)
        self.search_now()
        return True

    def card_for(self, resident_id: int) -> tuple[CardQR, bool] | None:
        """The card read for this person, if the last card read is theirs."""
        shown = self.detail.shown
        if self.card is None or shown is None or shown.id != resident_id:
            return None
        if shown.personal_id != self.card.personal_id:
            return None
        return self.card, self.card_trusted

    def scan_card(self) -> None:
        """The webcam reads the card (gui/card_scan.py); its first read is looked up."""
        if self.camera_factory is None:
            return
        from gui.card_scan import CardScanDialog

        dialog = CardScanDialog(self.camera_factory, self)
        dialog.card_read.connect(lambda text: self.read_code(text, trusted=True))
        dialog.exec()
        self.focus_search()

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
            self.status.setText(ngettext("{count} person found.", "{count} people found.",
                                         n).format(count=n))
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
            self.detail.can_hand_over = self.service_of().allowed("card.handle")
            self.detail.show_detail(detail)
            card = self.card
            if card is not None and detail.personal_id == card.personal_id:
                self.detail.card_note.setText(card_lines(register_values(detail), card,
                                                         self.card_trusted))  # fmt: skip
                self.detail.card_note.show()

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

    def hand_over_shown(self) -> None:
        """The person's card has arrived: the handover opens on it (gui/card_handover.py)."""
        person = self.detail.shown
        state = person.enrollment_state if person is not None else None
        if person is None or state is None or not state.receipt_no:
            return
        from gui.card_handover import HandoverDialog

        rid, service = person.id, self.service_of()
        dialog = HandoverDialog(service, self, ref=state.receipt_no)
        dialog.delivered.connect(lambda _c: run_op(self, lambda: service.resident(rid),
                                                   self._detail_loaded))  # fmt: skip
        dialog.exec()

    def _enter(self) -> None:
        text = self.box.text()
        if is_scanned_code(text):
            self.read_code(text)
            return
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
