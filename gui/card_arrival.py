"""Thẻ căn cước → Ghi nhận thẻ về: cards received from the province (db/cards.arrived, issue 17).

A parcel is gone through card by card: a keyboard-wedge scanner types each card's QR text (or
the slip's) and Enter, or the officer types a slip number or an ID number. Each Enter records
that one card at once — off the UI thread, in the desk's writer, in the order scanned — and the
box is cleared for the next, so the scanner never waits; a line per card says what came of it,
newest first (the refusals in red, with a beep: the officer's eyes are on the parcel). Only the
12-digit number of a card's QR is trusted (the core reads it; a scanner garbles the letters).

Without a scanner, the second tab lists the approved enrollments whose card has not arrived:
tick the cards in the parcel, "Ghi nhận các thẻ đã chọn".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
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

from db.errors import StationError
from db.service import StationService
from db.types import CardInfo, CardOutcome
from gui.card_words import (
    GREEN,
    GREY,
    RED,
    card_line,
    card_ref,
    coloured,
    day_text,
    keep_enter_for_the_box,
    refusal,
    scan_box,
    short_ref,
)
from gui.ops import run_op
from resources.i18n import _, ngettext


def outcome_line(o: CardOutcome) -> tuple[str, str]:
    """What came of one card, and its colour."""
    who = card_line(o.card) if o.card is not None else short_ref(o.ref)
    if o.outcome == "arrived":
        return "✓ " + who + " — " + _("card recorded as arrived"), GREEN
    if o.outcome == "already" and o.card is not None and o.card.status == "delivered":
        return "• " + who + " — " + _("handed over already on {day}").format(
            day=day_text(o.card.delivered_at)), GREY  # fmt: skip
    if o.outcome == "already":
        return "• " + who + " — " + _("recorded before"), GREY
    if o.outcome == "not_approved" and o.card is not None and o.card.status == "returned":
        return "✗ " + who + " — " + _("sent back to the officer, not approved"), RED
    if o.outcome == "not_approved":
        return "✗ " + who + " — " + _("not approved yet"), RED
    return "✗ " + who + " — " + _("not found"), RED


def fold(text: str) -> str:
    """For finding a name in the list as typed without its marks (the lookup's own folding is
    the core's, db/text.py; this one only narrows rows already on screen)."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()


def _expected_columns() -> list[str]:
    return [_("Full name"), _("Date of birth"), _("Village"), _("Slip number"), _("ID number")]


class ArrivalDialog(QDialog):
    recorded = Signal(object)  # list[CardOutcome] of one Enter or one ticked batch
    expected_loaded = Signal(object)  # list[CardInfo]

    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.expected: list[CardInfo] = []
        self.arrived_now = 0
        self.pending = 0  # cards sent to the core, not answered yet
        self._stale = True  # the expected list needs reading again
        self._batch_note = ""  # what the last ticked batch did, said above the list
        self.summary = QLabel()
        self.summary.setObjectName("arrivalSummary")
        self.setWindowTitle(_("Record cards arrived"))
        self.resize(900, 620)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._scan_tab(), _("Scan or type"))
        self.tabs.addTab(self._list_tab(), _("Tick in the list"))
        close = QPushButton(_("Close"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        close.clicked.connect(self.reject)
        self.tabs.currentChanged.connect(self._tab_changed)
        keep_enter_for_the_box(self)
        self.box.setFocus()

    def _scan_tab(self) -> QWidget:
        page = QWidget()
        hint = QLabel(_("Scan each card's QR code (or the slip's), or type the slip number or "
                        "the 12-digit ID number, then Enter: each card is recorded at once."))
        hint.setWordWrap(True)
        self.box = scan_box("arrivalBox")
        self.results = QListWidget()
        self.results.setObjectName("arrivalResults")
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addWidget(self.box)
        layout.addWidget(self.results, 1)
        self.box.returnPressed.connect(self.scanned)
        return page

    def _list_tab(self) -> QWidget:
        page = QWidget()
        self.list_status = QLabel()
        self.list_status.setObjectName("arrivalListStatus")
        self.list_status.setWordWrap(True)
        self.filter = QLineEdit()
        self.filter.setObjectName("arrivalFilter")
        self.filter.setPlaceholderText(_("Find in the list: name, slip number or ID number"))
        self.filter.setClearButtonEnabled(True)
        self.table = QTableWidget(0, len(_expected_columns()))
        self.table.setObjectName("arrivalExpected")
        self.table.setHorizontalHeaderLabels(_expected_columns())
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.all_button = QPushButton(_("Tick all"))
        self.none_button = QPushButton(_("Untick all"))
        self.record_button = QPushButton(_("Record the ticked cards"))
        self.record_button.setObjectName("arrivalRecordTicked")
        buttons = QHBoxLayout()
        buttons.addWidget(self.all_button)
        buttons.addWidget(self.none_button)
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.list_status)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.filter.textChanged.connect(lambda _t: self._filter())
        self.table.itemChanged.connect(lambda _i: self._ticks_changed())
        self.table.cellDoubleClicked.connect(self._toggle)
        self.all_button.clicked.connect(lambda: self._tick_all(True))
        self.none_button.clicked.connect(lambda: self._tick_all(False))
        self.record_button.clicked.connect(self.record_ticked)
        self._ticks_changed()
        return page

    # --- scanning ---------------------------------------------------------------------------

    def scanned(self) -> None:
        """One Enter: that card is recorded, the box is ready for the next at once."""
        ref = self.box.text().strip()
        self.box.clear()
        self.box.setFocus()
        if ref:
            self._record([ref], [short_ref(ref)])

    def _record(self, refs: Sequence[str], labels: Sequence[str], ticked: bool = False) -> None:
        """Send the cards to the core; a line each says "recording…" until it answers."""
        from gui.wizard.context import writer_pool

        items = []
        for text in labels:
            item = QListWidgetItem("… " + text + " — " + _("recording…"))
            item.setData(Qt.ItemDataRole.UserRole, text)
            self.results.insertItem(0, item)
            items.append(item)
        service, refs = self.service, list(refs)
        self.pending += 1
        self._stale = True
        run_op(self, lambda: service.cards_arrived(refs),
               lambda r: self._recorded(r, items, ticked), lambda exc: self._failed(exc, items),
               pool=writer_pool())  # fmt: skip

    def _recorded(self, outcomes: list[CardOutcome], items: list[QListWidgetItem],
                  ticked: bool) -> None:  # fmt: skip
        self.pending -= 1
        refused = False
        for o, item in zip(outcomes, items, strict=True):
            text, colour = outcome_line(o)
            item.setText(text)
            item.setForeground(QBrush(QColor(colour)))
            self.arrived_now += o.outcome == "arrived"
            refused = refused or o.outcome in ("not_found", "not_approved")
        if refused:
            QApplication.beep()
        if ticked:
            n = sum(o.outcome == "arrived" for o in outcomes)
            self._batch_note = _("{n} cards recorded as arrived.").format(n=n) + " "
        self.summary.setText(ngettext("{n} card recorded as arrived in this session.",
                                      "{n} cards recorded as arrived in this session.",
                                      self.arrived_now).format(n=self.arrived_now))
        if self.tabs.currentIndex() == 1:
            self.load_expected()
        self.recorded.emit(outcomes)

    def _failed(self, exc: BaseException, items: list[QListWidgetItem]) -> None:
        self.pending -= 1
        for item in items:
            item.setText("✗ " + str(item.data(Qt.ItemDataRole.UserRole)) + " — " + refusal(exc))
            item.setForeground(QBrush(QColor(RED)))
        QApplication.beep()
        if not isinstance(exc, StationError):
            from gui.errors import show_error

            show_error(self, exc)

    # --- the list of cards expected ---------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        if index == 1 and self._stale:
            self.load_expected()
        elif index == 0:
            self.box.setFocus()

    def load_expected(self) -> None:
        self._stale = False
        self.list_status.setText(_("Loading…"))
        self.record_button.setEnabled(False)
        run_op(self, self.service.cards_expected, self._show_expected, self._list_failed)

    def _show_expected(self, found: list[CardInfo]) -> None:
        self.expected = found
        self.table.blockSignals(True)
        self.table.setRowCount(len(found))
        for row, c in enumerate(found):
            name = QTableWidgetItem(c.full_name)
            name.setFlags(name.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            name.setCheckState(Qt.CheckState.Unchecked)
            self.table.setItem(row, 0, name)
            for col, text in enumerate((c.birth_text(), c.village or "", c.slip_no,
                                        c.personal_id or ""), start=1):  # fmt: skip
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.blockSignals(False)
        self._filter()
        self._ticks_changed()
        self.expected_loaded.emit(found)

    def _list_failed(self, exc: BaseException) -> None:
        self._stale = True
        coloured(self.list_status, refusal(exc), RED)

    def ticked(self) -> list[CardInfo]:
        return [c for row, c in enumerate(self.expected)
                if (item := self.table.item(row, 0)) is not None
                and item.checkState() == Qt.CheckState.Checked]  # fmt: skip

    def _ticks_changed(self) -> None:
        n, total = len(self.ticked()), len(self.expected)
        self.record_button.setEnabled(n > 0)
        self.list_status.setStyleSheet("")
        if total == 0:
            text = _("No approved enrollment is waiting for its card.")
        else:
            text = _("{total} approved enrollments wait for their card; ticked: {n}. Tick the "
                     "cards in the parcel.").format(total=total, n=n)
        self.list_status.setText(self._batch_note + text)

    def _toggle(self, row: int, _column: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            checked = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _filter(self) -> None:
        """Rows whose name (without its marks), slip number or ID number has what is typed."""
        words = fold(self.filter.text()).split()
        for row, c in enumerate(self.expected):
            text = fold(" ".join((c.full_name, c.slip_no, c.personal_id or "")))
            self.table.setRowHidden(row, not all(w in text for w in words))

    def _tick_all(self, on: bool) -> None:
        """Every row shown (a filter narrows what "all" is)."""
        self.table.blockSignals(True)
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and not self.table.isRowHidden(row):
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.table.blockSignals(False)
        self._ticks_changed()

    def record_ticked(self) -> None:
        cards = self.ticked()
        if not cards:
            return
        self.record_button.setEnabled(False)
        self._record([card_ref(c) for c in cards], [card_line(c) for c in cards], ticked=True)
